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
