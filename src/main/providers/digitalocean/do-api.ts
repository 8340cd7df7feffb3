/**
 * A thin typed client of the DigitalOcean API v2: the operations Dropdeck uses, their JSON as
 * DigitalOcean sends it, and the mapping to the contract's shapes. No caching or policy here.
 */
import type { z } from 'zod'
import type { ActionSchema, Droplet, DropletDetailSchema, FirewallSchema, SnapshotSchema } from '../../../shared/contract'
import { isIpv4, isIpv6 } from '../../../shared/contract/host-address'
import { paginateDigitalOcean, type PageOptions } from '../http/paginate'
import type { HttpResult, ProviderHttp } from '../http/provider-http'

export interface DoNetwork {
  ip_address: string
  netmask: string
  gateway: string
  type: string
}

export interface DoDroplet {
  id: number
  name: string
  status: 'new' | 'active' | 'off' | 'archive'
  memory: number
  vcpus: number
  disk: number
  locked: boolean
  created_at: string
  features: string[]
  backup_ids: number[]
  next_backup_window: { start: string; end: string } | null
  snapshot_ids: number[]
  image: { name?: string; distribution?: string; slug?: string | null }
  volume_ids: string[]
  size: { slug: string; price_monthly: number; vcpus: number; memory: number; disk: number }
  size_slug: string
  networks: { v4?: DoNetwork[]; v6?: DoNetwork[] }
  region: { slug: string; name: string }
  tags: string[]
  vpc_uuid?: string | null
}

export interface DoAction {
  id: number
  status: 'in-progress' | 'completed' | 'errored'
  type: string
  started_at: string | null
  completed_at: string | null
  resource_id: number | null
  resource_type: string
}

export interface DoAccount {
  email: string
  name?: string
  status: string
  status_message?: string
  team?: { uuid: string; name: string }
}

export interface DoDropletSnapshot {
  id: number
  name: string
  created_at: string
  regions: string[]
  min_disk_size: number | null
  size_gigabytes: number
}

export interface DoSnapshot extends Omit<DoDropletSnapshot, 'id'> {
  id: string
  resource_id: string
  resource_type: 'droplet' | 'volume'
}

interface DoRuleTarget {
  addresses?: string[]
  droplet_ids?: number[]
  load_balancer_uids?: string[]
  kubernetes_ids?: string[]
  tags?: string[] | null
}

export interface DoFirewallRule {
  protocol: 'tcp' | 'udp' | 'icmp'
  ports: string
  sources?: DoRuleTarget
  destinations?: DoRuleTarget
}

export interface DoFirewall {
  id: string
  name: string
  status: string
  created_at: string
  inbound_rules: DoFirewallRule[] | null
  outbound_rules: DoFirewallRule[] | null
  droplet_ids: number[] | null
  tags: string[] | null
}

export interface DoDomain {
  name: string
  ttl: number | null
}

export interface DoRecord {
  id: number
  type: string
  name: string
  data: string
  priority: number | null
  port: number | null
  ttl: number
  weight: number | null
  flags: number | null
  tag: string | null
}

export type DoRecordInput = Omit<DoRecord, 'id' | 'port' | 'weight' | 'flags' | 'tag'> & Partial<Pick<DoRecord, 'port' | 'weight' | 'flags' | 'tag'>>

export type DoActionBody = { type: string; name?: string; size?: string; disk?: boolean }

export class DoApi {
  constructor(readonly http: ProviderHttp) {}

  async account(): Promise<DoAccount> {
    return (await this.http.request<{ account: DoAccount }>('GET', '/v2/account')).body.account
  }

  listDroplets(options?: PageOptions): Promise<{ items: DoDroplet[]; total: number }> {
    return paginateDigitalOcean<DoDroplet>(this.http, '/v2/droplets', 'droplets', {}, options)
  }

  async droplet(id: number): Promise<DoDroplet> {
    return (await this.http.request<{ droplet: DoDroplet }>('GET', `/v2/droplets/${id}`)).body.droplet
  }

  async postAction(dropletId: number, body: DoActionBody): Promise<HttpResult<{ action: DoAction }>> {
    return this.http.request<{ action: DoAction }>('POST', `/v2/droplets/${dropletId}/actions`, { body })
  }

  async action(id: number): Promise<DoAction> {
    return (await this.http.request<{ action: DoAction }>('GET', `/v2/actions/${id}`)).body.action
  }

  /** The most recent actions of a droplet (DigitalOcean lists newest first): one page is enough. */
  async recentActions(dropletId: number, count = 20): Promise<DoAction[]> {
    return (await this.http.request<{ actions: DoAction[] }>('GET', `/v2/droplets/${dropletId}/actions`, { query: { page: 1, per_page: count } })).body.actions
  }

  async dropletSnapshots(dropletId: number): Promise<DoDropletSnapshot[]> {
    return (await paginateDigitalOcean<DoDropletSnapshot>(this.http, `/v2/droplets/${dropletId}/snapshots`, 'snapshots')).items
  }

  async dropletFirewalls(dropletId: number): Promise<DoFirewall[]> {
    return (await paginateDigitalOcean<DoFirewall>(this.http, `/v2/droplets/${dropletId}/firewalls`, 'firewalls')).items
  }

  async snapshots(): Promise<DoSnapshot[]> {
    return (await paginateDigitalOcean<DoSnapshot>(this.http, '/v2/snapshots', 'snapshots', { resource_type: 'droplet' })).items
  }

  async snapshot(id: string): Promise<DoSnapshot> {
    return (await this.http.request<{ snapshot: DoSnapshot }>('GET', `/v2/snapshots/${encodeURIComponent(id)}`)).body.snapshot
  }

  async deleteSnapshot(id: string): Promise<HttpResult<unknown>> {
    return this.http.request('DELETE', `/v2/snapshots/${encodeURIComponent(id)}`)
  }

  async firewalls(): Promise<DoFirewall[]> {
    return (await paginateDigitalOcean<DoFirewall>(this.http, '/v2/firewalls', 'firewalls')).items
  }

  async firewall(id: string): Promise<DoFirewall> {
    return (await this.http.request<{ firewall: DoFirewall }>('GET', `/v2/firewalls/${encodeURIComponent(id)}`)).body.firewall
  }

  async createFirewall(body: { name: string; inbound_rules: DoFirewallRule[]; outbound_rules: DoFirewallRule[]; droplet_ids?: number[]; tags?: string[] }): Promise<HttpResult<{ firewall: DoFirewall }>> {
    return this.http.request<{ firewall: DoFirewall }>('POST', '/v2/firewalls', { body })
  }

  async assignFirewallDroplets(id: string, dropletIds: number[]): Promise<HttpResult<unknown>> {
    return this.http.request('POST', `/v2/firewalls/${encodeURIComponent(id)}/droplets`, { body: { droplet_ids: dropletIds } })
  }

  async addFirewallTags(id: string, tags: string[]): Promise<HttpResult<unknown>> {
    return this.http.request('POST', `/v2/firewalls/${encodeURIComponent(id)}/tags`, { body: { tags } })
  }

  async createTag(name: string): Promise<HttpResult<unknown>> {
    return this.http.request('POST', '/v2/tags', { body: { name } })
  }

  async tagDroplet(tag: string, dropletId: number, remove: boolean): Promise<HttpResult<unknown>> {
    return this.http.request(remove ? 'DELETE' : 'POST', `/v2/tags/${encodeURIComponent(tag)}/resources`, { body: { resources: [{ resource_id: String(dropletId), resource_type: 'droplet' }] } })
  }

  async domains(): Promise<DoDomain[]> {
    return (await paginateDigitalOcean<DoDomain>(this.http, '/v2/domains', 'domains')).items
  }

  async records(domain: string): Promise<DoRecord[]> {
    return (await paginateDigitalOcean<DoRecord>(this.http, `/v2/domains/${encodeURIComponent(domain)}/records`, 'domain_records')).items
  }

  async record(domain: string, id: string): Promise<DoRecord> {
    return (await this.http.request<{ domain_record: DoRecord }>('GET', `/v2/domains/${encodeURIComponent(domain)}/records/${encodeURIComponent(id)}`)).body.domain_record
  }

  async createRecord(domain: string, record: DoRecordInput): Promise<HttpResult<{ domain_record: DoRecord }>> {
    return this.http.request<{ domain_record: DoRecord }>('POST', `/v2/domains/${encodeURIComponent(domain)}/records`, { body: record })
  }

  async updateRecord(domain: string, id: string, record: DoRecordInput): Promise<HttpResult<{ domain_record: DoRecord }>> {
    return this.http.request<{ domain_record: DoRecord }>('PUT', `/v2/domains/${encodeURIComponent(domain)}/records/${encodeURIComponent(id)}`, { body: record })
  }

  async deleteRecord(domain: string, id: string): Promise<HttpResult<unknown>> {
    return this.http.request('DELETE', `/v2/domains/${encodeURIComponent(domain)}/records/${encodeURIComponent(id)}`)
  }
}

// ---------------------------------------------------------------------------------------------
// Mapping to the contract

export interface ManagedPolicy {
  managedTag: string
  managedTagEnforced: boolean
}

/**
 * The droplet's address of one type, only if it is an IP literal: it becomes an SSH host name, written to
 * known_hosts and sent in CONNECT requests, so an API answer cannot smuggle a pattern or a header in.
 */
function addressOf(networks: DoNetwork[], type: string, isIp: (text: string) => boolean): string | null {
  const address = networks.find((n) => n.type === type)?.ip_address
  return typeof address === 'string' && isIp(address) ? address : null
}

export function toDroplet(d: DoDroplet, policy: ManagedPolicy): Droplet {
  const v4 = d.networks?.v4 ?? []
  const v6 = d.networks?.v6 ?? []
  const managed = d.tags.includes(policy.managedTag)
  return {
    id: d.id,
    name: d.name,
    status: d.status,
    publicIpv4: addressOf(v4, 'public', isIpv4),
    privateIpv4: addressOf(v4, 'private', isIpv4),
    publicIpv6: addressOf(v6, 'public', isIpv6),
    region: d.region?.slug ?? '',
    regionName: d.region?.name ?? d.region?.slug ?? '',
    sizeSlug: d.size_slug ?? d.size?.slug ?? '',
    vcpus: d.vcpus,
    memoryMb: d.memory,
    diskGb: d.disk,
    image: imageName(d.image),
    tags: d.tags,
    monitoring: d.features?.includes('monitoring') ?? false,
    priceMonthly: d.size?.price_monthly ?? 0,
    createdAt: d.created_at,
    locked: d.locked,
    managed,
    readOnly: policy.managedTagEnforced && !managed
  }
}

/** "Ubuntu 22.04 (LTS) x64": distribution and name, without repeating the distribution. */
function imageName(image: DoDroplet['image']): string {
  const name = image?.name ?? ''
  const dist = image?.distribution ?? ''
  if (!dist || name.toLowerCase().startsWith(dist.toLowerCase())) return name || dist || image?.slug || 'unknown'
  return `${dist} ${name}`
}

export function toAction(a: DoAction): z.infer<typeof ActionSchema> {
  return { id: a.id, type: a.type, status: a.status, startedAt: a.started_at ?? null, completedAt: a.completed_at ?? null, dropletId: a.resource_type === 'droplet' ? a.resource_id : null }
}

export function toSnapshot(s: DoSnapshot | DoDropletSnapshot, dropletId?: number): z.infer<typeof SnapshotSchema> {
  const resourceId = 'resource_id' in s && s.resource_type === 'droplet' ? Number(s.resource_id) : undefined
  return {
    id: String(s.id),
    name: s.name,
    createdAt: s.created_at,
    sizeGb: s.size_gigabytes,
    minDiskSize: s.min_disk_size ?? null,
    regions: s.regions,
    dropletId: dropletId ?? (resourceId !== undefined && Number.isInteger(resourceId) ? resourceId : null)
  }
}

export function toFirewall(f: DoFirewall): z.infer<typeof FirewallSchema> {
  const words = (t: DoRuleTarget | undefined): string[] => [
    ...(t?.addresses ?? []),
    ...(t?.droplet_ids ?? []).map((id) => `droplet:${id}`),
    ...(t?.tags ?? []).map((tag) => `tag:${tag}`),
    ...(t?.load_balancer_uids ?? []).map((id) => `load-balancer:${id}`),
    ...(t?.kubernetes_ids ?? []).map((id) => `kubernetes:${id}`)
  ]
  return {
    id: f.id,
    name: f.name,
    status: f.status,
    rules: [
      ...(f.inbound_rules ?? []).map((r) => ({ direction: 'inbound' as const, protocol: r.protocol, ports: r.ports, peers: words(r.sources) })),
      ...(f.outbound_rules ?? []).map((r) => ({ direction: 'outbound' as const, protocol: r.protocol, ports: r.ports, peers: words(r.destinations) }))
    ],
    dropletIds: f.droplet_ids ?? [],
    tags: f.tags ?? [],
    createdAt: f.created_at
  }
}

export type DropletDetail = z.infer<typeof DropletDetailSchema>

export function toDropletDetail(d: DoDroplet, policy: ManagedPolicy, extra: { snapshots: DoDropletSnapshot[]; firewalls: DoFirewall[]; actions: DoAction[] }): DropletDetail {
  const net = (version: 'v4' | 'v6') => (d.networks?.[version] ?? []).map((n) => ({ version, type: n.type, ipAddress: n.ip_address, netmask: String(n.netmask ?? ''), gateway: n.gateway ?? '' }))
  return {
    ...toDroplet(d, policy),
    networks: [...net('v4'), ...net('v6')],
    features: d.features ?? [],
    volumeIds: d.volume_ids ?? [],
    vpcUuid: d.vpc_uuid ?? null,
    backupIds: d.backup_ids ?? [],
    nextBackupWindow: d.next_backup_window ?? null,
    snapshots: extra.snapshots.map((s) => toSnapshot(s, d.id)),
    firewalls: extra.firewalls.map(toFirewall),
    recentActions: extra.actions.map(toAction)
  }
}
