/**
 * checks.*: the checks the operator keeps (in checks.json in the data folder, with their last status
 * so a restart does not forget what was down), each run on its own jittered timer, its runs debounced
 * into up/down (./debounce.ts), state changes sent to every client as checks.changed and handed to
 * the alerts. Checks that need a host run only while it is connected; the rest run from this machine.
 */
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { MethodName } from '../../shared/contract'
import { CheckInputSchema, CheckStatusSchema, type Check, type CheckInput, type CheckStatus, type checksMethods } from '../../shared/contract/checks'
import { DropdeckError } from '../../shared/errors'
import type { AlertsService } from '../alerts/alerts-service'
import type { EventBus } from '../rpc/event-bus'
import type { Handlers } from '../rpc/router'
import { initialStatus, nextStatus } from './debounce'
import { JsonDocument } from './json-document'
import { proposeChecks } from './propose'
import { runCheck } from './run-check'
import type { HealthSources } from './sources'

type ChecksMethodName = Extract<keyof typeof checksMethods, `checks.${string}`> & MethodName

const StoredCheckSchema = z.intersection(CheckInputSchema, z.object({ id: z.string(), createdAt: z.string() }))
const FileSchema = z.object({ version: z.literal(1), checks: z.array(StoredCheckSchema), statuses: z.record(z.string(), CheckStatusSchema) })

export interface ChecksTuning {
  /** Spread of each interval, as a fraction (0.1: ±10%), so checks never run in lockstep. */
  jitter?: number
  /** The first run of each check starts within this many ms of startup (spread across it). */
  firstRunWithinMs?: number
}

export interface ChecksDeps {
  dataDir: string
  bus: EventBus
  log: (line: string) => void
  sources: HealthSources
  alerts: AlertsService
  fetch: typeof fetch
  env: NodeJS.ProcessEnv
  tuning?: ChecksTuning
}

export class ChecksService {
  private readonly doc: JsonDocument<typeof FileSchema>
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private readonly running = new Map<string, Promise<CheckStatus>>()
  private disposed = false

  constructor(private readonly deps: ChecksDeps) {
    // Statuses change every run: coalesce their writes; a definition change is flushed at once.
    this.doc = new JsonDocument(deps.dataDir, 'checks.json', FileSchema, () => ({ version: 1 as const, checks: [], statuses: {} }), deps.log, 2_000)
  }

  /** Schedules every enabled check; call once. */
  async start(): Promise<void> {
    const { checks } = await this.doc.load()
    const within = this.deps.tuning?.firstRunWithinMs ?? 15_000
    for (const c of checks) if (c.enabled) this.schedule(c, Math.random() * Math.min(within, c.intervalSeconds * 1000))
  }

  async list(): Promise<Array<{ check: Check; status: CheckStatus }>> {
    const doc = await this.doc.load()
    return doc.checks.map((check) => ({ check, status: doc.statuses[check.id] ?? initialStatus() }))
  }

  async create(input: CheckInput): Promise<{ check: Check; status: CheckStatus }> {
    const doc = await this.doc.load()
    const check = { ...CheckInputSchema.parse(input), id: randomUUID(), createdAt: new Date().toISOString() } as Check
    doc.checks.push(check)
    doc.statuses[check.id] = initialStatus()
    await this.doc.changed()
    await this.doc.flush()
    this.deps.bus.emit('checks.changed', { id: check.id, status: doc.statuses[check.id] })
    if (check.enabled) this.schedule(check, Math.random() * 1000)
    return { check, status: doc.statuses[check.id] }
  }

  async update(id: string, input: CheckInput): Promise<{ check: Check; status: CheckStatus }> {
    const doc = await this.doc.load()
    const i = doc.checks.findIndex((c) => c.id === id)
    if (i < 0) throw notFound(id)
    const check = { ...CheckInputSchema.parse(input), id, createdAt: doc.checks[i].createdAt } as Check
    doc.checks[i] = check
    doc.statuses[id] = initialStatus()
    await this.doc.changed()
    await this.doc.flush()
    this.unschedule(id)
    await this.deps.alerts.onCheckGone(id, `${check.name} was changed; its status starts over.`)
    this.deps.bus.emit('checks.changed', { id, status: doc.statuses[id] })
    if (check.enabled) this.schedule(check, Math.random() * 1000)
    return { check, status: doc.statuses[id] }
  }

  async delete(id: string): Promise<{ deleted: true }> {
    const doc = await this.doc.load()
    const check = doc.checks.find((c) => c.id === id)
    if (!check) throw notFound(id)
    doc.checks = doc.checks.filter((c) => c.id !== id)
    delete doc.statuses[id]
    await this.doc.changed()
    await this.doc.flush()
    this.unschedule(id)
    await this.deps.alerts.onCheckGone(id, `${check.name} was deleted.`)
    this.deps.bus.emit('checks.changed', { id, status: null })
    return { deleted: true }
  }

  /** Runs a check now (a disabled one too), counted like a scheduled run. Concurrent asks share one run. */
  run(id: string): Promise<CheckStatus> {
    const pending = this.running.get(id)
    if (pending) return pending
    const p = this.runOnce(id).finally(() => this.running.delete(id))
    this.running.set(id, p)
    return p
  }

  async propose(): Promise<Awaited<ReturnType<typeof proposeChecks>>> {
    return proposeChecks(this.deps.sources, (await this.doc.load()).checks)
  }

  async dispose(): Promise<void> {
    this.disposed = true
    for (const id of [...this.timers.keys()]) this.unschedule(id)
    await Promise.allSettled([...this.running.values()])
    await this.doc.flush()
  }

  private async runOnce(id: string): Promise<CheckStatus> {
    const doc = await this.doc.load()
    const check = doc.checks.find((c) => c.id === id)
    if (!check) throw notFound(id)
    const result = await runCheck(check, { sources: this.deps.sources, fetch: this.deps.fetch, env: this.deps.env })
    // The check may have been changed or deleted while it ran: drop a result that belongs to nothing.
    const current = doc.checks.find((c) => c.id === id)
    if (current !== check) return doc.statuses[id] ?? initialStatus()
    const prev = doc.statuses[id] ?? initialStatus()
    const next = nextStatus(prev, result, check, new Date())
    doc.statuses[id] = next
    void this.doc.changed()
    if (next.state !== prev.state || next.severity !== prev.severity) {
      this.deps.bus.emit('checks.changed', { id, status: next })
      await this.deps.alerts.onCheck(check, prev, next).catch((err: Error) => this.deps.log(`alerts: ${err.message}`))
    }
    return next
  }

  private schedule(check: Check, delayMs: number): void {
    if (this.disposed) return
    this.unschedule(check.id)
    const timer = setTimeout(() => {
      void this.run(check.id)
        .catch((err: Error) => this.deps.log(`checks: ${check.name}: ${err.message}`))
        .finally(() => {
          if (this.timers.get(check.id) === timer) this.schedule(check, this.interval(check))
        })
    }, delayMs)
    timer.unref?.()
    this.timers.set(check.id, timer)
  }

  private unschedule(id: string): void {
    clearTimeout(this.timers.get(id))
    this.timers.delete(id)
  }

  private interval(check: Check): number {
    const jitter = this.deps.tuning?.jitter ?? 0.1
    return check.intervalSeconds * 1000 * (1 - jitter + Math.random() * 2 * jitter)
  }
}

function notFound(id: string): DropdeckError {
  return new DropdeckError('NOT_FOUND', `No check ${id}; it may have been deleted. Refresh the list.`)
}

export function createChecksHandlers(checks: ChecksService): Pick<Handlers, ChecksMethodName> {
  return {
    'checks.list': () => checks.list(),
    'checks.create': ({ check }) => checks.create(check),
    'checks.update': ({ id, check }) => checks.update(id, check),
    'checks.delete': ({ id }) => checks.delete(id),
    'checks.run': ({ id }) => checks.run(id),
    'checks.propose': () => checks.propose()
  }
}
