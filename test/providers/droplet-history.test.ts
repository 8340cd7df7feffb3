/**
 * metrics.droplet against the spec-validated DigitalOcean stub over real HTTP: the conversion of
 * DigitalOcean's series (CPU counters, bytes, Mbps) into chart points, the 5-minute cache (counted at
 * the stub), the one limiter (ratelimit-remaining low, its own share of the budget, a 429), and the
 * statuses that are not charts: no agent, not a droplet, no token, and a token refused for the scope.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Droplet } from '../../src/shared/contract'
import { DropletHistory } from '../../src/main/metrics/droplet-history'
import { ProviderHttp } from '../../src/main/providers/http/provider-http'
import { DoApi, toDroplet } from '../../src/main/providers/digitalocean/do-api'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { startDigitalOceanStub, type DigitalOceanStub } from '../fleet/provider-stubs'
import { validateResponse } from '../fleet/spec-validate'
import { DROPLET_METRICS } from '../fleet/digitalocean-fixtures'
import { startWorld, type World } from './harness'

const E2I = 544907207 // e2i-analytics-prod: has the agent
const ODOO = 498221043 // odoo-erp-prod: has the agent, which reports nothing (silentAgents)
const N8N = 498229117 // n8n-prod: has the agent
// ocr-service-droplet (451730266) has no `monitoring` feature

/** A profile whose figures are easy to state: 25 % CPU, 75 % memory, 60 % disk, 8 and 2 Mbps. */
const KNOWN = { cpuBusy: 0.25, iowait: 0.05, wave: 0, load1: 0.75, memTotalBytes: 4_000_000_000, memAvailableBytes: 1_000_000_000, fsSizeBytes: 100_000_000_000, fsFreeBytes: 40_000_000_000, publicInMbps: 8, publicOutMbps: 2 }

const listed = async (api: DoApi): Promise<Droplet[]> => (await api.listDroplets()).items.map((d) => toDroplet(d, { managedTag: 'dropdeck-managed', managedTagEnforced: false }))

const monitoringCalls = (dos: DigitalOceanStub) => dos.requests.filter((r) => r.path.startsWith('/v2/monitoring/'))

describe('metrics.droplet through the services', () => {
  let keyring: SecretService
  let world: World
  let dir: string

  beforeAll(async () => {
    keyring = await startSecretService()
    Object.assign(process.env, keyring.env)
    dir = await mkdtemp(join(tmpdir(), 'dropdeck-h3-history-'))
    const sshConfig = join(dir, 'ssh_config')
    await writeFile(sshConfig, ['Host gh', '  HostName github.com', 'Host n8n-box', '  HostName 159.223.88.17', ''].join('\n'))
    world = await startWorld({ env: { DROPDECK_SSH_CONFIG: sshConfig }, digitalocean: { monitoring: { [E2I]: KNOWN }, silentAgents: [ODOO] } })
  })
  afterAll(async () => {
    await world?.stop()
    await keyring?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('turns the CPU counters, memory, disk and Mbps series into the figures they stand for', async () => {
    const r = await world.call('metrics.droplet', { hostId: 'e2i-analytics-prod', range: '1h' })
    expect(r.status).toBe('ok')
    expect(r.dropletId).toBe(E2I)
    expect(r.message).toBeUndefined()
    // 1 h at one point a minute (the first sample only starts the CPU counters)
    expect(r.points.length).toBeGreaterThanOrEqual(59)
    expect(r.points.length).toBeLessThanOrEqual(61)
    const last = r.points.at(-1)!
    expect(last.cpu).toBeCloseTo(25, 1)
    expect(last.mem).toBeCloseTo(75, 5)
    expect(last.disk).toBeCloseTo(60, 5) // the root filesystem, not /boot/efi
    expect(last.load1).toBe(0.75)
    expect(last.swap).toBeNull()
    expect(last.rx).toBe(1_000_000) // 8 Mbps = 1,000,000 bytes/s
    expect(last.tx).toBe(250_000)
    expect(r.points.every((p, i) => i === 0 || p.t - r.points[i - 1].t === 60_000)).toBe(true)
    // 6 series and the two sizes; bandwidth is the public interface, both directions
    const calls = monitoringCalls(world.dos)
    expect(calls.map((c) => c.path.split('/').pop()).sort()).toEqual(['bandwidth', 'bandwidth', 'cpu', 'filesystem_free', 'filesystem_size', 'load_1', 'memory_available', 'memory_total'])
    expect(calls.filter((c) => c.path.endsWith('bandwidth')).map((c) => new URLSearchParams(c.query).get('direction')).sort()).toEqual(['inbound', 'outbound'])
    expect(calls.every((c) => new URLSearchParams(c.query).get('host_id') === String(E2I))).toBe(true)
  })

  it("serves DigitalOcean's documented answers (every monitoring response checked against the spec)", async () => {
    const seen = new Set<string>()
    for (const c of monitoringCalls(world.dos)) {
      const url = `${c.path}?${c.query}`
      if (seen.has(url)) continue
      seen.add(url)
      const res = await fetch(world.dos.url + url, { headers: { authorization: `Bearer ${world.dos.token}` } })
      const v = validateResponse('digitalocean', 'GET', c.path, res.status, await res.json(), { headers: res.headers })
      expect(v.errors, url).toEqual([])
    }
    expect(seen.size).toBe(8)
    // and every metric the stub serves, with and without an agent, and its refusals
    const end = Math.floor(Date.now() / 1000)
    for (const metric of DROPLET_METRICS) {
      for (const id of [E2I, 451730266]) {
        const extra = metric === 'bandwidth' ? '&interface=private&direction=outbound' : ''
        const path = `/v2/monitoring/metrics/droplet/${metric}`
        const res = await fetch(`${world.dos.url}${path}?host_id=${id}&start=${end - 86_400}&end=${end}${extra}`, { headers: { authorization: `Bearer ${world.dos.token}` } })
        const body = await res.json()
        expect(validateResponse('digitalocean', 'GET', path, res.status, body, { headers: res.headers }).errors, `${metric} ${id}`).toEqual([])
        expect(body.data.result.length > 0).toBe(id === E2I)
      }
    }
    const bad = await fetch(`${world.dos.url}/v2/monitoring/metrics/droplet/bandwidth?host_id=${E2I}&start=${end - 60}&end=${end}`, { headers: { authorization: `Bearer ${world.dos.token}` } })
    expect(bad.status).toBe(400)
    expect(validateResponse('digitalocean', 'GET', '/v2/monitoring/metrics/droplet/bandwidth', 400, await bad.json(), { headers: bad.headers }).errors).toEqual([])
  })

  it('answers a second call within 5 minutes from the cache: no request reaches DigitalOcean', async () => {
    const before = monitoringCalls(world.dos).length
    const first = await world.call('metrics.droplet', { hostId: 'e2i-analytics-prod', range: '1h' })
    const again = await world.call('metrics.droplet', { hostId: 'e2i-analytics-prod', range: '1h' })
    expect(monitoringCalls(world.dos).length).toBe(before)
    expect(again.fetchedAt).toBe(first.fetchedAt)
    expect(Date.parse(again.nextRefreshAt!) - Date.parse(again.fetchedAt!)).toBe(5 * 60_000)
    // another range is its own answer; its sizes come from the first refresh (6 calls, not 8)
    const week = await world.call('metrics.droplet', { hostId: 'e2i-analytics-prod', range: '7d' })
    expect(week.status).toBe('ok')
    expect(monitoringCalls(world.dos).length).toBe(before + 6)
    expect(week.points.length).toBeGreaterThan(150)
    expect(week.points.length).toBeLessThanOrEqual(169)
    expect(week.points.at(-1)!.cpu).toBeCloseTo(25, 1)
  })

  it('says a droplet has no metrics agent instead of returning empty charts', async () => {
    const before = monitoringCalls(world.dos).length
    const none = await world.call('metrics.droplet', { hostId: 'ocr-service-droplet', range: '1h' })
    expect(none).toMatchObject({ status: 'no-agent', dropletId: 451730266, points: [] })
    expect(none.message).toMatch(/do-agent/)
    // no monitoring feature: nothing to ask DigitalOcean
    expect(monitoringCalls(world.dos).length).toBe(before)
    // the feature, but every series empty (a stopped agent)
    const silent = await world.call('metrics.droplet', { hostId: 'odoo-erp-prod', range: '6h' })
    expect(silent).toMatchObject({ status: 'no-agent', dropletId: ODOO, points: [] })
    expect(silent.message).toMatch(/do-agent/)
  })

  it('finds the droplet behind an ssh_config host by its address, and says when a host is no droplet', async () => {
    const byAddress = await world.call('metrics.droplet', { hostId: 'n8n-box', range: '1h' })
    expect(byAddress).toMatchObject({ status: 'ok', dropletId: N8N })
    const other = await world.call('metrics.droplet', { hostId: 'gh', range: '1h' })
    expect(other).toMatchObject({ status: 'not-a-droplet', dropletId: null, points: [], fetchedAt: null })
    const unknown = await world.fail('metrics.droplet', { hostId: 'no-such-host', range: '1h' })
    expect(unknown.code).toBe('NOT_FOUND')
  })

  it('a token refused for the monitoring scope is the typed error naming the scope; no token is a status', async () => {
    world.dos.setFault({ kind: 'forbidden', match: { path: '/v2/monitoring/' } })
    const before = monitoringCalls(world.dos).length
    const err = await world.fail('metrics.droplet', { hostId: 'n8n-prod', range: '24h' })
    expect(err.code).toBe('AUTH_FAILED')
    expect(err.message).toMatch(/monitoring:read/)
    // it stopped at the first refused call, and does not ask again at once
    expect(monitoringCalls(world.dos).length).toBe(before + 1)
    expect((await world.fail('metrics.droplet', { hostId: 'n8n-prod', range: '24h' })).code).toBe('AUTH_FAILED')
    expect(monitoringCalls(world.dos).length).toBe(before + 1)
    world.dos.setFault(null)
    await world.call('secrets.delete', { key: 'digitalocean' })
    expect(await world.call('metrics.droplet', { hostId: 'gh', range: '1h' })).toMatchObject({ status: 'no-token', points: [] })
  })
})

describe('the monitoring limiter', () => {
  let dos: DigitalOceanStub
  let droplets: Droplet[]

  const history = (limiter: ConstructorParameters<typeof DropletHistory>[0]['limiter'], http = new ProviderHttp({ provider: 'digitalocean', baseUrl: dos.url, token: async () => dos.token, fetch, rateLimitRetries: 0, retries: 0 })) =>
    new DropletHistory({ http, hasToken: async () => true, dropletOf: async (hostId) => droplets.find((d) => d.name === hostId) ?? null, limiter })

  beforeAll(async () => {
    dos = await startDigitalOceanStub({ rateLimit: { perHour: 20 } })
    const api = new DoApi(new ProviderHttp({ provider: 'digitalocean', baseUrl: dos.url, token: async () => dos.token, fetch }))
    droplets = await listed(api)
  })
  afterAll(() => dos?.stop())

  it('stops calling when ratelimit-remaining runs low, and says so with the points it has', async () => {
    // 20 calls an hour, 5 kept back: listing the droplets spent 1
    const h = history({ share: 1, reserve: 0.25 })
    const first = await h.get('e2i-analytics-prod', '1h') // 8 calls: 11 left
    expect(first.status).toBe('ok')
    const second = await h.get('e2i-analytics-prod', '6h') // 6 calls: 5 left
    expect(second.status).toBe('ok')
    const before = monitoringCalls(dos).length
    const third = await h.get('e2i-analytics-prod', '24h')
    expect(monitoringCalls(dos).length).toBe(before)
    expect(third).toMatchObject({ status: 'rate-limited', dropletId: E2I, points: [], fetchedAt: null })
    expect(third.message).toMatch(/5 of its 20 calls this hour left/)
    expect(Date.parse(third.nextRefreshAt!)).toBeGreaterThan(Date.now())
  })

  it("holds back to its own share of the hour's budget: cached points stay 'ok', none is 'rate-limited'", async () => {
    let now = Date.now()
    const stub = await startDigitalOceanStub()
    try {
      const api = new DoApi(new ProviderHttp({ provider: 'digitalocean', baseUrl: stub.url, token: async () => stub.token, fetch }))
      const list = await listed(api)
      const http = new ProviderHttp({ provider: 'digitalocean', baseUrl: stub.url, token: async () => stub.token, fetch, rateLimitRetries: 0 })
      // 0.24% of 5,000 = 12 calls an hour, all of it saved up at the start
      const h = new DropletHistory({ http, hasToken: async () => true, dropletOf: async (id) => list.find((d) => d.name === id) ?? null, limiter: { share: 0.0024, burst: 1 }, now: () => now })
      expect((await h.get('e2i-analytics-prod', '1h')).status).toBe('ok') // 8 of 12
      const calls = () => stub.requests.filter((r) => r.path.startsWith('/v2/monitoring/')).length
      const before = calls()
      const starved = await h.get('n8n-prod', '1h') // needs 8, 4 left
      expect(starved.status).toBe('rate-limited')
      expect(starved.message).toMatch(/within 0% of|hourly budget/)
      expect(calls()).toBe(before)
      // five minutes on, the 1 h answer is due, 1 call has come back: cached points, status ok, a later refresh
      now += 5 * 60_000 + 1000
      const later = await h.get('e2i-analytics-prod', '1h')
      expect(calls()).toBe(before)
      expect(later.status).toBe('ok')
      expect(later.points.length).toBeGreaterThan(50)
      expect(later.message).toMatch(/hourly budget/)
      expect(Date.parse(later.nextRefreshAt!)).toBeGreaterThan(now)
      expect(h.limiter.callsInLastHour()).toBe(8)
    } finally {
      await stub.stop()
    }
  })

  it('serves a chart with no points before refreshing one that has them', async () => {
    let now = Date.now()
    const stub = await startDigitalOceanStub()
    try {
      const api = new DoApi(new ProviderHttp({ provider: 'digitalocean', baseUrl: stub.url, token: async () => stub.token, fetch }))
      const list = await listed(api)
      const http = new ProviderHttp({ provider: 'digitalocean', baseUrl: stub.url, token: async () => stub.token, fetch, rateLimitRetries: 0 })
      // 12 calls an hour (one every 5 minutes), 12 saved up
      const h = new DropletHistory({ http, hasToken: async () => true, dropletOf: async (id) => list.find((d) => d.name === id) ?? null, limiter: { share: 0.0024, burst: 1 }, now: () => now })
      const calls = () => stub.requests.filter((r) => r.path.startsWith('/v2/monitoring/')).length
      expect((await h.get('e2i-analytics-prod', '1h')).status).toBe('ok') // 8 calls, 4 left
      expect((await h.get('n8n-prod', '1h')).status).toBe('rate-limited') // needs 8
      // 15 minutes on: 7 calls saved, enough for e2i's refresh (6), not for n8n's first load: e2i waits
      now += 15 * 60_000
      const before = calls()
      // its chart still asks (every 15 s in the app): still short of 8
      expect((await h.get('n8n-prod', '1h')).status).toBe('rate-limited')
      const e2i = await h.get('e2i-analytics-prod', '1h')
      expect(calls()).toBe(before)
      expect(e2i).toMatchObject({ status: 'ok' })
      expect(e2i.message).toMatch(/hourly budget/)
      // 21 minutes on: n8n's first points
      now += 6 * 60_000
      expect((await h.get('n8n-prod', '1h')).status).toBe('ok')
      expect(calls()).toBe(before + 8)
    } finally {
      await stub.stop()
    }
  })

  it("DigitalOcean's 429 is a status, not a failure", async () => {
    const stub = await startDigitalOceanStub({ faults: [{ kind: 'rate-limit', retryAfterSeconds: 120, match: { path: '/v2/monitoring/' } }] })
    try {
      const api = new DoApi(new ProviderHttp({ provider: 'digitalocean', baseUrl: stub.url, token: async () => stub.token, fetch }))
      const list = await listed(api)
      const http = new ProviderHttp({ provider: 'digitalocean', baseUrl: stub.url, token: async () => stub.token, fetch, rateLimitRetries: 0 })
      const h = new DropletHistory({ http, hasToken: async () => true, dropletOf: async (id) => list.find((d) => d.name === id) ?? null })
      const r = await h.get('e2i-analytics-prod', '1h')
      expect(r.status).toBe('rate-limited')
      expect(r.message).toMatch(/rate limiting/)
      expect(Date.parse(r.nextRefreshAt!) - Date.now()).toBeGreaterThan(100_000)
      // asked again before DigitalOcean's wait is over: the same answer, no request
      const calls = stub.requests.filter((q) => q.path.startsWith('/v2/monitoring/')).length
      const again = await h.get('e2i-analytics-prod', '1h')
      expect(again).toMatchObject({ status: 'rate-limited', nextRefreshAt: r.nextRefreshAt })
      expect(stub.requests.filter((q) => q.path.startsWith('/v2/monitoring/')).length).toBe(calls)
    } finally {
      await stub.stop()
    }
  })
})
