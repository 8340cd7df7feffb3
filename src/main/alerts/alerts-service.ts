/**
 * Alerts: one per episode of a check being down. It fires when the check goes down (after its
 * failure threshold, so never on one blip), resolves when the check is up again (an unknown run, a
 * host that cannot be reached, neither fires nor resolves), can be acknowledged, and is kept as
 * history (the newest 500). Each says what is wrong, since when, and the next step. Firing and
 * resolving also post to an optional Slack-compatible webhook (`{text}`) through the app's fetch.
 */
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { AlertSchema, type Alert, type Check, type CheckStatus } from '../../shared/contract/checks'
import { DropdeckError } from '../../shared/errors'
import { JsonDocument } from '../checks/json-document'
import type { EventBus } from '../rpc/event-bus'

const KEEP = 500

const FileSchema = z.object({ version: z.literal(1), alerts: z.array(AlertSchema), webhook: z.string().nullable() })

export interface AlertsDeps {
  dataDir: string
  bus: EventBus
  fetch: typeof fetch
  log: (line: string) => void
}

export function nextStepFor(check: Check): Alert['nextStep'] {
  const hostId = 'hostId' in check && check.hostId ? check.hostId : null
  switch (check.kind) {
    case 'container':
      return { label: "Open the container's logs", area: 'logs', hostId }
    case 'unit':
      return { label: "Open the unit's journal", area: 'logs', hostId }
    case 'disk':
      return { label: 'Open the disk panel (Docker disk use and prune)', area: 'containers', hostId }
    case 'memory':
      return { label: "Open the host's health", area: 'health', hostId }
    case 'dns':
      return { label: 'Open the DNS record', area: 'dns', hostId: null }
    default:
      return { label: 'Open the check in Health', area: 'health', hostId }
  }
}

export class AlertsService {
  private readonly doc: JsonDocument<typeof FileSchema>

  constructor(private readonly deps: AlertsDeps) {
    this.doc = new JsonDocument(deps.dataDir, 'alerts.json', FileSchema, () => ({ version: 1 as const, alerts: [], webhook: null }), deps.log)
  }

  async list(limit = 200): Promise<Alert[]> {
    const { alerts } = await this.doc.load()
    const firing = alerts.filter((a) => a.state === 'firing')
    const resolved = alerts.filter((a) => a.state === 'resolved')
    const newest = (a: Alert, b: Alert) => b.firedAt.localeCompare(a.firedAt)
    return [...firing.sort(newest), ...resolved.sort(newest)].slice(0, limit)
  }

  async acknowledge(id: string): Promise<Alert> {
    const doc = await this.doc.load()
    const alert = doc.alerts.find((a) => a.id === id)
    if (!alert) throw new DropdeckError('NOT_FOUND', `No alert ${id}; it may have been dropped from the history.`)
    alert.acknowledgedAt ??= new Date().toISOString()
    await this.changed(alert)
    return alert
  }

  /** Called on every state change of a check. */
  async onCheck(check: Check, prev: CheckStatus, next: CheckStatus): Promise<void> {
    const doc = await this.doc.load()
    const open = doc.alerts.find((a) => a.checkId === check.id && a.state === 'firing')
    if (next.state === 'down' && !open) {
      const alert: Alert = {
        id: randomUUID(),
        checkId: check.id,
        checkName: check.name,
        kind: check.kind,
        state: 'firing',
        severity: next.severity ?? 'critical',
        message: next.message,
        detail: next.detail,
        nextStep: nextStepFor(check),
        firedAt: next.since ?? new Date().toISOString(),
        resolvedAt: null,
        acknowledgedAt: null
      }
      doc.alerts.push(alert)
      if (doc.alerts.length > KEEP) doc.alerts.splice(0, doc.alerts.length - KEEP)
      await this.changed(alert)
      void this.post(`:rotating_light: ${alert.severity.toUpperCase()} ${check.name}: ${alert.message}\nNext: ${alert.nextStep.label}.`)
      return
    }
    if (open && next.state === 'down' && (next.severity !== open.severity || next.message !== open.message)) {
      open.severity = next.severity ?? open.severity
      open.message = next.message
      open.detail = next.detail
      await this.changed(open)
      return
    }
    if (open && next.state === 'up') await this.resolve(open, `${check.name} is up again: ${next.message}`)
  }

  /** A deleted or disabled check resolves its alert. */
  async onCheckGone(checkId: string, why: string): Promise<void> {
    const doc = await this.doc.load()
    const open = doc.alerts.find((a) => a.checkId === checkId && a.state === 'firing')
    if (open) await this.resolve(open, why)
  }

  async webhook(): Promise<{ url: string | null }> {
    return { url: (await this.doc.load()).webhook }
  }

  async setWebhook(url: string | null): Promise<{ url: string | null }> {
    const doc = await this.doc.load()
    doc.webhook = url
    await this.doc.changed()
    return { url }
  }

  async testWebhook(): Promise<{ status: number }> {
    const { webhook } = await this.doc.load()
    if (!webhook) throw new DropdeckError('BAD_REQUEST', 'No webhook is set: paste a Slack-compatible incoming webhook URL first.')
    const status = await this.send(webhook, 'Dropdeck: this is a test alert. Alerts from your checks will arrive here.')
    if (status < 200 || status > 299) throw new DropdeckError('UPSTREAM', `The webhook answered ${status}; check the URL (a Slack incoming webhook ends in /services/T…/B…/…).`, { data: { status } })
    return { status }
  }

  async flush(): Promise<void> {
    await this.doc.flush()
  }

  private async resolve(alert: Alert, message: string): Promise<void> {
    alert.state = 'resolved'
    alert.resolvedAt = new Date().toISOString()
    await this.changed(alert)
    void this.post(`:white_check_mark: RESOLVED ${alert.checkName}: ${message}`)
  }

  private async changed(alert: Alert): Promise<void> {
    await this.doc.changed()
    const firing = (await this.doc.load()).alerts.filter((a) => a.state === 'firing' && !a.acknowledgedAt).length
    this.deps.bus.emit('alerts.changed', { alert: { ...alert }, firing })
  }

  private async post(text: string): Promise<void> {
    const { webhook } = await this.doc.load()
    if (!webhook) return
    try {
      const status = await this.send(webhook, text)
      if (status < 200 || status > 299) this.deps.log(`alerts: the webhook answered ${status}`)
    } catch (err) {
      this.deps.log(`alerts: the webhook could not be reached (${(err as Error).message})`)
    }
  }

  private async send(url: string, text: string): Promise<number> {
    try {
      const res = await this.deps.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }), signal: AbortSignal.timeout(10_000) })
      await res.arrayBuffer().catch(() => undefined)
      return res.status
    } catch (err) {
      if (err instanceof DropdeckError) throw err
      throw new DropdeckError('UPSTREAM', `The webhook could not be reached: ${(err as Error).message}`, { retryable: true })
    }
  }
}
