/**
 * Cloud firewalls: listed, created from seed 002's template (SSH, HTTP and HTTPS in from anywhere;
 * everything out), and attached to droplets or tags. Mutations are audited.
 */
import type { Result } from '../../../shared/contract'
import type { CallContext } from '../../rpc/context'
import type { EventBus } from '../../rpc/event-bus'
import type { AuditLog } from '../audit/audit-log'
import { toFirewall, type DoApi, type DoFirewallRule } from '../digitalocean/do-api'
import { requestIdOf, type DropletLock } from './snapshots-service'

const ANYWHERE = { addresses: ['0.0.0.0/0', '::/0'] }

/** Seed 002: inbound tcp 22, 80, 443 from anywhere; outbound tcp and udp on all ports, and icmp, to anywhere. */
export const templateRules: { inbound_rules: DoFirewallRule[]; outbound_rules: DoFirewallRule[] } = {
  inbound_rules: ['22', '80', '443'].map((ports) => ({ protocol: 'tcp' as const, ports, sources: ANYWHERE })),
  outbound_rules: [
    { protocol: 'tcp', ports: '0', destinations: ANYWHERE },
    { protocol: 'udp', ports: '0', destinations: ANYWHERE },
    { protocol: 'icmp', ports: '0', destinations: ANYWHERE }
  ]
}

export class FirewallsService {
  constructor(private readonly deps: { api: DoApi; bus: EventBus; audit: AuditLog; lock: DropletLock }) {}

  async list(): Promise<Result<'firewalls.list'>> {
    return (await this.deps.api.firewalls()).map(toFirewall)
  }

  async createFromTemplate(ctx: CallContext, params: { name: string; dropletIds?: number[]; tags?: string[]; unlock?: boolean }): Promise<Result<'firewalls.createFromTemplate'>> {
    await this.checkLocks(params.dropletIds, params.unlock, `applying firewall ${params.name}`)
    const body = {
      name: params.name,
      ...templateRules,
      ...(params.dropletIds?.length ? { droplet_ids: params.dropletIds } : {}),
      ...(params.tags?.length ? { tags: params.tags } : {})
    }
    const target = `firewall ${params.name}`
    try {
      const res = await this.deps.api.createFirewall(body)
      await this.deps.audit.append(ctx, { action: 'firewall.create', target: `firewall ${res.body.firewall.id} (${params.name})`, result: 'ok', requestId: res.requestId, message: attachedWords(params) })
      if (params.dropletIds?.length) this.deps.bus.emit('droplets.changed', { ids: params.dropletIds })
      return toFirewall(res.body.firewall)
    } catch (err) {
      await this.deps.audit.append(ctx, { action: 'firewall.create', target, result: 'error', requestId: requestIdOf(err), message: (err as Error).message })
      throw err
    }
  }

  async attach(ctx: CallContext, params: { id: string; dropletIds?: number[]; tags?: string[]; unlock?: boolean }): Promise<Result<'firewalls.attach'>> {
    const firewall = await this.deps.api.firewall(params.id)
    await this.checkLocks(params.dropletIds, params.unlock, `attaching firewall ${firewall.name}`)
    const target = `firewall ${firewall.id} (${firewall.name})`
    try {
      const ids: string[] = []
      if (params.dropletIds?.length) ids.push((await this.deps.api.assignFirewallDroplets(firewall.id, params.dropletIds)).requestId ?? '')
      if (params.tags?.length) ids.push((await this.deps.api.addFirewallTags(firewall.id, params.tags)).requestId ?? '')
      await this.deps.audit.append(ctx, { action: 'firewall.attach', target, result: 'ok', requestId: ids.filter(Boolean).join(',') || undefined, message: attachedWords(params) })
    } catch (err) {
      await this.deps.audit.append(ctx, { action: 'firewall.attach', target, result: 'error', requestId: requestIdOf(err), message: (err as Error).message })
      throw err
    }
    if (params.dropletIds?.length) this.deps.bus.emit('droplets.changed', { ids: params.dropletIds })
    return toFirewall(await this.deps.api.firewall(firewall.id))
  }

  /** A firewall changes what reaches a droplet: read-only droplets need the unlock, one at a time in order. */
  private async checkLocks(dropletIds: number[] | undefined, unlock: boolean | undefined, what: string): Promise<void> {
    for (const id of dropletIds ?? []) await this.deps.lock(id, unlock, what)
  }
}

function attachedWords(params: { dropletIds?: number[]; tags?: string[] }): string {
  const parts = [...(params.dropletIds ?? []).map((id) => `droplet:${id}`), ...(params.tags ?? []).map((t) => `tag:${t}`)]
  return parts.length ? `attached to ${parts.join(', ')}` : 'attached to nothing yet'
}
