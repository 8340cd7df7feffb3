/**
 * DNS at Cloudflare and DigitalOcean in one view: zones from both (a provider without a token is
 * skipped, one that fails is reported next to the other's zones), records with fully qualified names, which droplet each A/AAAA points at, dangling
 * records, and host names the operator relies on that have no record. Writes are checked here
 * first (so a bad name or address never reaches a provider), confirmed when they delete, and audited.
 */
import { z } from 'zod'
import { DnsRecordInputSchema, type DnsRecordSchema, type Provider, type ProviderListErrorSchema, type Result, type ZoneListSchema, type ZoneSchema } from '../../../shared/contract'
import { DropdeckError } from '../../../shared/errors'
import type { CallContext } from '../../rpc/context'
import type { EventBus } from '../../rpc/event-bus'
import type { SecretsService } from '../../secrets/secrets-service'
import type { SettingsStore } from '../../settings/settings-store'
import type { AuditLog } from '../audit/audit-log'
import type { CfApi, CfRecord, CfRecordInput } from '../cloudflare/cf-api'
import type { DoApi, DoDroplet, DoRecord, DoRecordInput } from '../digitalocean/do-api'
import { requestIdOf } from '../droplets/snapshots-service'

type Zone = z.infer<typeof ZoneSchema>
type ZoneList = z.infer<typeof ZoneListSchema>
type ProviderListError = z.infer<typeof ProviderListErrorSchema>
type DnsRecord = z.infer<typeof DnsRecordSchema>
type RecordInput = z.output<typeof DnsRecordInputSchema>
/** A record before it is matched against droplets and other zones. */
type BareRecord = Omit<DnsRecord, 'droplet' | 'dangling' | 'danglingReason'>

const PROXIABLE = new Set(['A', 'AAAA', 'CNAME'])
const HOSTNAME = /^(?=.{1,253}$)([a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.?$/
const DO_AUTO_TTL = 1800

export class DnsService {
  private readonly zoneCache = new Map<string, Zone[]>()
  private readonly recordCache = new Map<string, BareRecord[]>()

  constructor(
    private readonly deps: {
      digitalocean: DoApi
      cloudflare: CfApi
      secrets: SecretsService
      settings: SettingsStore
      bus: EventBus
      audit: AuditLog
      droplets: () => Promise<DoDroplet[]>
      /** Host names in use elsewhere in the app (SSH hosts), with where. */
      usedHostnames?: () => Promise<Array<{ hostname: string; usedBy: string }>>
      log: (line: string) => void
    }
  ) {}

  invalidate(): void {
    this.zoneCache.clear()
    this.recordCache.clear()
  }

  /**
   * Zones from both providers. One provider's failure (a refused token, a token without the
   * domain read scope) never hides the other's zones: the list holds what could be read, plus an
   * error per provider that failed. Only a complete list is cached, so a failed provider is asked
   * again next time.
   */
  async zones(refresh = false): Promise<ZoneList> {
    const team = await this.context()
    const cached = this.zoneCache.get(team)
    if (cached && !refresh) return { items: cached, errors: [] }
    const errors: ProviderListError[] = []
    const read = async (provider: Provider, list: () => Promise<Zone[]>): Promise<Zone[]> => {
      if (!(await this.hasToken(provider))) return []
      try {
        return await list()
      } catch (err) {
        const error = err instanceof DropdeckError ? err : new DropdeckError('UPSTREAM', String(err))
        this.deps.log(`dns: ${provider} zones failed: ${error.message}`)
        errors.push({ provider, ...(provider === 'digitalocean' ? { team } : {}), code: error.code, message: error.message })
        return []
      }
    }
    const [doZones, cfZones] = await Promise.all([
      read('digitalocean', async () => (await this.deps.digitalocean.domains()).map((d): Zone => ({ provider: 'digitalocean', id: d.name, name: d.name }))),
      read('cloudflare', async () => (await this.deps.cloudflare.zones()).map((z): Zone => ({ provider: 'cloudflare', id: z.id, name: z.name, status: z.status })))
    ])
    const items = [...cfZones, ...doZones].sort((a, b) => a.name.localeCompare(b.name))
    if (errors.length === 0) this.zoneCache.set(team, items)
    errors.sort((a, b) => a.provider.localeCompare(b.provider))
    return { items, errors }
  }

  async records(provider: Provider, zoneId: string, refresh = false): Promise<DnsRecord[]> {
    const zone = await this.zone(provider, zoneId)
    const bare = await this.bareRecords(zone, refresh)
    return this.annotate(bare)
  }

  async create(ctx: CallContext, provider: Provider, zoneId: string, input: RecordInput): Promise<DnsRecord> {
    const zone = await this.zone(provider, zoneId)
    const record = checkRecord(provider, zone, input)
    const target = `${record.type} ${record.fqdn} (${provider} zone ${zone.name})`
    let created: BareRecord
    try {
      if (provider === 'cloudflare') {
        const res = await this.deps.cloudflare.createRecord(zone.id, cfBody(record))
        created = fromCloudflare(zone, res.body)
        await this.deps.audit.append(ctx, { action: 'dns.record.create', target, result: 'ok', requestId: res.requestId, message: record.content })
      } else {
        const res = await this.deps.digitalocean.createRecord(zone.name, doBody(record, zone))
        created = fromDigitalOcean(zone, res.body.domain_record)
        await this.deps.audit.append(ctx, { action: 'dns.record.create', target, result: 'ok', requestId: res.requestId, message: record.content })
      }
    } catch (err) {
      await this.deps.audit.append(ctx, { action: 'dns.record.create', target, result: 'error', requestId: requestIdOf(err), message: (err as Error).message })
      throw err
    }
    return this.changed(zone, created)
  }

  async update(ctx: CallContext, provider: Provider, zoneId: string, id: string, input: RecordInput): Promise<DnsRecord> {
    const zone = await this.zone(provider, zoneId)
    const record = checkRecord(provider, zone, input)
    const target = `${record.type} ${record.fqdn} (${provider} zone ${zone.name}, record ${id})`
    let updated: BareRecord
    try {
      if (provider === 'cloudflare') {
        const res = await this.deps.cloudflare.updateRecord(zone.id, id, cfBody(record))
        updated = fromCloudflare(zone, res.body)
        await this.deps.audit.append(ctx, { action: 'dns.record.update', target, result: 'ok', requestId: res.requestId, message: record.content })
      } else {
        const res = await this.deps.digitalocean.updateRecord(zone.name, id, doBody(record, zone))
        updated = fromDigitalOcean(zone, res.body.domain_record)
        await this.deps.audit.append(ctx, { action: 'dns.record.update', target, result: 'ok', requestId: res.requestId, message: record.content })
      }
    } catch (err) {
      await this.deps.audit.append(ctx, { action: 'dns.record.update', target, result: 'error', requestId: requestIdOf(err), message: (err as Error).message })
      throw err
    }
    return this.changed(zone, updated)
  }

  async delete(ctx: CallContext, provider: Provider, zoneId: string, id: string, confirm: string): Promise<Result<'dns.records.delete'>> {
    const zone = await this.zone(provider, zoneId)
    const current = provider === 'cloudflare' ? fromCloudflare(zone, await this.deps.cloudflare.record(zone.id, id)) : fromDigitalOcean(zone, await this.deps.digitalocean.record(zone.name, id))
    if (confirm !== current.name) {
      throw new DropdeckError('CONFIRMATION_REQUIRED', `Deleting the ${current.type} record ${current.name} cannot be undone: type its name, ${current.name}, to confirm.`, { data: { expected: current.name } })
    }
    const target = `${current.type} ${current.name} (${provider} zone ${zone.name}, record ${id})`
    try {
      const res = provider === 'cloudflare' ? await this.deps.cloudflare.deleteRecord(zone.id, id) : await this.deps.digitalocean.deleteRecord(zone.name, id)
      await this.deps.audit.append(ctx, { action: 'dns.record.delete', target, result: 'ok', requestId: res.requestId, message: `was ${current.content}` })
    } catch (err) {
      await this.deps.audit.append(ctx, { action: 'dns.record.delete', target, result: 'error', requestId: requestIdOf(err), message: (err as Error).message })
      throw err
    }
    const key = await this.recordKey(zone)
    const cached = this.recordCache.get(key)
    if (cached) this.recordCache.set(key, cached.filter((r) => r.id !== id))
    this.deps.bus.emit('dns.changed', { provider, zoneId: zone.id })
    return { deleted: true }
  }

  /** settings.watchedHostnames that have no record (of any type, wildcards count) in the zones Dropdeck sees. */
  /**
   * Host names the operator relies on with no record: every watched host name, and the SSH hosts'
   * names that fall inside a zone Dropdeck manages (a name elsewhere, say github.com, is not ours to flag).
   */
  async missing(): Promise<Result<'dns.missing'>> {
    const { watchedHostnames } = await this.deps.settings.get()
    const used = (await this.deps.usedHostnames?.().catch(() => [])) ?? []
    if (!watchedHostnames.length && !used.length) return []
    const { items: zones, errors } = await this.zones()
    const candidates = [
      ...watchedHostnames.map((raw) => ({ hostname: normalize(raw), usedBy: 'settings.watchedHostnames', needsZone: false })),
      ...used.map((u) => ({ hostname: normalize(u.hostname), usedBy: u.usedBy, needsZone: true }))
    ]
    const out: Result<'dns.missing'> = []
    const seen = new Set<string>()
    for (const { hostname, usedBy, needsZone } of candidates) {
      if (seen.has(hostname)) continue
      seen.add(hostname)
      const zone = zoneFor(zones, hostname)
      if (zone) {
        const names = new Set((await this.bareRecords(zone, false)).map((r) => r.name.toLowerCase()))
        const parent = hostname.split('.').slice(1).join('.')
        if (names.has(hostname) || names.has(`*.${parent}`)) continue
      } else if (needsZone || errors.length > 0) {
        // outside our zones; or a provider's zones could not be read, and the name may be in one of them
        continue
      }
      out.push({ hostname, zone: zone ?? null, usedBy })
    }
    return out
  }

  // -------------------------------------------------------------------------------------------

  private async context(): Promise<string> {
    return (await this.deps.settings.get()).digitaloceanContext
  }

  private async hasToken(provider: Provider): Promise<boolean> {
    return this.deps.secrets.hasToken(provider, provider === 'digitalocean' ? await this.context() : undefined)
  }

  private async recordKey(zone: Zone): Promise<string> {
    return `${zone.provider === 'digitalocean' ? await this.context() : ''}:${zone.provider}:${zone.id}`
  }

  private async zone(provider: Provider, zoneId: string): Promise<Zone> {
    const find = (zones: Zone[]) => zones.find((z) => z.provider === provider && z.id === zoneId)
    const cached = find((await this.zones()).items)
    if (cached) return cached
    const fresh = await this.zones(true)
    const zone = find(fresh.items)
    if (zone) return zone
    // The provider's zones could not be read: say why, rather than "no such zone".
    const failed = fresh.errors.find((e) => e.provider === provider)
    if (failed) throw new DropdeckError(failed.code, failed.message, { data: { provider, zoneId } })
    throw new DropdeckError('NOT_FOUND', `No ${provider === 'cloudflare' ? 'Cloudflare' : 'DigitalOcean'} zone ${zoneId} is visible with the stored token.`, { data: { provider, zoneId } })
  }

  private async bareRecords(zone: Zone, refresh: boolean): Promise<BareRecord[]> {
    const key = await this.recordKey(zone)
    const cached = this.recordCache.get(key)
    if (cached && !refresh) return cached
    const records = zone.provider === 'cloudflare' ? (await this.deps.cloudflare.records(zone.id)).map((r) => fromCloudflare(zone, r)) : (await this.deps.digitalocean.records(zone.name)).map((r) => fromDigitalOcean(zone, r))
    this.recordCache.set(key, records)
    return records
  }

  private async changed(zone: Zone, record: BareRecord): Promise<DnsRecord> {
    const key = await this.recordKey(zone)
    const cached = this.recordCache.get(key)
    if (cached) this.recordCache.set(key, [...cached.filter((r) => r.id !== record.id), record])
    this.deps.bus.emit('dns.changed', { provider: zone.provider, zoneId: zone.id })
    const [annotated] = await this.annotate([record])
    return annotated
  }

  /** Which droplet each A/AAAA points at; dangling A/AAAA (no droplet has the address) and CNAMEs (no record at the target). */
  private async annotate(records: BareRecord[]): Promise<DnsRecord[]> {
    let byIp: Map<string, { id: number; name: string }> | undefined
    if (records.some((r) => r.type === 'A' || r.type === 'AAAA') && (await this.hasToken('digitalocean'))) {
      try {
        byIp = new Map()
        for (const d of await this.deps.droplets()) {
          for (const n of [...(d.networks?.v4 ?? []), ...(d.networks?.v6 ?? [])]) byIp.set(n.ip_address.toLowerCase(), { id: d.id, name: d.name })
        }
      } catch (err) {
        // Without the droplet list nothing can be called dangling; say nothing rather than guess.
        this.deps.log(`dns: droplets unavailable for matching records: ${(err as Error).message}`)
        byIp = undefined
      }
    }
    const zones = records.some((r) => r.type === 'CNAME') ? (await this.zones()).items : []
    const out: DnsRecord[] = []
    for (const r of records) {
      const rec: DnsRecord = { ...r, droplet: null, dangling: false }
      if ((r.type === 'A' || r.type === 'AAAA') && byIp) {
        const d = byIp.get(r.content.toLowerCase())
        if (d) rec.droplet = d
        else Object.assign(rec, { dangling: true, danglingReason: `${r.content} is not the address of any droplet in this DigitalOcean team` })
      }
      if (r.type === 'CNAME') {
        const target = normalize(r.content)
        const zone = zoneFor(zones, target)
        if (zone) {
          try {
            const names = new Set((await this.bareRecords(zone, false)).map((x) => x.name.toLowerCase()))
            const parent = target.split('.').slice(1).join('.')
            if (!names.has(target) && !names.has(`*.${parent}`)) Object.assign(rec, { dangling: true, danglingReason: `${target} has no record in ${zone.name}` })
          } catch (err) {
            this.deps.log(`dns: records of ${zone.name} unavailable for CNAME ${r.name}: ${(err as Error).message}`)
          }
        }
      }
      out.push(rec)
    }
    return out
  }
}

// ---------------------------------------------------------------------------------------------

function normalize(name: string): string {
  return name.trim().replace(/\.$/, '').toLowerCase()
}

/** The zone a name falls in: the longest zone name it ends with. */
function zoneFor(zones: Zone[], hostname: string): Zone | undefined {
  return zones.filter((z) => hostname === z.name || hostname.endsWith(`.${z.name}`)).sort((a, b) => b.name.length - a.name.length)[0]
}

function fqdn(zone: Zone, name: string): string {
  const n = name.replace(/\.$/, '')
  if (n === '@' || n === '' || n.toLowerCase() === zone.name) return zone.name
  return n.toLowerCase().endsWith(`.${zone.name}`) ? n : `${n}.${zone.name}`
}

function fromCloudflare(zone: Zone, r: CfRecord): BareRecord {
  return { provider: 'cloudflare', zoneId: zone.id, id: r.id, type: r.type, name: r.name, content: r.content, ttl: r.ttl, proxied: r.proxied ?? false, priority: r.priority ?? null }
}

function fromDigitalOcean(zone: Zone, r: DoRecord): BareRecord {
  const content = ['CNAME', 'MX', 'NS'].includes(r.type) && r.data === '@' ? zone.name : r.data.replace(/\.$/, '')
  return { provider: 'digitalocean', zoneId: zone.id, id: String(r.id), type: r.type, name: fqdn(zone, r.name), content, ttl: r.ttl, proxied: null, priority: r.priority ?? null }
}

interface CheckedRecord extends RecordInput {
  fqdn: string
}

/**
 * What the providers would refuse, refused here first and in the operator's words (a ZodError:
 * the router answers BAD_REQUEST). Names and content per type; proxied only where Cloudflare proxies.
 */
function checkRecord(provider: Provider, zone: Zone, input: RecordInput): CheckedRecord {
  const schema = DnsRecordInputSchema.superRefine((r, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    if (r.type === 'A' && !z.ipv4().safeParse(r.content).success) issue('content', `an A record needs an IPv4 address, not "${r.content}"`)
    if (r.type === 'AAAA' && !z.ipv6().safeParse(r.content).success) issue('content', `an AAAA record needs an IPv6 address, not "${r.content}"`)
    if (['CNAME', 'NS', 'MX'].includes(r.type)) {
      if (!HOSTNAME.test(r.content)) issue('content', `a ${r.type} record needs a host name, not "${r.content}"`)
      else if (z.ipv4().safeParse(r.content).success) issue('content', `a ${r.type} record points at a host name; use an A record for ${r.content}`)
    }
    if (r.type === 'MX' && r.priority === undefined) issue('priority', 'an MX record needs a priority')
    if (r.type === 'SRV' || r.type === 'CAA') issue('type', `${r.type} records can be listed but not yet written from Dropdeck; edit them in the provider's dashboard`)
    if (r.proxied !== undefined && provider === 'digitalocean') issue('proxied', 'DigitalOcean DNS has no proxy: leave "proxied" out')
    if (r.proxied === true && !PROXIABLE.has(r.type)) issue('proxied', `Cloudflare proxies only A, AAAA and CNAME records, not ${r.type}`)
    if (provider === 'cloudflare' && r.ttl !== 1 && (r.ttl < 60 || r.ttl > 86400)) issue('ttl', 'Cloudflare takes a TTL of 60 to 86400 seconds, or 1 for automatic')
    if (provider === 'digitalocean' && r.ttl !== 1 && r.ttl < 30) issue('ttl', 'DigitalOcean takes a TTL of at least 30 seconds (1 means its default, 1800)')
    if (r.type === 'CNAME' && fqdn(zone, r.name) === zone.name) issue('name', 'a CNAME cannot sit at the zone apex')
  })
  const parsed = schema.parse(input)
  return { ...parsed, fqdn: fqdn(zone, parsed.name) }
}

function cfBody(r: CheckedRecord): CfRecordInput {
  const body: CfRecordInput = { type: r.type, name: r.fqdn, content: r.content.replace(/\.$/, ''), ttl: r.ttl }
  if (PROXIABLE.has(r.type)) body.proxied = r.proxied ?? false
  if (r.priority !== undefined) body.priority = r.priority
  return body
}

function doBody(r: CheckedRecord, zone: Zone): DoRecordInput {
  const relative = r.fqdn === zone.name ? '@' : r.fqdn.slice(0, -(zone.name.length + 1))
  // DigitalOcean wants host names in data fully qualified, with the trailing dot
  const data = ['CNAME', 'NS', 'MX'].includes(r.type) && !r.content.endsWith('.') ? `${r.content}.` : r.content
  return { type: r.type, name: relative, data, ttl: r.ttl === 1 ? DO_AUTO_TTL : r.ttl, priority: r.priority ?? null }
}
