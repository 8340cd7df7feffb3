// The provider stubs are only worth trusting if what they serve is what the providers publish:
// every response here is validated against ../shared/specs/, and the validator itself is shown
// to reject mangled bodies. Pagination and rate-limit headers get their own checks because the
// specs cannot (README "known gaps": links.pages accepts any object).
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { startDigitalOceanStub, startCloudflareStub, type DigitalOceanStub, type CloudflareStub } from './provider-stubs'
import { validateResponse, validateRequest, findOperation, validateSchema } from './spec-validate'
import { fleetDroplets, MANAGED_TAG, seedDroplets } from './fleet-model'

interface Res {
  status: number
  headers: Headers
  text: string
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
}

async function call(base: string, token: string | null, path: string, init: { method?: string; body?: unknown } = {}): Promise<Res> {
  const headers: Record<string, string> = {}
  if (token !== null) headers.authorization = `Bearer ${token}`
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  const r = await fetch(base + path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) })
  const text = await r.text()
  let body: unknown
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    body = undefined
  }
  return { status: r.status, headers: r.headers, text, body }
}

/** DigitalOcean documents ratelimit-* headers on every response: check them too. */
function expectDoValid(method: string, path: string, res: Res) {
  const v = validateResponse('digitalocean', method, path, res.status, res.body, { headers: res.headers })
  expect(v.errors, `${method} ${path} -> ${res.status}`).toEqual([])
  expect(v.ok).toBe(true)
}

function expectCfValid(method: string, path: string, res: Res) {
  const v = validateResponse('cloudflare', method, `/client/v4${path}`, res.status, res.body)
  expect(v.errors, `${method} ${path} -> ${res.status}`).toEqual([])
  expect(v.ok).toBe(true)
}

/** Cloudflare's failure envelope, written out by hand (the spec's 4xx schemas are unsatisfiable). */
function expectCfFailure(res: Res, code?: number) {
  expect(res.body).toEqual({ success: false, errors: [expect.objectContaining({ code: expect.any(Number), message: expect.any(String) })], messages: [], result: null })
  expect(res.body.errors[0].code).toBeGreaterThanOrEqual(1000)
  if (code !== undefined) expect(res.body.errors[0].code).toBe(code)
}

describe('DigitalOcean stub', () => {
  let dos: DigitalOceanStub
  const get = (path: string, token: string | null = dos.token) => call(dos.url, token, path)

  beforeAll(async () => {
    dos = await startDigitalOceanStub({ droplets: 1000, actionDurationMs: 300 })
  })
  afterAll(() => dos.stop())

  it('serves every implemented GET route in a form the spec accepts', async () => {
    const paths = [
      '/v2/account',
      '/v2/droplets',
      '/v2/droplets?per_page=50&page=3',
      `/v2/droplets?tag_name=${MANAGED_TAG}`,
      '/v2/droplets?name=odoo-erp-prod',
      '/v2/droplets/544907207',
      '/v2/droplets/1', // 404
      '/v2/droplets/544907207/actions',
      '/v2/domains',
      '/v2/domains/eznomics.site',
      '/v2/domains/eznomics.site/records',
      '/v2/domains/eznomics.site/records?type=A',
      '/v2/domains/eznomics.site/records?per_page=2&page=2',
      '/v2/domains/nope.example/records', // 404
      '/v2/actions/1', // 404
    ]
    for (const p of paths) expectDoValid('GET', p, await get(p))
    expect((await get('/v2/droplets/1')).body.id).toBe('not_found')
  })

  it('serves the seed fleet: real names, regions, tags and addresses', async () => {
    const e2i = (await get('/v2/droplets/544907207')).body.droplet
    expect(e2i).toMatchObject({ name: 'e2i-analytics-prod', region: { slug: 'nyc3' }, size_slug: 's-4vcpu-16gb-amd' })
    expect(e2i.networks.v4).toContainEqual(expect.objectContaining({ ip_address: '138.197.4.36', type: 'public' }))
    const managed = (await get(`/v2/droplets?tag_name=${MANAGED_TAG}&per_page=200`)).body
    expect(managed.droplets.map((d: { name: string }) => d.name)).toEqual(expect.arrayContaining(['odoo-erp-prod', 'n8n-prod']))
    expect(managed.droplets.map((d: { name: string }) => d.name)).not.toContain('sammy-sandbox')
    expect(managed.droplets.every((d: { tags: string[] }) => d.tags.includes(MANAGED_TAG))).toBe(true)
    expect(managed.droplets.some((d: { region: { slug: string } }) => d.region.slug === 'sgp1')).toBe(true)
  })

  it('generates large fleets deterministically', () => {
    expect(JSON.stringify(fleetDroplets(1000))).toBe(JSON.stringify(fleetDroplets(1000)))
    const all = fleetDroplets(1000)
    expect(new Set(all.map((d) => d.id)).size).toBe(1000)
    expect(new Set(all.map((d) => d.name)).size).toBe(1000)
    expect(new Set(all.map((d) => d.publicIp)).size).toBe(1000)
    expect(all.slice(0, seedDroplets().length)).toEqual(seedDroplets())
  })

  it('pages 1000 droplets at per_page=200 in exactly 5 pages, following links.pages.next', async () => {
    let url: string | undefined = `${dos.url}/v2/droplets?per_page=200`
    const ids: number[] = []
    const pages: Res[] = []
    while (url) {
      const res: Res = await call('', dos.token, url)
      expectDoValid('GET', url, res)
      expect(res.body.meta.total).toBe(1000)
      pages.push(res)
      ids.push(...res.body.droplets.map((d: { id: number }) => d.id))
      url = res.body.links.pages?.next
    }
    expect(pages).toHaveLength(5)
    expect(ids).toHaveLength(1000)
    expect(new Set(ids).size).toBe(1000)
    expect(Object.keys(pages[0].body.links.pages).sort()).toEqual(['last', 'next'])
    expect(pages[0].body.links.pages.last).toBe(`${dos.url}/v2/droplets?per_page=200&page=5`)
    expect(Object.keys(pages[2].body.links.pages).sort()).toEqual(['first', 'last', 'next', 'prev'])
    expect(Object.keys(pages[4].body.links.pages).sort()).toEqual(['first', 'prev'])
  })

  it('caps per_page at 200, defaults to 20, and answers an empty page past the end', async () => {
    const big = await get('/v2/droplets?per_page=500')
    expect(big.body.droplets).toHaveLength(200)
    expect(big.body.links.pages.last).toContain('page=5')
    expect((await get('/v2/droplets')).body.droplets).toHaveLength(20)
    const past = await get('/v2/droplets?per_page=200&page=9')
    expectDoValid('GET', '/v2/droplets', past)
    expect(past.body.droplets).toEqual([])
    expect(past.body.meta.total).toBe(1000)
    const small = await get('/v2/domains')
    expect(small.body.links).toEqual({}) // one page: DigitalOcean sends no pages at all
  })

  it('puts ratelimit-limit/remaining/reset on every response, counting down', async () => {
    const a = await get('/v2/account')
    const b = await get('/v2/account', 'wrong-token')
    for (const r of [a, b]) {
      expect(r.headers.get('ratelimit-limit')).toBe('5000')
      expect(Number(r.headers.get('ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000)
      expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    }
    expect(Number(b.headers.get('ratelimit-remaining'))).toBe(Number(a.headers.get('ratelimit-remaining')) - 1)
  })

  it('answers 401 with DigitalOcean\'s error body for a wrong or missing token', async () => {
    for (const token of ['dop_v1_wrong', null]) {
      const res = await get('/v2/droplets', token)
      expect(res.status).toBe(401)
      expect(res.body).toMatchObject({ id: 'unauthorized', message: expect.any(String) })
      expectDoValid('GET', '/v2/droplets', res)
    }
  })

  it('answers 429 with Retry-After on demand, then recovers', async () => {
    dos.setFault({ kind: 'rate-limit', retryAfterSeconds: 7, times: 2 })
    for (let i = 0; i < 2; i++) {
      const res = await get('/v2/droplets')
      expect(res.status).toBe(429)
      expect(res.headers.get('retry-after')).toBe('7')
      expect(res.headers.get('ratelimit-remaining')).toBe('0')
      expect(res.body).toMatchObject({ id: 'too_many_requests', message: expect.any(String) })
      expectDoValid('GET', '/v2/droplets', res)
    }
    expect((await get('/v2/droplets')).status).toBe(200)
  })

  it('enforces DigitalOcean\'s per-minute limit when asked', async () => {
    const limited = await startDigitalOceanStub({ droplets: 3, rateLimit: { perMinute: 3, enforce: true } })
    try {
      const statuses: number[] = []
      let last: Res | undefined
      for (let i = 0; i < 4; i++) {
        last = await call(limited.url, limited.token, '/v2/account')
        statuses.push(last.status)
      }
      expect(statuses).toEqual([200, 200, 200, 429])
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
      expectDoValid('GET', '/v2/account', last!)
    } finally {
      await limited.stop()
    }
  })

  it('answers 500 and 503 with error bodies the spec accepts', async () => {
    for (const status of [500, 503]) {
      dos.setFault({ kind: 'server-error', status, times: 1, match: { path: '/v2/droplets' } })
      const res = await get('/v2/droplets/544907207')
      expect(res.status).toBe(status)
      expectDoValid('GET', '/v2/droplets/544907207', res)
    }
    dos.setFault(null)
  })

  it('serves malformed JSON, resets connections and adds latency on demand', async () => {
    dos.setFault({ kind: 'malformed-json', times: 1 })
    const bad = await get('/v2/droplets')
    expect(bad.status).toBe(200)
    expect(bad.headers.get('content-type')).toContain('application/json')
    expect(() => JSON.parse(bad.text)).toThrow()
    dos.setFault({ kind: 'reset', times: 1 })
    await expect(get('/v2/account')).rejects.toThrow()
    dos.setLatency(150)
    const t0 = Date.now()
    expect((await get('/v2/account')).status).toBe(200)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140)
    dos.setLatency(0)
  })

  it('runs droplet actions: in-progress, then completed, and the droplet changes state', async () => {
    const path = '/v2/droplets/498229117/actions'
    const posted = await call(dos.url, dos.token, path, { method: 'POST', body: { type: 'power_off' } })
    expect(posted.status).toBe(201)
    expectDoValid('POST', path, posted)
    expect(posted.body.action).toMatchObject({ status: 'in-progress', type: 'power_off', resource_id: 498229117, completed_at: null })
    const busy = await call(dos.url, dos.token, path, { method: 'POST', body: { type: 'reboot' } })
    expect(busy.status).toBe(422)
    expectDoValid('POST', path, busy)
    const invalid = await call(dos.url, dos.token, '/v2/droplets/544907207/actions', { method: 'POST', body: { type: 'explode' } })
    expect(invalid.status).toBe(422)
    expect((await get('/v2/droplets/498229117')).body.droplet.locked).toBe(true)

    await new Promise((r) => setTimeout(r, 350))
    const id = posted.body.action.id
    const done = await get(`/v2/actions/${id}`)
    expectDoValid('GET', `/v2/actions/${id}`, done)
    expect(done.body.action.status).toBe('completed')
    expect(done.body.action.completed_at).toEqual(expect.any(String))
    const viaDroplet = await get(`/v2/droplets/498229117/actions/${id}`)
    expectDoValid('GET', `/v2/droplets/498229117/actions/${id}`, viaDroplet)
    const listed = await get('/v2/droplets/498229117/actions')
    expectDoValid('GET', '/v2/droplets/498229117/actions', listed)
    expect(listed.body.actions[0].id).toBe(id)
    const droplet = (await get('/v2/droplets/498229117')).body.droplet
    expect(droplet).toMatchObject({ status: 'off', locked: false })
  })

  it('logs every request with its status', async () => {
    const before = dos.requests.length
    await get('/v2/account')
    expect(dos.requests.slice(before)).toEqual([expect.objectContaining({ method: 'GET', path: '/v2/account', status: 200 })])
  })
})

describe('Cloudflare stub', () => {
  let cf: CloudflareStub
  let zoneId: string
  const get = (path: string, token: string | null = cf.token) => call(cf.url, token, path)

  beforeAll(async () => {
    cf = await startCloudflareStub({ extraRecords: 20 })
    zoneId = cf.zones.find((z) => z.name === 'insightpulseai.net')!.id
  })
  afterAll(() => cf.stop())

  it('serves every implemented route in a form the spec accepts', async () => {
    const recordId = cf.records.get(zoneId)![0].id
    const paths = ['/user/tokens/verify', '/zones', '/zones?name=insightpulseai.net', '/zones?per_page=5&page=1', `/zones/${zoneId}`, `/zones/${zoneId}/dns_records`, `/zones/${zoneId}/dns_records?type=A`, `/zones/${zoneId}/dns_records?type=MX`, `/zones/${zoneId}/dns_records/${recordId}`]
    for (const p of paths) {
      const res = await get(p)
      expect(res.status, p).toBe(200)
      expect(res.body.success).toBe(true)
      expectCfValid('GET', p, res)
    }
  })

  it('pages DNS records with result_info', async () => {
    const total = cf.records.get(zoneId)!.length
    expect(total).toBeGreaterThan(25)
    const seen: string[] = []
    for (let page = 1; ; page++) {
      const res = await get(`/zones/${zoneId}/dns_records?per_page=10&page=${page}`)
      expectCfValid('GET', `/zones/${zoneId}/dns_records`, res)
      expect(res.body.result_info).toMatchObject({ page, per_page: 10, total_count: total, total_pages: Math.ceil(total / 10), count: res.body.result.length })
      seen.push(...res.body.result.map((r: { id: string }) => r.id))
      if (page >= res.body.result_info.total_pages) break
    }
    expect(new Set(seen).size).toBe(total)
  })

  it('holds insightpulseai.net with records on the fleet\'s droplets and one dangling A record', async () => {
    const a = (await get(`/zones/${zoneId}/dns_records?type=A`)).body.result as { name: string; content: string }[]
    const ips = new Set(seedDroplets().map((d) => d.publicIp))
    expect(a).toContainEqual(expect.objectContaining({ name: 'erp.insightpulseai.net', content: '159.223.75.148' }))
    const dangling = a.filter((r) => !ips.has(r.content))
    expect(dangling.map((r) => r.name)).toEqual(['staging.insightpulseai.net'])
  })

  it('answers a wrong token with 401 and Cloudflare\'s failure envelope', async () => {
    for (const p of ['/user/tokens/verify', '/zones', `/zones/${zoneId}/dns_records`]) {
      const res = await get(p, 'not-the-token')
      expect(res.status).toBe(401)
      expectCfFailure(res, p === '/user/tokens/verify' ? 1000 : 10000)
      expectCfValid('GET', p, res)
    }
    const missing = await get('/zones', null)
    expect(missing.status).toBe(400)
    expectCfFailure(missing, 9106)
  })

  it('answers 404 for an unknown zone', async () => {
    const res = await get('/zones/0123456789abcdef0123456789abcdef/dns_records')
    expect(res.status).toBe(404)
    expectCfFailure(res, 7003)
    expectCfValid('GET', '/zones/0123456789abcdef0123456789abcdef/dns_records', res)
  })

  it('answers 429 with Retry-After and 5xx on demand', async () => {
    cf.setFault({ kind: 'rate-limit', retryAfterSeconds: 3, times: 1 })
    const limited = await get('/zones')
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('3')
    expectCfFailure(limited)
    expectCfValid('GET', '/zones', limited)
    cf.setFault({ kind: 'server-error', status: 503, times: 1 })
    const down = await get('/zones')
    expect(down.status).toBe(503)
    expectCfFailure(down) // the spec documents no 5xx for Cloudflare: checked by hand only
    cf.setFault({ kind: 'malformed-json', times: 1 })
    const bad = await get('/zones')
    expect(() => JSON.parse(bad.text)).toThrow()
    expect((await get('/zones')).status).toBe(200)
  })
})

describe('spec validator', () => {
  it('matches concrete paths and URLs to the spec\'s templates', () => {
    expect(findOperation('digitalocean', 'GET', '/v2/droplets/42')?.template).toBe('/v2/droplets/{droplet_id}')
    expect(findOperation('digitalocean', 'POST', 'http://127.0.0.1:8701/v2/droplets/42/actions?x=1')?.op.operationId).toBe('dropletActions_post')
    expect(findOperation('digitalocean', 'GET', '/v2/droplets/42/actions/7')?.template).toBe('/v2/droplets/{droplet_id}/actions/{action_id}')
    expect(findOperation('cloudflare', 'GET', 'http://127.0.0.1:8702/client/v4/zones/abc/dns_records')?.template).toBe('/zones/{zone_id}/dns_records')
    expect(findOperation('cloudflare', 'GET', '/user/tokens/verify')?.op.operationId).toBe('user-api-tokens-verify-token')
    expect(findOperation('digitalocean', 'GET', '/v2/nothing-here')).toBeUndefined()
  })

  it('rejects mangled bodies (so the stub tests above would fail on a bad stub)', async () => {
    const dos = await startDigitalOceanStub({ droplets: 10 })
    try {
      const res = await call(dos.url, dos.token, '/v2/droplets')
      expectDoValid('GET', '/v2/droplets', res)
      const mangle = (f: (b: any) => void) => { // eslint-disable-line @typescript-eslint/no-explicit-any
        const copy = structuredClone(res.body)
        f(copy)
        return validateResponse('digitalocean', 'GET', '/v2/droplets', 200, copy)
      }
      expect(mangle((b) => (b.droplets[3].status = 'running')).ok).toBe(false)
      expect(mangle((b) => delete b.droplets[0].networks).ok).toBe(false)
      expect(mangle((b) => (b.droplets[1].memory = 'lots')).ok).toBe(false)
      expect(mangle((b) => (b.droplets[2].networks.v4[0].ip_address = 'not-an-ip')).ok).toBe(false)
      expect(mangle((b) => delete b.meta).ok).toBe(false)
      const bad = mangle((b) => (b.droplets[3].status = 'running'))
      expect(bad.errors.join('\n')).toContain('/droplets/3/status')
      // headers the spec declares must be there when headers are checked
      expect(validateResponse('digitalocean', 'GET', '/v2/droplets', 200, res.body, { headers: {} }).errors).toContain('header ratelimit-limit is missing')
    } finally {
      await dos.stop()
    }
    expect(validateResponse('digitalocean', 'GET', '/v2/account', 429, {}).ok).toBe(false)
    expect(validateResponse('digitalocean', 'GET', '/v2/account', 401, { id: 'unauthorized' }).ok).toBe(false)
    expect(validateResponse('cloudflare', 'GET', '/zones', 200, { result: [] }).ok).toBe(false)
    expect(validateResponse('cloudflare', 'GET', '/zones', 401, { success: false, errors: [{ code: 10, message: 'x' }], messages: [], result: null }).ok).toBe(false)
    expect(validateResponse('cloudflare', 'GET', '/zones/x/dns_records', 200, { success: true, errors: [], messages: [], result: [{ type: 'A', name: 'x', content: 'nope' }] }).ok).toBe(false)
    expect(validateResponse('cloudflare', 'GET', '/zones', 500, {}).ok).toBe(false) // undocumented status
  })

  it('validates against any schema in a spec', () => {
    expect(validateSchema('digitalocean', '#/components/schemas/error', { id: 'not_found', message: 'gone' }).ok).toBe(true)
    expect(validateSchema('digitalocean', '#/components/schemas/error', { id: 'not_found' }).ok).toBe(false)
  })
})

describe('stub write routes (snapshots, firewalls, tags, records)', () => {
  it('DigitalOcean: every answer validates, and the stub\'s example requests do too', async () => {
    const dos = await startDigitalOceanStub({ actionDurationMs: 50 })
    const send = async (method: string, path: string, body?: unknown, opts: { invalid?: boolean } = {}) => {
      if (body !== undefined) expect(validateRequest('digitalocean', method, path, body).ok, `${method} ${path} request`).toBe(!opts.invalid)
      const res = await call(dos.url, dos.token, path, { method, body })
      expectDoValid(method, path, res)
      return res
    }
    try {
      const snap = await send('POST', '/v2/droplets/544907207/actions', { type: 'snapshot', name: 'e2i-before-upgrade' })
      expect(snap.status).toBe(201)
      await new Promise((r) => setTimeout(r, 80))
      const own = await send('GET', '/v2/droplets/544907207/snapshots')
      expect(own.body.snapshots).toEqual([expect.objectContaining({ name: 'e2i-before-upgrade', type: 'snapshot' })])
      const all = await send('GET', '/v2/snapshots?resource_type=droplet')
      const id = all.body.snapshots[0].id as string
      expect(all.body.snapshots[0]).toMatchObject({ resource_id: '544907207', resource_type: 'droplet' })
      expect((await send('GET', `/v2/snapshots/${id}`)).body.snapshot.name).toBe('e2i-before-upgrade')
      expect((await send('GET', '/v2/droplets/544907207')).body.droplet.snapshot_ids).toEqual([Number(id)])
      expect((await send('DELETE', `/v2/snapshots/${id}`)).status).toBe(204)
      expect((await send('DELETE', `/v2/snapshots/${id}`)).status).toBe(404)

      const off = await send('POST', '/v2/droplets/561004318/actions', { type: 'resize', size: 's-2vcpu-2gb', disk: true })
      expect(off.status).toBe(201)
      await new Promise((r) => setTimeout(r, 80))
      expect((await send('GET', '/v2/droplets/561004318')).body.droplet).toMatchObject({ size_slug: 's-2vcpu-2gb', memory: 2048, disk: 60 })
      expect((await send('POST', '/v2/droplets/544907207/actions', { type: 'resize', size: 's-2vcpu-2gb' })).status).toBe(422) // not powered off

      const fw = await send('POST', '/v2/firewalls', { name: 'web', inbound_rules: [{ protocol: 'tcp', ports: '22', sources: { addresses: ['0.0.0.0/0'] } }], outbound_rules: [{ protocol: 'icmp', ports: '0', destinations: { addresses: ['0.0.0.0/0'] } }], droplet_ids: [498221043] })
      expect(fw.status).toBe(202)
      const fwId = fw.body.firewall.id as string
      expect((await send('POST', `/v2/firewalls/${fwId}/droplets`, { droplet_ids: [498229117] })).status).toBe(204)
      expect((await send('POST', `/v2/firewalls/${fwId}/tags`, { tags: ['production'] })).status).toBe(204)
      expect((await send('POST', `/v2/firewalls/${fwId}/tags`, { tags: ['nope'] })).status).toBe(404)
      expect((await send('GET', `/v2/firewalls/${fwId}`)).body.firewall).toMatchObject({ droplet_ids: [498221043, 498229117], tags: ['production'] })
      expect((await send('GET', '/v2/firewalls')).body.firewalls).toHaveLength(1)
      expect((await send('GET', '/v2/droplets/544907207/firewalls')).body.firewalls).toHaveLength(1) // through the tag
      expect((await send('POST', '/v2/firewalls', { name: 'bad name', inbound_rules: [] }, { invalid: true })).status).toBe(400)

      expect((await send('POST', '/v2/tags/team-x/resources', { resources: [{ resource_id: '498221043', resource_type: 'droplet' }] })).status).toBe(404)
      expect((await send('POST', '/v2/tags', { name: 'team-x' })).status).toBe(201)
      expect((await send('POST', '/v2/tags/team-x/resources', { resources: [{ resource_id: '498221043', resource_type: 'droplet' }] })).status).toBe(204)
      expect((await send('GET', '/v2/droplets/498221043')).body.droplet.tags).toContain('team-x')
      expect((await send('DELETE', '/v2/tags/team-x/resources', { resources: [{ resource_id: '498221043', resource_type: 'droplet' }] })).status).toBe(204)
      expect((await send('GET', '/v2/droplets/498221043')).body.droplet.tags).not.toContain('team-x')

      const rec = await send('POST', '/v2/domains/eznomics.site/records', { type: 'A', name: 'app', data: '138.197.4.36', ttl: 1800, priority: null })
      expect(rec.status).toBe(201)
      const recId = rec.body.domain_record.id as number
      expect((await send('GET', `/v2/domains/eznomics.site/records/${recId}`)).body.domain_record.name).toBe('app')
      expect((await send('PUT', `/v2/domains/eznomics.site/records/${recId}`, { type: 'A', name: 'app', data: '138.197.4.37', ttl: 600 })).body.domain_record).toMatchObject({ data: '138.197.4.37', ttl: 600 })
      expect((await send('POST', '/v2/domains/eznomics.site/records', { type: 'A', name: 'bad', data: 'not-an-ip' })).status).toBe(422)
      expect((await send('DELETE', `/v2/domains/eznomics.site/records/${recId}`)).status).toBe(204)
      expect((await send('GET', `/v2/domains/eznomics.site/records/${recId}`)).status).toBe(404)
    } finally {
      await dos.stop()
    }
  })

  it('Cloudflare: record create, patch, put and delete validate; refusals use the failure envelope', async () => {
    const cf = await startCloudflareStub()
    const zoneId = cf.zones.find((z) => z.name === 'insightpulseai.net')!.id
    const send = (method: string, path: string, body?: unknown) => call(cf.url, cf.token, path, { method, body })
    try {
      const created = await send('POST', `/zones/${zoneId}/dns_records`, { type: 'A', name: 'ipa', content: '159.223.75.148', ttl: 1, proxied: true })
      expect(created.status).toBe(200)
      expectCfValid('POST', `/zones/${zoneId}/dns_records`, created)
      expect(created.body.result).toMatchObject({ name: 'ipa.insightpulseai.net', proxied: true, proxiable: true })
      const id = created.body.result.id as string
      const patched = await send('PATCH', `/zones/${zoneId}/dns_records/${id}`, { proxied: false, ttl: 300 })
      expectCfValid('PATCH', `/zones/${zoneId}/dns_records/${id}`, patched)
      expect(patched.body.result).toMatchObject({ content: '159.223.75.148', proxied: false, ttl: 300 })
      const put = await send('PUT', `/zones/${zoneId}/dns_records/${id}`, { type: 'CNAME', name: 'ipa.insightpulseai.net', content: 'erp.insightpulseai.net', ttl: 1 })
      expectCfValid('PUT', `/zones/${zoneId}/dns_records/${id}`, put)
      expect(put.body.result).toMatchObject({ type: 'CNAME', content: 'erp.insightpulseai.net' })
      for (const [body, code] of [
        [{ type: 'A', name: 'x', content: 'nope' }, 9005],
        [{ type: 'TXT', name: 'x', content: 'hello', proxied: true }, 9004],
        [{ type: 'A', name: 'erp', content: '159.223.75.148' }, 81058]
      ] as const) {
        const res = await send('POST', `/zones/${zoneId}/dns_records`, body)
        expect(res.status).toBe(400)
        expectCfFailure(res, code)
        expectCfValid('POST', `/zones/${zoneId}/dns_records`, res)
      }
      const deleted = await send('DELETE', `/zones/${zoneId}/dns_records/${id}`)
      expectCfValid('DELETE', `/zones/${zoneId}/dns_records/${id}`, deleted)
      expect(deleted.body.result).toEqual({ id })
      const again = await send('DELETE', `/zones/${zoneId}/dns_records/${id}`)
      expect(again.status).toBe(404)
      expectCfFailure(again, 81044)
    } finally {
      await cf.stop()
    }
  })
})
