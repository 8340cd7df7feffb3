// A stub of the DigitalOcean API v2 that behaves like the real one where Dropdeck depends on it:
// bearer auth, page/per_page pagination (max 200) with links.pages and meta.total, ratelimit-*
// headers on every response, droplet actions that go in-progress then completed and change the
// droplet's status, and DigitalOcean's error bodies {id, message, request_id}.
import { createHash } from 'node:crypto'
import { startStubServer, type Fault, type ProviderAdapter, type Route, type StubRequest, type StubResponse, type StubServer } from './stub-server'
import { fleetDroplets, intId, SIZES, seedDoDomains, uuidFrom, type DropletSpec, type ZoneSpec } from './fleet-model'
import { doAccount, doDomain, doDroplet, doMetricsData, doRegion, doRegistry, doRepositoryTag, doRepositoryV2, DROPLET_METRICS, monitoringProfile, requestId, type DoDroplet, type DoRecord, type MonitoringProfile, type RegistrySpec } from './digitalocean-fixtures'

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
  /** The team's Container Registry (none by default: GET /v2/registries lists nothing). */
  registry?: RegistrySpec
  /** Enforce DigitalOcean's limits (5000/hour, 250/minute by default) with real 429s. */
  rateLimit?: { perHour?: number; perMinute?: number; enforce?: boolean }
  /**
   * What a droplet's metrics agent reports (by droplet id), over its default profile. Only droplets with
   * the `monitoring` feature have data; the others answer an empty matrix, as DigitalOcean does.
   */
  monitoring?: Record<number, Partial<MonitoringProfile>>
  /** Droplets (by id) whose agent reports nothing although they have the `monitoring` feature (an agent that stopped). */
  silentAgents?: number[]
}

export interface DigitalOceanStub extends StubServer {
  token: string
  /** The stub's live droplets (status changes as actions complete). */
  droplets(): DoDroplet[]
}

const ERRORS: Record<number, [string, string]> = {
  400: ['bad_request', 'The request was invalid.'],
  401: ['unauthorized', 'Unable to authenticate you'],
  403: ['Forbidden', 'You are not authorized to perform this operation'],
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
  /** What completing the action does beyond the status change (a snapshot appears, a size changes). */
  complete?: () => void
}

/** A droplet snapshot as the stub keeps it. */
interface SnapshotRecord {
  id: number
  name: string
  createdAt: string
  regions: string[]
  minDiskSize: number
  sizeGb: number
  dropletId: number
}

/** A firewall in DigitalOcean's JSON (rules as sent, sources/destinations kept verbatim). */
type FirewallJson = { id: string; name: string; status: string; created_at: string; pending_changes: unknown[]; inbound_rules: unknown[]; outbound_rules: unknown[]; droplet_ids: number[]; tags: string[] }

const ACTION_TYPES = ['reboot', 'power_cycle', 'shutdown', 'power_off', 'power_on', 'enable_backups', 'disable_backups', 'snapshot', 'rename', 'password_reset', 'resize']
const RECORD_TYPES = ['A', 'AAAA', 'CAA', 'CNAME', 'MX', 'NS', 'SOA', 'SRV', 'TXT']
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/
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
  const snapshots: SnapshotRecord[] = []
  let nextSnapshotId = 187_600_001
  const firewalls: FirewallJson[] = []
  /** Tags that exist in the account: every droplet's, plus those created through POST /v2/tags. */
  const tags = new Set(droplets.flatMap((d) => d.tags))
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
      a.complete?.()
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

  const snapshotJson = (x: SnapshotRecord) => ({ id: String(x.id), name: x.name, created_at: x.createdAt, regions: x.regions, resource_id: String(x.dropletId), resource_type: 'droplet', min_disk_size: x.minDiskSize, size_gigabytes: x.sizeGb, tags: [] })

  /** DigitalOcean's checks on a record body, loosely: the fields its API refuses with 422. */
  const checkRecord = (input: unknown): Omit<DoRecord, 'id'> | StubResponse => {
    const b = (input ?? {}) as Partial<DoRecord>
    const bad = (message: string): StubResponse => ({ status: 422, body: doError(422, message) })
    if (typeof b.type !== 'string' || !RECORD_TYPES.includes(b.type)) return bad(`Type ${String(b.type)} is not a supported record type.`)
    if (typeof b.name !== 'string' || !b.name) return bad('Name is required.')
    if (typeof b.data !== 'string' || !b.data) return bad('Data is required.')
    if (b.type === 'A' && !IPV4.test(b.data)) return bad('Data needs to be a valid IPv4 address.')
    if (b.type === 'AAAA' && !b.data.includes(':')) return bad('Data needs to be a valid IPv6 address.')
    if (b.type === 'MX' && typeof b.priority !== 'number') return bad('Priority is required for MX records.')
    if (b.ttl !== undefined && (typeof b.ttl !== 'number' || b.ttl < 30)) return bad('TTL must be at least 30 seconds.')
    return { type: b.type, name: b.name, data: b.data, priority: b.priority ?? null, port: b.port ?? null, ttl: b.ttl ?? 1800, weight: b.weight ?? null, flags: b.flags ?? null, tag: b.tag ?? null }
  }

  /** POST/DELETE /v2/tags/{tag}/resources: 404 for a tag that does not exist, like DigitalOcean. */
  const tagResources = (req: StubRequest, add: boolean): StubResponse => {
    const tag = req.params.tag_id
    if (!tags.has(tag)) return notFound()
    const resources = (req.body as { resources?: unknown })?.resources
    if (!Array.isArray(resources)) return { status: 400, body: doError(400, 'resources is required') }
    for (const r of resources as { resource_id?: unknown; resource_type?: unknown }[]) {
      if (r.resource_type !== 'droplet') continue
      const d = findDroplet(String(r.resource_id))
      if (!d) return { status: 404, body: doError(404, `droplet ${String(r.resource_id)} not found`) }
      if (add && !d.tags.includes(tag)) d.tags.push(tag)
      if (!add) d.tags = d.tags.filter((t) => t !== tag)
    }
    return { status: 204 }
  }

  const registry = opts.registry
  const registryNamed = (name: string) => (registry && registry.name === name ? registry : undefined)
  const routes: Route[] = [
    { method: 'GET', path: '/v2/registries', handler: () => ({ status: 200, body: { registries: registry ? [doRegistry(registry)] : [] } }) },
    {
      method: 'GET',
      path: '/v2/registries/{registry_name}/repositoriesV2',
      handler: (req) => {
        const r = registryNamed(req.params.registry_name)
        return r ? paginate(req, 'repositories', r.repositories.map((repo) => doRepositoryV2(r, repo))) : notFound()
      }
    },
    {
      method: 'GET',
      path: '/v2/registries/{registry_name}/repositories/{repository_name}/tags',
      handler: (req) => {
        const r = registryNamed(req.params.registry_name)
        const repo = r?.repositories.find((x) => x.name === decodeURIComponent(req.params.repository_name))
        return r && repo ? paginate(req, 'tags', repo.tags.map((t) => doRepositoryTag(r, repo.name, t))) : notFound()
      }
    },
    {
      method: 'GET',
      path: '/v2/registries/{registry_name}/docker-credentials',
      handler: (req) => {
        const r = registryNamed(req.params.registry_name)
        if (!r) return notFound()
        const expiry = req.query.get('expiry_seconds')
        if (expiry !== null && !/^[1-9]\d*$/.test(expiry)) return { status: 422, body: doError(422, 'expiry_seconds must be a positive integer') }
        const auth = Buffer.from(`${r.credentials.username}:${r.credentials.password}`).toString('base64')
        return { status: 200, body: { auths: { [r.host ?? 'registry.digitalocean.com']: { auth } } } }
      }
    },
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
        const body = (req.body ?? {}) as { type?: unknown; name?: unknown; size?: unknown; disk?: unknown }
        if (typeof body.type !== 'string' || !ACTION_TYPES.includes(body.type)) return { status: 422, body: doError(422, `'${String(body.type)}' is not a valid action type.`) }
        if (body.type === 'rename' && typeof body.name !== 'string') return { status: 422, body: doError(422, 'name is required') }
        if ([...actions.values()].some((a) => a.dropletId === d.id && !a.applied)) return { status: 422, body: doError(422, 'Droplet already has a pending event.') }
        if (body.type === 'power_on' && d.status === 'active') return { status: 422, body: doError(422, 'Droplet is already powered on.') }
        const newSize = body.type === 'resize' ? SIZES[String(body.size)] : undefined
        if (body.type === 'resize' && !newSize) return { status: 422, body: doError(422, `'${String(body.size)}' is not a valid size.`) }
        if (body.type === 'resize' && d.status !== 'off') return { status: 422, body: doError(422, 'Droplet must be powered off before resizing.') }
        const a: ActionRecord = { id: nextActionId++, type: body.type, dropletId: d.id, region: (d.region as { slug: string }).slug, startedAt: Date.now(), durationMs: actionDurationMs, applied: false }
        if (body.type === 'snapshot') {
          const name = typeof body.name === 'string' && body.name ? body.name : `${d.name}-${Date.now()}`
          a.complete = () => {
            const snap: SnapshotRecord = { id: nextSnapshotId++, name, createdAt: iso(Date.now()), regions: [a.region], minDiskSize: d.disk as number, sizeGb: Math.round((d.disk as number) * 0.11 * 100) / 100, dropletId: d.id }
            snapshots.push(snap)
            ;(d.snapshot_ids as number[]).push(snap.id)
          }
        }
        if (newSize) {
          a.complete = () => {
            const size = d.size as Record<string, unknown>
            Object.assign(size, { slug: newSize.slug, memory: newSize.memory, vcpus: newSize.vcpus, transfer: newSize.transfer, price_monthly: newSize.price_monthly, price_hourly: newSize.price_hourly, description: newSize.description })
            Object.assign(d, { size_slug: newSize.slug, memory: newSize.memory, vcpus: newSize.vcpus })
            if (body.disk === true) {
              Object.assign(d, { disk: newSize.disk, disk_info: [{ type: 'local', size: { amount: newSize.disk, unit: 'gib' } }] })
              Object.assign(size, { disk: newSize.disk, disk_info: [{ type: 'local', size: { amount: newSize.disk, unit: 'gib' } }] })
            }
          }
        }
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
    {
      method: 'POST',
      path: '/v2/domains/{domain_name}/records',
      handler: (req) => {
        const dom = domains.find((x) => x.name === req.params.domain_name)
        if (!dom) return notFound()
        const checked = checkRecord(req.body)
        if ('status' in checked) return checked
        const rec: DoRecord = { id: intId(`${dom.name}/${Date.now()}/${Math.random()}`, 29_000_000), ...checked }
        dom.records.push(rec)
        return { status: 201, body: { domain_record: rec } }
      },
    },
    {
      method: 'GET',
      path: '/v2/domains/{domain_name}/records/{domain_record_id}',
      handler: (req) => {
        const rec = domains.find((x) => x.name === req.params.domain_name)?.records.find((r) => String(r.id) === req.params.domain_record_id)
        return rec ? { status: 200, body: { domain_record: rec } } : notFound()
      },
    },
    {
      method: 'PUT',
      path: '/v2/domains/{domain_name}/records/{domain_record_id}',
      handler: (req) => {
        const rec = domains.find((x) => x.name === req.params.domain_name)?.records.find((r) => String(r.id) === req.params.domain_record_id)
        if (!rec) return notFound()
        const checked = checkRecord({ ...rec, ...(req.body as object) })
        if ('status' in checked) return checked
        Object.assign(rec, checked)
        return { status: 200, body: { domain_record: rec } }
      },
    },
    {
      method: 'DELETE',
      path: '/v2/domains/{domain_name}/records/{domain_record_id}',
      handler: (req) => {
        const dom = domains.find((x) => x.name === req.params.domain_name)
        const i = dom?.records.findIndex((r) => String(r.id) === req.params.domain_record_id) ?? -1
        if (!dom || i < 0) return notFound()
        dom.records.splice(i, 1)
        return { status: 204 }
      },
    },
    {
      method: 'GET',
      path: '/v2/droplets/{droplet_id}/snapshots',
      handler: (req) => {
        settle()
        const d = findDroplet(req.params.droplet_id)
        if (!d) return notFound()
        return paginate(req, 'snapshots', snapshots.filter((x) => x.dropletId === d.id).map((x) => ({ id: x.id, name: x.name, created_at: x.createdAt, regions: x.regions, min_disk_size: x.minDiskSize, size_gigabytes: x.sizeGb, type: 'snapshot' })))
      },
    },
    {
      method: 'GET',
      path: '/v2/snapshots',
      handler: (req) => {
        settle()
        // only droplet snapshots exist here; resource_type=volume lists none
        const list = req.query.get('resource_type') === 'volume' ? [] : snapshots.map(snapshotJson)
        return paginate(req, 'snapshots', list)
      },
    },
    {
      method: 'GET',
      path: '/v2/snapshots/{snapshot_id}',
      handler: (req) => {
        settle()
        const snap = snapshots.find((x) => String(x.id) === req.params.snapshot_id)
        return snap ? { status: 200, body: { snapshot: snapshotJson(snap) } } : notFound()
      },
    },
    {
      method: 'DELETE',
      path: '/v2/snapshots/{snapshot_id}',
      handler: (req) => {
        settle()
        const i = snapshots.findIndex((x) => String(x.id) === req.params.snapshot_id)
        if (i < 0) return notFound()
        const [snap] = snapshots.splice(i, 1)
        const d = droplets.find((x) => x.id === snap.dropletId)
        if (d) d.snapshot_ids = (d.snapshot_ids as number[]).filter((id) => id !== snap.id)
        return { status: 204 }
      },
    },
    { method: 'GET', path: '/v2/firewalls', handler: (req) => paginate(req, 'firewalls', firewalls) },
    {
      method: 'POST',
      path: '/v2/firewalls',
      handler: (req) => {
        const body = (req.body ?? {}) as Partial<FirewallJson>
        if (typeof body.name !== 'string' || !/^[a-zA-Z0-9][a-zA-Z0-9.-]*$/.test(body.name)) return { status: 400, body: doError(400, 'name must begin with an alphanumeric character and contain only letters, digits, "." and "-"') }
        if (!Array.isArray(body.inbound_rules) && !Array.isArray(body.outbound_rules)) return { status: 400, body: doError(400, 'at least one rule is required') }
        const unknownTag = (body.tags ?? []).find((t) => !tags.has(t))
        if (unknownTag) return { status: 400, body: doError(400, `tag ${unknownTag} does not exist`) }
        const fw: FirewallJson = {
          id: uuidFrom(`firewall:${body.name}:${Date.now()}:${Math.random()}`),
          name: body.name,
          status: 'succeeded',
          created_at: iso(Date.now()),
          pending_changes: [],
          inbound_rules: body.inbound_rules ?? [],
          outbound_rules: body.outbound_rules ?? [],
          droplet_ids: (body.droplet_ids ?? []).filter((id) => droplets.some((d) => d.id === id)),
          tags: body.tags ?? [],
        }
        firewalls.push(fw)
        return { status: 202, body: { firewall: fw } }
      },
    },
    {
      method: 'GET',
      path: '/v2/firewalls/{firewall_id}',
      handler: (req) => {
        const fw = firewalls.find((x) => x.id === req.params.firewall_id)
        return fw ? { status: 200, body: { firewall: fw } } : notFound()
      },
    },
    {
      method: 'POST',
      path: '/v2/firewalls/{firewall_id}/droplets',
      handler: (req) => {
        const fw = firewalls.find((x) => x.id === req.params.firewall_id)
        if (!fw) return notFound()
        const ids = (req.body as { droplet_ids?: unknown })?.droplet_ids
        if (!Array.isArray(ids) || !ids.every((x) => Number.isInteger(x))) return { status: 400, body: doError(400, 'error parsing request body') }
        const missing = ids.find((id) => !droplets.some((d) => d.id === id))
        if (missing !== undefined) return { status: 404, body: doError(404, `droplet ${missing} not found`) }
        for (const id of ids as number[]) if (!fw.droplet_ids.includes(id)) fw.droplet_ids.push(id)
        return { status: 204 }
      },
    },
    {
      method: 'POST',
      path: '/v2/firewalls/{firewall_id}/tags',
      handler: (req) => {
        const fw = firewalls.find((x) => x.id === req.params.firewall_id)
        if (!fw) return notFound()
        const names = (req.body as { tags?: unknown })?.tags
        if (!Array.isArray(names) || !names.every((x) => typeof x === 'string')) return { status: 400, body: doError(400, 'error parsing request body') }
        const unknownTag = names.find((t) => !tags.has(t))
        if (unknownTag) return { status: 404, body: doError(404, `tag ${unknownTag} not found`) }
        for (const t of names as string[]) if (!fw.tags.includes(t)) fw.tags.push(t)
        return { status: 204 }
      },
    },
    {
      method: 'GET',
      path: '/v2/droplets/{droplet_id}/firewalls',
      handler: (req) => {
        const d = findDroplet(req.params.droplet_id)
        if (!d) return notFound()
        return paginate(req, 'firewalls', firewalls.filter((fw) => fw.droplet_ids.includes(d.id) || fw.tags.some((t) => d.tags.includes(t))))
      },
    },
    {
      method: 'POST',
      path: '/v2/tags',
      handler: (req) => {
        const name = (req.body as { name?: unknown })?.name
        if (typeof name !== 'string' || !/^[a-zA-Z0-9_\-:]{1,255}$/.test(name)) return { status: 400, body: doError(400, 'tag name may contain letters, numbers, colons, dashes and underscores') }
        tags.add(name)
        const count = droplets.filter((d) => d.tags.includes(name)).length
        return { status: 201, body: { tag: { name, resources: { count, droplets: { count }, images: { count: 0 }, volumes: { count: 0 }, volume_snapshots: { count: 0 }, databases: { count: 0 } } } } }
      },
    },
    { method: 'POST', path: '/v2/tags/{tag_id}/resources', handler: (req) => tagResources(req, true) },
    { method: 'DELETE', path: '/v2/tags/{tag_id}/resources', handler: (req) => tagResources(req, false) },
  ]

  // GET /v2/monitoring/metrics/droplet/{metric}?host_id&start&end[&interface&direction]: the agent's
  // series as a Prometheus matrix; a droplet without the agent has none.
  for (const metric of DROPLET_METRICS) {
    routes.push({
      method: 'GET',
      path: `/v2/monitoring/metrics/droplet/${metric}`,
      handler: (req) => {
        const hostId = req.query.get('host_id') ?? ''
        const start = Number(req.query.get('start'))
        const end = Number(req.query.get('end'))
        if (!/^\d+$/.test(hostId)) return { status: 400, body: doError(400, 'host_id is required') }
        if (!Number.isInteger(start) || !Number.isInteger(end) || start <= 0 || end < start) return { status: 400, body: doError(400, 'start and end must be UNIX timestamps, start before end') }
        const iface = req.query.get('interface') ?? undefined
        const direction = req.query.get('direction') ?? undefined
        if (metric === 'bandwidth' && (!['public', 'private'].includes(iface ?? '') || !['inbound', 'outbound'].includes(direction ?? ''))) {
          return { status: 400, body: doError(400, 'interface (public, private) and direction (inbound, outbound) are required') }
        }
        const d = findDroplet(hostId)
        if (!d) return notFound()
        const features = Array.isArray(d.features) ? (d.features as string[]) : []
        if (!features.includes('monitoring') || opts.silentAgents?.includes(d.id)) return { status: 200, body: { status: 'success', data: { resultType: 'matrix', result: [] } } }
        const profile = { ...monitoringProfile(d), ...opts.monitoring?.[d.id] }
        const origin = Math.floor(Date.parse(String(d.created_at)) / 1000) || undefined
        return { status: 200, body: { status: 'success', data: doMetricsData(d.id, profile, metric, start, end, { interface: iface, direction, origin }) } }
      },
    })
  }

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
