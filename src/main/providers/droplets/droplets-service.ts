/**
 * Droplets: the list (cached per team, so navigating back does not refetch; `refresh` forces),
 * the detail view, and actions with progress polled from the actions API. Mutations pass two
 * guards first: the managed-tag lock (seed 004) and, for destructive actions, the droplet's name
 * typed to confirm. Every mutation is audited.
 */
import { join } from 'node:path'
import { z } from 'zod'
import { destructiveDropletActions, type ActionSchema, type Droplet, type ParsedParams, type Result } from '../../../shared/contract'
import { DropdeckError } from '../../../shared/errors'
import type { CallContext } from '../../rpc/context'
import type { EventBus } from '../../rpc/event-bus'
import type { SettingsStore } from '../../settings/settings-store'
import { JsonFile } from '../../storage/json-file'
import type { AuditLog } from '../audit/audit-log'
import { toAction, toDroplet, toDropletDetail, type DoAction, type DoActionBody, type DoApi, type DoDroplet, type ManagedPolicy } from '../digitalocean/do-api'

type Action = z.infer<typeof ActionSchema>

/** Droplets per team at the last list, by team key. */
const FleetSizesSchema = z.record(z.string(), z.number().int().min(0))
type FleetSizes = z.infer<typeof FleetSizesSchema>

/** The entries of a damaged fleet-sizes.json that are still sizes. */
function validSizes(json: unknown): FleetSizes | undefined {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined
  return Object.fromEntries(Object.entries(json).filter(([, v]) => Number.isInteger(v) && (v as number) >= 0)) as FleetSizes
}

export interface DropletsTuning {
  /** How often an action's progress is asked for. Default 1000 ms. */
  actionPollMs?: number
  /** Give up polling (and say so) after this long. Default 30 minutes: snapshots of big disks are slow. */
  actionTimeoutMs?: number
  /** The clock, for snapshot names. */
  now?: () => Date
}

interface Cache {
  droplets: DoDroplet[]
  fetchedAt: number
}

export class DropletsService {
  private readonly caches = new Map<string, Cache>()
  /** Fleet size per team from the last list, kept across launches: the first list after a launch fetches every page at once. */
  private readonly fleetSizes: JsonFile<FleetSizes> | undefined
  /** The sizes when there is no data folder to keep them in. */
  private memorySizes: FleetSizes = {}
  private readonly inflight = new Map<string, Promise<Cache>>()
  private readonly polls = new Set<{ stop(): void; done: Promise<void> }>()
  private disposed = false
  private readonly pollMs: number
  private readonly timeoutMs: number
  private readonly now: () => Date

  constructor(
    private readonly deps: { api: DoApi; settings: SettingsStore; bus: EventBus; audit: AuditLog; log: (line: string) => void; dataDir?: string },
    tuning: DropletsTuning = {}
  ) {
    this.pollMs = tuning.actionPollMs ?? 1000
    this.timeoutMs = tuning.actionTimeoutMs ?? 30 * 60_000
    this.now = tuning.now ?? (() => new Date())
    this.fleetSizes = deps.dataDir
      ? new JsonFile({
          file: join(deps.dataDir, 'fleet-sizes.json'),
          schema: FleetSizesSchema,
          empty: () => ({}),
          kind: 'fleet-sizes',
          startsFrom: 'no remembered fleet sizes',
          log: deps.log,
          logPrefix: 'droplets',
          repair: validSizes
        })
      : undefined
  }

  invalidate(): void {
    this.caches.clear()
  }

  /** The list; a failed refresh throws and leaves the last good list in place for the next call. */
  async list(refresh = false): Promise<Droplet[]> {
    const cache = await this.load(refresh)
    const policy = await this.policy()
    return cache.droplets.map((d) => toDroplet(d, policy))
  }

  /** For DNS: the droplets, from the cache when there is one. */
  async rawList(): Promise<DoDroplet[]> {
    return (await this.load(false)).droplets
  }

  async get(id: number): Promise<Result<'droplets.get'>> {
    const [droplet, snapshots, firewalls, actions] = await Promise.all([
      this.deps.api.droplet(id),
      this.deps.api.dropletSnapshots(id),
      this.deps.api.dropletFirewalls(id),
      this.deps.api.recentActions(id, 20)
    ])
    await this.remember(droplet)
    return toDropletDetail(droplet, await this.policy(), { snapshots, firewalls, actions })
  }

  async action(ctx: CallContext, params: ParsedParams<'droplets.action'>): Promise<Action> {
    const droplet = await this.deps.api.droplet(params.id)
    const what = params.action.type
    const target = describe(droplet)
    await this.guard(droplet, { confirm: params.confirm, unlock: params.unlock, destructive: (destructiveDropletActions as readonly string[]).includes(what), what })

    const body: DoActionBody = { type: what }
    if (params.action.type === 'snapshot') body.name = params.action.name ?? defaultSnapshotName(droplet.name, this.now())
    if (params.action.type === 'resize') Object.assign(body, { size: params.action.size, disk: params.action.disk })
    if (params.action.type === 'rename') body.name = params.action.name
    const detail = body.name ? ` name=${body.name}` : body.size ? ` size=${body.size}${body.disk ? ' disk' : ''}` : ''

    let posted: { action: DoAction }
    let requestId: string | undefined
    try {
      const res = await this.deps.api.postAction(droplet.id, body)
      posted = res.body
      requestId = res.requestId
    } catch (err) {
      await this.audit(ctx, `droplet.${what}`, target, 'error', err, detail)
      throw err
    }
    await this.deps.audit.append(ctx, { action: `droplet.${what}`, target, result: 'started', requestId, message: `action ${posted.action.id}${detail}` })
    const action = toAction(posted.action)
    this.emitProgress(action, droplet.name)
    this.follow(ctx, posted.action, droplet, `droplet.${what}`, detail)
    return action
  }

  async tag(ctx: CallContext, params: ParsedParams<'droplets.tag'>): Promise<Result<'droplets.tag'>> {
    const droplet = await this.deps.api.droplet(params.id)
    const what = params.remove ? 'untag' : 'tag'
    await this.guard(droplet, { confirm: params.confirm, unlock: params.unlock, destructive: false, what })
    const target = describe(droplet)
    let requestId: string | undefined
    try {
      try {
        requestId = (await this.deps.api.tagDroplet(params.tag, droplet.id, params.remove === true)).requestId
      } catch (err) {
        // DigitalOcean tags must exist before they are applied: create it, then apply.
        if (!(err instanceof DropdeckError && err.code === 'NOT_FOUND') || params.remove) throw err
        await this.deps.api.createTag(params.tag)
        requestId = (await this.deps.api.tagDroplet(params.tag, droplet.id, false)).requestId
      }
    } catch (err) {
      await this.audit(ctx, `droplet.${what}`, target, 'error', err, ` ${params.tag}`)
      throw err
    }
    await this.deps.audit.append(ctx, { action: `droplet.${what}`, target, result: 'ok', requestId, message: params.tag })
    const fresh = await this.deps.api.droplet(droplet.id)
    await this.remember(fresh)
    this.deps.bus.emit('droplets.changed', { ids: [droplet.id] })
    return { tags: fresh.tags }
  }

  /**
   * The managed-tag lock alone, for mutations that reach a droplet from elsewhere (deleting its
   * snapshot, attaching a firewall to it). A droplet that no longer exists has no lock to honour.
   */
  async assertWritable(dropletId: number, unlock: boolean | undefined, what: string): Promise<void> {
    let droplet: DoDroplet
    try {
      droplet = await this.deps.api.droplet(dropletId)
    } catch (err) {
      if (err instanceof DropdeckError && err.code === 'NOT_FOUND') return
      throw err
    }
    await this.guard(droplet, { unlock, destructive: false, what })
  }

  /** The managed-tag lock, then typed confirmation for destructive actions. */
  async guard(droplet: DoDroplet, options: { confirm?: string; unlock?: boolean; destructive: boolean; what: string }): Promise<void> {
    const policy = await this.policy()
    if (policy.managedTagEnforced && !droplet.tags.includes(policy.managedTag) && options.unlock !== true) {
      throw new DropdeckError('CONFIRMATION_REQUIRED', `droplet ${droplet.name} is read-only: it has no tag ${policy.managedTag}. Unlock it for this action.`, {
        data: { readOnly: true, tag: policy.managedTag, expected: droplet.name }
      })
    }
    if (options.destructive && options.confirm !== droplet.name) {
      throw new DropdeckError('CONFIRMATION_REQUIRED', `${options.what} on ${droplet.name} needs confirmation: type the droplet's name, ${droplet.name}.`, { data: { expected: droplet.name } })
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true
    const polls = [...this.polls]
    for (const p of polls) p.stop()
    await Promise.allSettled(polls.map((p) => p.done))
  }

  // -------------------------------------------------------------------------------------------

  private async contextKey(): Promise<string> {
    return (await this.deps.settings.get()).digitaloceanContext
  }

  private async policy(): Promise<ManagedPolicy> {
    const { managedTag, managedTagEnforced } = await this.deps.settings.get()
    return { managedTag, managedTagEnforced }
  }

  private async load(refresh: boolean): Promise<Cache> {
    const key = await this.contextKey()
    const cached = this.caches.get(key)
    if (cached && !refresh) return cached
    // One fetch at a time per team: a second caller shares the first's answer.
    let pending = this.inflight.get(key)
    if (!pending) {
      pending = (async () => {
        const sizes = await this.loadSizes()
        const known = Object.hasOwn(sizes, key) ? sizes[key] : undefined
        const { items } = await this.deps.api.listDroplets({ expectedTotal: cached?.droplets.length ?? known })
        const fresh = { droplets: items, fetchedAt: Date.now() }
        this.caches.set(key, fresh)
        if (known !== items.length) await this.saveSize(key, items.length)
        return fresh
      })().finally(() => this.inflight.delete(key))
      this.inflight.set(key, pending)
    }
    return pending
  }

  private loadSizes(): Promise<FleetSizes> {
    return this.fleetSizes ? this.fleetSizes.read() : Promise.resolve(this.memorySizes)
  }

  /** Only a hint: a failure to write it costs one round trip on the next launch, nothing more. */
  private async saveSize(key: string, size: number): Promise<void> {
    if (!this.fleetSizes) {
      this.memorySizes = { ...this.memorySizes, [key]: size }
      return
    }
    try {
      await this.fleetSizes.update((sizes) => {
        sizes[key] = size
      })
    } catch (err) {
      this.deps.log(`droplets: could not remember the fleet size: ${(err as Error).message}`)
    }
  }

  /** Put a freshly fetched droplet into the cached list, if there is one. */
  private async remember(droplet: DoDroplet): Promise<void> {
    const cache = this.caches.get(await this.contextKey())
    if (!cache) return
    const i = cache.droplets.findIndex((d) => d.id === droplet.id)
    if (i >= 0) cache.droplets[i] = droplet
  }

  private emitProgress(action: Action, dropletName: string): void {
    this.deps.bus.emit('droplets.actionProgress', { ...action, dropletName })
  }

  /** Poll the action until completed or errored; then refresh the droplet and tell everyone. */
  private follow(ctx: CallContext, first: DoAction, droplet: DoDroplet, auditAction: string, detail: string): void {
    let stopped = false
    let timer: NodeJS.Timeout | undefined
    let wake: () => void = () => {}
    const started = Date.now()
    const done = (async () => {
      let current = first
      let failures = 0
      while (!stopped && current.status === 'in-progress') {
        await new Promise<void>((resolve) => {
          wake = resolve
          timer = setTimeout(resolve, this.pollMs)
        })
        if (stopped) return
        if (Date.now() - started > this.timeoutMs) {
          await this.audit(ctx, auditAction, describe(droplet), 'error', new Error(`still in progress after ${Math.round(this.timeoutMs / 60_000)} min; Dropdeck stopped watching it`), detail)
          return
        }
        try {
          current = await this.deps.api.action(first.id)
          failures = 0
        } catch (err) {
          // The action runs at DigitalOcean whatever happens here: keep asking, a few times.
          if (++failures >= 5) {
            await this.audit(ctx, auditAction, describe(droplet), 'error', err, `${detail}; lost track of action ${first.id}`)
            return
          }
          continue
        }
        this.emitProgress(toAction(current), droplet.name)
      }
      if (stopped) return
      const ok = current.status === 'completed'
      await this.deps.audit.append(ctx, { action: auditAction, target: describe(droplet), result: ok ? 'ok' : 'error', message: `action ${current.id} ${current.status}${detail}` })
      try {
        await this.remember(await this.deps.api.droplet(droplet.id))
      } catch (err) {
        this.deps.log(`droplets: refreshing ${droplet.id} after action ${current.id} failed: ${(err as Error).message}`)
      }
      if (!this.disposed) this.deps.bus.emit('droplets.changed', { ids: [droplet.id] })
    })().catch((err: unknown) => this.deps.log(`droplets: following action ${first.id} failed: ${(err as Error).message}`))
    const handle = {
      stop: () => {
        stopped = true
        clearTimeout(timer)
        wake()
      },
      done
    }
    this.polls.add(handle)
    void done.finally(() => this.polls.delete(handle))
  }

  private async audit(ctx: CallContext, action: string, target: string, result: 'ok' | 'error', err: unknown, detail = ''): Promise<void> {
    const requestId = err instanceof DropdeckError ? (err.data as { requestId?: string } | undefined)?.requestId : undefined
    const message = `${err instanceof Error ? err.message : String(err)}${detail ? ` [${detail.trim()}]` : ''}`
    await this.deps.audit.append(ctx, { action, target, result, requestId, message })
  }
}

export function describe(droplet: Pick<DoDroplet, 'id' | 'name'>): string {
  return `droplet ${droplet.id} (${droplet.name})`
}

/** `<droplet>-YYYYMMDD-HHMM`, UTC. */
export function defaultSnapshotName(dropletName: string, at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${dropletName}-${at.getUTCFullYear()}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}-${p(at.getUTCHours())}${p(at.getUTCMinutes())}`
}
