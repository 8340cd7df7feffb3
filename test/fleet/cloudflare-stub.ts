// A stub of the Cloudflare API v4 (served under /client/v4, like the real one): token verify,
// zones and DNS records with page/per_page and result_info, bearer auth, and Cloudflare's
// envelope {success, errors: [{code, message}], messages, result} for every answer.
import { createHash } from 'node:crypto'
import { startStubServer, type Fault, type ProviderAdapter, type Route, type StubRequest, type StubResponse, type StubServer } from './stub-server'
import { fleetDroplets, hexId, seedCfZones, type DropletSpec, type ZoneSpec } from './fleet-model'
import { cfRecords, cfZone, type CfRecord, type CfZone } from './cloudflare-fixtures'

/** 40 characters like a real API token; deterministic so a person can paste it. */
export const CF_TEST_TOKEN = createHash('sha256').update('dropdeck-fleet-bench-cf').digest('base64url').slice(0, 40)

export interface CloudflareStubOptions {
  zones?: ZoneSpec[]
  /** Droplets that records point at (so moved droplets keep their records); default the seed fleet. */
  droplets?: DropletSpec[]
  /** Synthetic TXT records added to the first zone, for paging through a big zone. */
  extraRecords?: number
  token?: string
  host?: string
  port?: number
  latencyMs?: number
  faults?: Fault[]
}

export interface CloudflareStub extends StubServer {
  token: string
  zones: CfZone[]
  records: Map<string, CfRecord[]>
}

// codes Cloudflare uses for these cases
const ERRORS: Record<number, [number, string]> = {
  400: [6003, 'Invalid request headers'],
  401: [10000, 'Authentication error'],
  404: [7003, 'Could not route to the requested resource, perhaps your object identifier is invalid?'],
  405: [10405, 'Method not allowed for this endpoint'],
  // the edge answers 971, but the spec requires codes >= 1000: use the API's own code
  429: [10000, 'Rate limited. Please wait and consider throttling your request speed'],
  500: [10001, 'Internal server error'],
  502: [10002, 'Bad gateway'],
  503: [10013, 'Service temporarily unavailable'],
}

export function cfFailure(status: number, message?: string, code?: number) {
  const [c, text] = ERRORS[status] ?? [10001, 'Internal server error']
  return { success: false, errors: [{ code: code ?? c, message: message ?? text }], messages: [], result: null }
}

const PROXIABLE = new Set(['A', 'AAAA', 'CNAME'])
const RECORD_TYPES = new Set(['A', 'AAAA', 'CNAME', 'TXT', 'MX', 'NS', 'SRV', 'CAA'])
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/

const ok = (result: unknown, extra: Record<string, unknown> = {}): StubResponse => ({ status: 200, body: { success: true, errors: [], messages: [], result, ...extra } })

/** Cloudflare paging: page/per_page within [min, max], result_info with totals. */
function paged<T>(req: StubRequest, items: T[], limits: { def: number; min: number; max: number }): StubResponse {
  const asked = Number.parseInt(req.query.get('per_page') ?? '', 10)
  const perPage = Number.isNaN(asked) ? limits.def : Math.min(limits.max, Math.max(limits.min, asked))
  const page = Math.max(1, Number.parseInt(req.query.get('page') ?? '', 10) || 1)
  const slice = items.slice((page - 1) * perPage, page * perPage)
  return ok(slice, { result_info: { page, per_page: perPage, count: slice.length, total_count: items.length, total_pages: Math.max(1, Math.ceil(items.length / perPage)) } })
}

export async function startCloudflareStub(opts: CloudflareStubOptions = {}): Promise<CloudflareStub> {
  const token = opts.token ?? CF_TEST_TOKEN
  const specs = opts.zones ?? seedCfZones()
  const droplets = opts.droplets ?? fleetDroplets()
  const zones = specs.map(cfZone)
  const records = new Map(specs.map((z, i) => [cfZone(z).id, cfRecords(z, droplets, i === 0 ? opts.extraRecords ?? 0 : 0)]))
  const zoneNotFound = (): StubResponse => ({ status: 404, body: cfFailure(404, 'Invalid zone identifier', 7003) })

  /** Cloudflare's own checks on a record body (codes as its API answers them). */
  const checkRecord = (zone: CfZone, input: unknown, list: CfRecord[], selfId?: string): { fields: Pick<CfRecord, 'name' | 'type' | 'content'> & Record<string, unknown> } | { error: StubResponse } => {
    const b = (input ?? {}) as Record<string, unknown>
    const bad = (code: number, message: string) => ({ error: { status: 400, body: cfFailure(400, message, code) } })
    const type = b.type
    if (typeof type !== 'string' || !RECORD_TYPES.has(type)) return bad(9000, 'DNS record type is invalid.')
    if (typeof b.name !== 'string' || !b.name) return bad(9007, 'DNS record name is required.')
    if (typeof b.content !== 'string' || !b.content) return bad(9005, 'Content is required.')
    if (type === 'A' && !IPV4.test(b.content)) return bad(9005, 'Content for A record is invalid. Must be a valid IPv4 address')
    if (type === 'AAAA' && !b.content.includes(':')) return bad(9005, 'Content for AAAA record is invalid. Must be a valid IPv6 address')
    if (type === 'CNAME' && IPV4.test(b.content)) return bad(9007, 'Content for CNAME record is invalid.')
    if (b.proxied === true && !PROXIABLE.has(type)) return bad(9004, 'This record type cannot be proxied.')
    if (type === 'MX' && typeof b.priority !== 'number') return bad(9101, 'Priority is required for MX records.')
    const ttl = b.ttl === undefined ? 1 : b.ttl
    if (typeof ttl !== 'number' || (ttl !== 1 && (ttl < 60 || ttl > 86400))) return bad(9021, 'Invalid TTL. Must be between 60 and 86400 seconds, or 1 for Automatic.')
    const name = b.name === '@' || b.name === zone.name ? zone.name : b.name.endsWith(`.${zone.name}`) ? b.name : `${b.name}.${zone.name}`
    if (list.some((r) => r.id !== selfId && r.type === type && r.name === name && r.content === b.content)) return bad(81058, 'An identical record already exists.')
    const out: Pick<CfRecord, 'name' | 'type' | 'content'> & Record<string, unknown> = { name, type, content: b.content, proxiable: PROXIABLE.has(type), proxied: PROXIABLE.has(type) ? b.proxied === true : false, ttl }
    if (typeof b.priority === 'number') out.priority = b.priority
    if (typeof b.comment === 'string') out.comment = b.comment
    return { fields: out }
  }

  /** PATCH merges into the record; PUT replaces what the record says (type, name, content, ttl, proxied...). */
  const updateRecord = (req: StubRequest, merge: boolean): StubResponse => {
    const zone = zones.find((x) => x.id === req.params.zone_id)
    const list = records.get(req.params.zone_id)
    if (!zone || !list) return zoneNotFound()
    const rec = list.find((x) => x.id === req.params.dns_record_id)
    if (!rec) return { status: 404, body: cfFailure(404, 'Record does not exist.', 81044) }
    const body = (req.body ?? {}) as Record<string, unknown>
    const checked = checkRecord(zone, merge ? { type: rec.type, name: rec.name, content: rec.content, ttl: rec.ttl, proxied: rec.proxied, priority: rec.priority, comment: rec.comment, ...body } : body, list, rec.id)
    if ('error' in checked) return checked.error
    if (!merge) {
      delete rec.priority
      delete rec.comment
    }
    Object.assign(rec, checked.fields, { modified_on: new Date().toISOString().replace('Z', '000Z') })
    return ok(rec)
  }

  const routes: Route[] = [
    {
      method: 'GET',
      path: '/user/tokens/verify',
      handler: () => ok({ id: hexId(`cf-token:${token}`), status: 'active', not_before: '2026-01-01T00:00:00Z', expires_on: '2027-01-01T00:00:00Z' }, { messages: [{ code: 10000, message: 'This API Token is valid and active', type: null }] }),
    },
    {
      method: 'GET',
      path: '/zones',
      handler: (req) => {
        const name = req.query.get('name')
        const status = req.query.get('status')
        return paged(req, zones.filter((z) => (!name || z.name === name) && (!status || z.status === status)), { def: 20, min: 5, max: 50 })
      },
    },
    {
      method: 'GET',
      path: '/zones/{zone_id}',
      handler: (req) => {
        const z = zones.find((x) => x.id === req.params.zone_id)
        return z ? ok(z) : zoneNotFound()
      },
    },
    {
      method: 'GET',
      path: '/zones/{zone_id}/dns_records',
      handler: (req) => {
        const list = records.get(req.params.zone_id)
        if (!list) return zoneNotFound()
        const type = req.query.get('type')
        const name = req.query.get('name')
        const content = req.query.get('content')
        return paged(req, list.filter((r) => (!type || r.type === type) && (!name || r.name === name) && (!content || r.content === content)), { def: 100, min: 5, max: 5_000_000 })
      },
    },
    {
      method: 'GET',
      path: '/zones/{zone_id}/dns_records/{dns_record_id}',
      handler: (req) => {
        const r = records.get(req.params.zone_id)?.find((x) => x.id === req.params.dns_record_id)
        return r ? ok(r) : { status: 404, body: cfFailure(404, 'Record does not exist.', 81044) }
      },
    },
    {
      method: 'POST',
      path: '/zones/{zone_id}/dns_records',
      handler: (req) => {
        const zone = zones.find((x) => x.id === req.params.zone_id)
        const list = records.get(req.params.zone_id)
        if (!zone || !list) return zoneNotFound()
        const checked = checkRecord(zone, req.body, list)
        if ('error' in checked) return checked.error
        const now = new Date().toISOString().replace('Z', '000Z')
        const rec: CfRecord = { id: hexId(`cf-record:${zone.name}:${Date.now()}:${Math.random()}`), zone_id: zone.id, zone_name: zone.name, ...checked.fields, locked: false, meta: { auto_added: false, managed_by_apps: false, managed_by_argo_tunnel: false, source: 'primary' }, tags: [], created_on: now, modified_on: now }
        list.push(rec)
        return ok(rec)
      },
    },
    { method: 'PATCH', path: '/zones/{zone_id}/dns_records/{dns_record_id}', handler: (req) => updateRecord(req, true) },
    { method: 'PUT', path: '/zones/{zone_id}/dns_records/{dns_record_id}', handler: (req) => updateRecord(req, false) },
    {
      method: 'DELETE',
      path: '/zones/{zone_id}/dns_records/{dns_record_id}',
      handler: (req) => {
        const list = records.get(req.params.zone_id)
        if (!list) return zoneNotFound()
        const i = list.findIndex((x) => x.id === req.params.dns_record_id)
        if (i < 0) return { status: 404, body: cfFailure(404, 'Record does not exist.', 81044) }
        list.splice(i, 1)
        return ok({ id: req.params.dns_record_id })
      },
    },
  ]

  const adapter: ProviderAdapter = {
    basePath: '/client/v4',
    errorBody: (status, message) => cfFailure(status, message),
    authenticate: (req) => {
      const auth = req.headers.authorization
      if (!auth) return { status: 400, body: cfFailure(400, 'Missing X-Auth-Key, X-Auth-Email or Authorization headers', 9106) }
      if (!/^Bearer [A-Za-z0-9_-]+$/.test(auth)) return { status: 400, body: { ...cfFailure(400), errors: [{ code: 6003, message: 'Invalid request headers', error_chain: [{ code: 6111, message: 'Invalid format for Authorization header' }] }] } }
      if (auth === `Bearer ${token}`) return undefined
      // /user/tokens/verify names the problem; other endpoints answer a generic auth error
      return { status: 401, body: req.path === '/user/tokens/verify' ? cfFailure(401, 'Invalid API Token', 1000) : cfFailure(401) }
    },
    beforeRespond: () => ({ headers: { 'cf-ray': `${hexId(`ray:${Date.now()}:${Math.random()}`).slice(0, 16)}-SIN` } }),
  }

  const server = await startStubServer({ routes, adapter, host: opts.host, port: opts.port, latencyMs: opts.latencyMs, faults: opts.faults })
  return { ...server, token, zones, records }
}
