// A stub of the DigitalOcean API v2 that behaves like the real one where Dropdeck depends on it:
// bearer auth, page/per_page pagination (max 200) with links.pages and meta.total, ratelimit-*
// headers on every response, droplet actions that go in-progress then completed and change the
// droplet's status, and DigitalOcean's error bodies {id, message, request_id}.
import { createHash } from 'node:crypto'
import { startStubServer, type Fault, type ProviderAdapter, type Route, type StubRequest, type StubResponse, type StubServer } from './stub-server'
import { fleetDroplets, seedDoDomains, type DropletSpec, type ZoneSpec } from './fleet-model'
import { doAccount, doDomain, doDroplet, doRegion, requestId, type DoDroplet } from './digitalocean-fixtures'

/** A token in DigitalOcean's format; deterministic so a person can paste it from the README. */
export const DO_TEST_TOKEN = 'dop_v1_' + createHash('sha256').update('dropdeck-fleet-bench').digest('hex')

export interface DigitalOceanStubOptions {
  /** A fleet size (seed droplets first, then generated), model droplets, or raw API droplets. */
  droplets?: number | DropletSpec[] | DoDroplet[]
  domains?: ZoneSpec[]
  token?: string
  host?: string
  port?: number
  latencyMs?: number
  faults?: Fault[]
  /** How long an action stays in-progress. Default 1500 ms. */
  actionDurationMs?: number
  /** Enforce DigitalOcean's limits (5000/hour, 250/minute by default) with real 429s. */
  rateLimit?: { perHour?: number; perMinute?: number; enforce?: boolean }
}

export interface DigitalOceanStub extends StubServer {
  token: string
  /** The stub's live droplets (status changes as actions complete). */
  droplets(): DoDroplet[]
}

const ERRORS: Record<number, [string, string]> = {
  400: ['bad_request', 'The request was invalid.'],
  401: ['unauthorized', 'Unable to authenticate you'],
  404: ['not_found', 'The resource you were accessing could not be found.'],
  405: ['method_not_allowed', 'The method is not allowed for this resource.'],
  422: ['unprocessable_entity', 'The request could not be processed.'],
  429: ['too_many_requests', 'API Rate limit exceeded.'],
  500: ['server_error', 'Server was unable to give you a response.'],
  502: ['bad_gateway', 'Bad gateway.'],
  503: ['service_unavailable', 'Service is temporarily unavailable. Please try again later.'],
}

let requestCounter = 0
function doError(status: number, message?: string) {
  const [id, text] = ERRORS[status] ?? ['server_error', 'Unexpected server-side error']
  return { id, message: message ?? text, request_id: requestId(++requestCounter) }
}

interface ActionRecord {
  id: number
  type: string
  dropletId: number
  region: string
  startedAt: number
  durationMs: number
  applied: boolean
}

const ACTION_TYPES = ['reboot', 'power_cycle', 'shutdown', 'power_off', 'power_on', 'enable_backups', 'disable_backups', 'snapshot', 'rename', 'password_reset']
const STATUS_AFTER: Record<string, string> = { reboot: 'active', power_cycle: 'active', power_on: 'active', shutdown: 'off', power_off: 'off' }

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

const isRaw = (d: DropletSpec | DoDroplet): d is DoDroplet => 'networks' in d

/** The model droplets (for DNS records to point at) and their API JSON. */
function toDroplets(input: DigitalOceanStubOptions['droplets']): { model: DropletSpec[]; json: DoDroplet[] } {
  if (input === undefined || typeof input === 'number') {
    const model = fleetDroplets(input)
    return { model, json: model.map(doDroplet) }
  }
  const model = input.filter((d): d is DropletSpec => !isRaw(d))
  // raw API droplets are served as given; DNS records then follow the seed fleet
  return { model: model.length ? model : fleetDroplets(), json: input.map((d) => (isRaw(d) ? structuredClone(d) : doDroplet(d))) }
}

/** DigitalOcean pagination: page/per_page (max 200), links.pages.{first,prev,next,last}, meta.total. */
export function paginate<T>(req: StubRequest, key: string, items: T[]): StubResponse {
  const perPage = Math.min(200, Math.max(1, Number.parseInt(req.query.get('per_page') ?? '', 10) || 20))
  const page = Math.max(1, Number.parseInt(req.query.get('page') ?? '', 10) || 1)
  const last = Math.max(1, Math.ceil(items.length / perPage))
  const link = (p: number) => {
    const q = new URLSearchParams(req.query)
    q.set('page', String(p))
    q.set('per_page', String(perPage))
    return `${req.baseUrl}${req.path}?${q}`
  }
  const pages: Record<string, string> = {}
  if (page > 1) Object.assign(pages, { first: link(1), prev: link(Math.min(page - 1, last)) })
  if (page < last) Object.assign(pages, { next: link(page + 1), last: link(last) })
  return {
    status: 200,
    body: { [key]: items.slice((page - 1) * perPage, page * perPage), links: Object.keys(pages).length ? { pages } : {}, meta: { total: items.length } },
  }
}

export async function startDigitalOceanStub(opts: DigitalOceanStubOptions = {}): Promise<DigitalOceanStub> {
  const token = opts.token ?? DO_TEST_TOKEN
  const { model, json: droplets } = toDroplets(opts.droplets)
  const domains = (opts.domains ?? seedDoDomains()).map((z) => doDomain(z, model))
  const actions = new Map<number, ActionRecord>()
  let nextActionId = 2_950_000_001
  const actionDurationMs = opts.actionDurationMs ?? 1500

  // rate limiting: an hourly budget (reported in headers) and a per-minute window
  const perHour = opts.rateLimit?.perHour ?? 5000
  const perMinute = opts.rateLimit?.perMinute ?? 250
  let hourStart = Date.now()
  let hourCount = 0
  const minuteWindow: number[] = []

  const findDroplet = (id: string) => droplets.find((d) => String(d.id) === id)

  /** Completed actions take effect lazily, on the next request: no timers to clean up. */
  const settle = () => {
    const now = Date.now()
    for (const a of actions.values()) {
      if (a.applied || now < a.startedAt + a.durationMs) continue
      a.applied = true
      const d = droplets.find((x) => x.id === a.dropletId)
      if (!d) continue
      d.locked = false
      if (STATUS_AFTER[a.type]) d.status = STATUS_AFTER[a.type]
    }
  }

  const actionJson = (a: ActionRecord) => {
    const done = Date.now() >= a.startedAt + a.durationMs
    return {
      id: a.id,
      status: done ? 'completed' : 'in-progress',
      type: a.type,
      started_at: iso(a.startedAt),
      completed_at: done ? iso(a.startedAt + a.durationMs) : null,
      resource_id: a.dropletId,
      resource_type: 'droplet',
      region: doRegion(a.region),
      region_slug: a.region,
    }
  }

  const notFound = (): StubResponse => ({ status: 404, body: doError(404) })

  const routes: Route[] = [
    { method: 'GET', path: '/v2/account', handler: () => ({ status: 200, body: { account: doAccount(droplets.length) } }) },
    {
      method: 'GET',
      path: '/v2/droplets',
      handler: (req) => {
        settle()
        const tag = req.query.get('tag_name')
        const name = req.query.get('name')
        if (tag && name) return { status: 422, body: doError(422, 'You may not filter by tag_name and name at the same time.') }
        const list = droplets.filter((d) => (!tag || d.tags.includes(tag)) && (!name || d.name === name))
        return paginate(req, 'droplets', list)
      },
    },
    {
      method: 'GET',
      path: '/v2/droplets/{droplet_id}',
      handler: (req) => {
        settle()
        const d = findDroplet(req.params.droplet_id)
        return d ? { status: 200, body: { droplet: d } } : notFound()
      },
    },
    {
      method: 'GET',
      path: '/v2/droplets/{droplet_id}/actions',
      handler: (req) => {
        const d = findDroplet(req.params.droplet_id)
        if (!d) return notFound()
        return paginate(req, 'actions', [...actions.values()].filter((a) => a.dropletId === d.id).reverse().map(actionJson))
      },
    },
    {
      method: 'POST',
      path: '/v2/droplets/{droplet_id}/actions',
      handler: (req) => {
        settle()
        const d = findDroplet(req.params.droplet_id)
        if (!d) return notFound()
        const body = (req.body ?? {}) as { type?: unknown; name?: unknown }
        if (typeof body.type !== 'string' || !ACTION_TYPES.includes(body.type)) return { status: 422, body: doError(422, `'${String(body.type)}' is not a valid action type.`) }
        if (body.type === 'rename' && typeof body.name !== 'string') return { status: 422, body: doError(422, 'name is required') }
        if ([...actions.values()].some((a) => a.dropletId === d.id && !a.applied)) return { status: 422, body: doError(422, 'Droplet already has a pending event.') }
        if (body.type === 'power_on' && d.status === 'active') return { status: 422, body: doError(422, 'Droplet is already powered on.') }
        const a: ActionRecord = { id: nextActionId++, type: body.type, dropletId: d.id, region: (d.region as { slug: string }).slug, startedAt: Date.now(), durationMs: actionDurationMs, applied: false }
        actions.set(a.id, a)
        d.locked = true
        if (body.type === 'rename') d.name = body.name as string
        return { status: 201, body: { action: actionJson(a) } }
      },
    },
    {
      method: 'GET',
      path: '/v2/droplets/{droplet_id}/actions/{action_id}',
      handler: (req) => {
        settle()
        const a = actions.get(Number(req.params.action_id))
        return a && String(a.dropletId) === req.params.droplet_id ? { status: 200, body: { action: actionJson(a) } } : notFound()
      },
    },
    {
      method: 'GET',
      path: '/v2/actions/{action_id}',
      handler: (req) => {
        settle()
        const a = actions.get(Number(req.params.action_id))
        return a ? { status: 200, body: { action: actionJson(a) } } : notFound()
      },
    },
    { method: 'GET', path: '/v2/domains', handler: (req) => paginate(req, 'domains', domains.map(({ name, ttl, zone_file }) => ({ name, ttl, zone_file }))) },
    {
      method: 'GET',
      path: '/v2/domains/{domain_name}',
      handler: (req) => {
        const dom = domains.find((x) => x.name === req.params.domain_name)
        return dom ? { status: 200, body: { domain: { name: dom.name, ttl: dom.ttl, zone_file: dom.zone_file } } } : notFound()
      },
    },
    {
      method: 'GET',
      path: '/v2/domains/{domain_name}/records',
      handler: (req) => {
        const dom = domains.find((x) => x.name === req.params.domain_name)
        if (!dom) return notFound()
        const type = req.query.get('type')
        const name = req.query.get('name') // DigitalOcean filters by the fully qualified name
        const fq = (n: string) => (n === '@' ? dom.name : `${n}.${dom.name}`)
        return paginate(req, 'domain_records', dom.records.filter((r) => (!type || r.type === type) && (!name || fq(r.name) === name)))
      },
    },
  ]

  const adapter: ProviderAdapter = {
    basePath: '',
    errorBody: doError,
    rateLimitedHeaders: { 'ratelimit-remaining': '0' },
    authenticate: (req) => {
      const auth = req.headers.authorization ?? ''
      return auth === `Bearer ${token}` ? undefined : { status: 401, body: doError(401) }
    },
    beforeRespond: () => {
      const now = Date.now()
      if (now - hourStart >= 3_600_000) {
        hourStart = now
        hourCount = 0
      }
      hourCount++
      while (minuteWindow.length && now - minuteWindow[0] >= 60_000) minuteWindow.shift()
      minuteWindow.push(now)
      const headers = {
        'ratelimit-limit': String(perHour),
        'ratelimit-remaining': String(Math.max(0, perHour - hourCount)),
        'ratelimit-reset': String(Math.ceil((hourStart + 3_600_000) / 1000)),
        'x-request-id': requestId(++requestCounter),
      }
      const over = hourCount > perHour || minuteWindow.length > perMinute
      if (!opts.rateLimit?.enforce || !over) return { headers }
      const retryAfter = hourCount > perHour ? Math.ceil((hourStart + 3_600_000 - now) / 1000) : Math.ceil((minuteWindow[0] + 60_000 - now) / 1000)
      return { headers: { ...headers, 'ratelimit-remaining': '0' }, limited: { status: 429, body: doError(429), headers: { 'retry-after': String(Math.max(1, retryAfter)) } } }
    },
  }

  const server = await startStubServer({ routes, adapter, host: opts.host, port: opts.port, latencyMs: opts.latencyMs, faults: opts.faults })
  return { ...server, token, droplets: () => (settle(), droplets) }
}
