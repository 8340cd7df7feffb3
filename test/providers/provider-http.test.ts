/**
 * The provider HTTP layer through the real droplets service, against the real DigitalOcean stub:
 * pagination (per_page=200, pages fetched concurrently, a failed page fails the list by name),
 * retries only where they are safe, 429s waited out, errors mapped to codes with the provider's words.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { requestsTo, startWorld, type World } from './harness'
import { errorData } from '../../src/shared/error-data'

let keyring: SecretService
let w: World

beforeAll(async () => {
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  w = await startWorld({ digitalocean: { droplets: 1000, actionDurationMs: 200 } })
})

afterAll(async () => {
  await w?.stop()
  await keyring?.stop()
})

afterEach(() => {
  w.dos.setFault(null)
  w.dos.setLatency(0)
})

describe('droplets.list: pagination', () => {
  it('lists 1,000 droplets in 5 pages of 200, pages 2-5 fetched concurrently, then serves the cache', async () => {
    w.dos.setLatency(80)
    const from = w.dos.requests.length
    const list = await w.call('droplets.list', { refresh: true })
    expect(list).toHaveLength(1000)
    expect(new Set(list.map((d) => d.id)).size).toBe(1000)
    const pages = requestsTo(w.dos, 'GET', '/v2/droplets', from)
    expect(pages).toHaveLength(5)
    expect(pages.map((r) => new URLSearchParams(r.query).get('per_page'))).toEqual(Array(5).fill('200'))
    expect(pages.map((r) => Number(new URLSearchParams(r.query).get('page'))).sort()).toEqual([1, 2, 3, 4, 5])
    // page 1 first, then the other four together: two round trips, not five
    const rest = pages.filter((r) => new URLSearchParams(r.query).get('page') !== '1')
    const spread = Math.max(...rest.map((r) => r.at)) - Math.min(...rest.map((r) => r.at))
    // sequential pages would arrive at least one 80 ms round trip apart
    expect(spread).toBeLessThan(60)
    expect(Math.min(...rest.map((r) => r.at)) - pages.find((r) => r.query.includes('page=1&'))!.at).toBeGreaterThanOrEqual(75)

    // navigation back: no request at all
    const before = w.dos.requests.length
    expect(await w.call('droplets.list', {})).toHaveLength(1000)
    expect(w.dos.requests.length).toBe(before)
  })

  it('maps DigitalOcean droplets to the contract: addresses by type, image, monitoring, price, managed', async () => {
    const list = await w.call('droplets.list', {})
    const e2i = list.find((d) => d.name === 'e2i-analytics-prod')!
    expect(e2i).toMatchObject({
      id: 544907207,
      status: 'active',
      publicIpv4: '138.197.4.36',
      privateIpv4: '10.108.0.2',
      publicIpv6: null,
      region: 'nyc3',
      regionName: 'New York 3',
      sizeSlug: 's-4vcpu-16gb-amd',
      vcpus: 4,
      memoryMb: 16384,
      diskGb: 200,
      image: 'Ubuntu 24.04 (LTS) x64',
      monitoring: true,
      priceMonthly: 84,
      managed: false,
      readOnly: false
    })
    const sandbox = list.find((d) => d.name === 'sammy-sandbox')!
    expect(sandbox).toMatchObject({ privateIpv4: null, monitoring: false, status: 'off' })
    expect(list.find((d) => d.name === 'odoo-erp-prod')!.managed).toBe(true)
  })

  it('a refresh after the first one fetches the predicted pages in one round trip', async () => {
    w.dos.setLatency(80)
    const from = w.dos.requests.length
    await w.call('droplets.list', { refresh: true })
    const pages = requestsTo(w.dos, 'GET', '/v2/droplets', from)
    expect(pages).toHaveLength(5)
    expect(Math.max(...pages.map((r) => r.at)) - Math.min(...pages.map((r) => r.at))).toBeLessThan(60)
  })

  it('a page that keeps failing fails the whole list, naming the page, after its retries; the last good list stays', async () => {
    w.dos.setFault({ kind: 'server-error', status: 500, match: { method: 'GET', path: /^\/v2\/droplets$/, query: { page: '3' } } })
    const from = w.dos.requests.length
    const error = await w.fail('droplets.list', { refresh: true })
    expect(error.code).toBe('UPSTREAM')
    expect(error.retryable).toBe(true)
    expect(error.message).toMatch(/^Page 3 of 5 failed, so the DigitalOcean list is incomplete and was not used: DigitalOcean failed on GET \/v2\/droplets \(page 3 of 5\) \(500: Server was unable to give you a response\.\)/)
    expect(error.data).toMatchObject({ page: 'page 3 of 5', status: 500, attempts: 4 })
    const byPage = (n: string) => requestsTo(w.dos, 'GET', '/v2/droplets', from).filter((r) => new URLSearchParams(r.query).get('page') === n)
    // page 3: one try and three retries, each answered 500 by the stub; the others answered once
    expect(byPage('3').map((r) => r.status)).toEqual([500, 500, 500, 500])
    for (const n of ['1', '2', '4', '5']) expect(byPage(n).map((r) => r.status)).toEqual([200])

    // the last good list is still served, without a request
    w.dos.setFault(null)
    const before = w.dos.requests.length
    expect(await w.call('droplets.list', {})).toHaveLength(1000)
    expect(w.dos.requests.length).toBe(before)
    const health = (await w.call('providers.health', {})).find((h) => h.provider === 'digitalocean')!
    expect(health.lastError).toMatchObject({ code: 'UPSTREAM' })
    expect(health.lastError!.message).toContain('page 3 of 5')
  })

  it('connections reset on every try: UPSTREAM "could not reach", after one try and three retries', async () => {
    w.dos.setFault({ kind: 'reset', match: { path: /^\/v2\/droplets\/544907207$/ } })
    const from = w.dos.requests.length
    const err = await w.fail('droplets.get', { id: 544907207 })
    expect(err.code).toBe('UPSTREAM')
    expect(err.message).toMatch(/^Could not reach DigitalOcean at 127\.0\.0\.1:\d+ for GET \/v2\/droplets\/544907207/)
    expect(requestsTo(w.dos, 'GET', '/v2/droplets/544907207', from).map((r) => r.status)).toEqual([-1, -1, -1, -1])
  })
})

describe('retries, rate limits and errors', () => {
  it('waits out a 429 for Retry-After seconds, then succeeds', async () => {
    w.dos.setFault({ kind: 'rate-limit', retryAfterSeconds: 1, times: 1, match: { path: /^\/v2\/droplets\/544907207$/ } })
    const from = w.dos.requests.length
    const t0 = Date.now()
    const detail = await w.call('droplets.get', { id: 544907207 })
    expect(detail.name).toBe('e2i-analytics-prod')
    const tries = requestsTo(w.dos, 'GET', '/v2/droplets/544907207', from)
    expect(tries.map((r) => r.status)).toEqual([429, 200])
    expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(990)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(990)
  })

  it('gives up with RATE_LIMITED when the provider asks for a longer wait than the cap', async () => {
    w.dos.setFault({ kind: 'rate-limit', retryAfterSeconds: 3600, match: { path: /^\/v2\/droplets\/544907207$/ } })
    const from = w.dos.requests.length
    const err = await w.fail('droplets.get', { id: 544907207 })
    expect(err.code).toBe('RATE_LIMITED')
    expect(err.retryable).toBe(true)
    expect(err.message).toContain('try again in 3600 s')
    const data = errorData(err, 'RATE_LIMITED')
    expect(data?.retryAfterSeconds).toBe(3600)
    // the renderer says when the budget refills
    expect(Date.parse(data?.resetAt ?? '') - Date.now()).toBeGreaterThan(3500 * 1000)
    expect(requestsTo(w.dos, 'GET', '/v2/droplets/544907207', from)).toHaveLength(1)
  })

  it('never retries a POST on 5xx: one request, UPSTREAM, audited as an error', async () => {
    w.dos.setFault({ kind: 'server-error', status: 502, match: { method: 'POST', path: '/v2/droplets/498221043/actions' } })
    const from = w.dos.requests.length
    const err = await w.fail('droplets.action', { id: 498221043, action: { type: 'power_on' } })
    expect(err.code).toBe('UPSTREAM')
    expect(err.message).toContain('502')
    const posts = requestsTo(w.dos, 'POST', '/v2/droplets/498221043/actions', from)
    expect(posts).toHaveLength(1)
    expect(posts[0].status).toBe(502)
    const audit = await w.call('audit.list', { limit: 1 })
    expect(audit[0]).toMatchObject({ action: 'droplet.power_on', result: 'error', target: 'droplet 498221043 (odoo-erp-prod)' })
    expect(audit[0].requestId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('retries a GET after a 5xx and succeeds', async () => {
    w.dos.setFault({ kind: 'server-error', status: 500, times: 2, match: { path: /^\/v2\/droplets\/451730266$/ } })
    const from = w.dos.requests.length
    expect((await w.call('droplets.get', { id: 451730266 })).name).toBe('ocr-service-droplet')
    expect(requestsTo(w.dos, 'GET', '/v2/droplets/451730266', from).map((r) => r.status)).toEqual([500, 500, 200])
  })

  it('malformed JSON is UPSTREAM with a precise message', async () => {
    w.dos.setFault({ kind: 'malformed-json', times: 1, match: { path: /^\/v2\/droplets\/451730266$/ } })
    const err = await w.fail('droplets.get', { id: 451730266 })
    expect(err.code).toBe('UPSTREAM')
    expect(err.message).toMatch(/^DigitalOcean answered GET \/v2\/droplets\/451730266 with malformed JSON \(status 200, \d+ bytes: .+\)/)
    expect((err.data as { malformed: boolean }).malformed).toBe(true)
  })

  it('a 404 is NOT_FOUND with DigitalOcean\'s message and request id', async () => {
    const err = await w.fail('droplets.get', { id: 1 })
    expect(err.code).toBe('NOT_FOUND')
    expect(err.message).toContain('The resource you were accessing could not be found.')
    expect((err.data as { requestId: string }).requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(err.message).toContain((err.data as { requestId: string }).requestId)
  })

  it('a token refused mid-session is AUTH_FAILED and says to replace it in Settings', async () => {
    await w.secrets.set('digitalocean', 'dop_v1_revoked')
    try {
      const err = await w.fail('droplets.list', { refresh: true })
      expect(err.code).toBe('AUTH_FAILED')
      expect(err.retryable).toBe(false)
      expect(err.message).toContain('replace it in Settings')
      expect(err.message).toContain('Unable to authenticate you')
    } finally {
      await w.secrets.set('digitalocean', w.dos.token)
    }
  })

  it('shows the rate-limit budget from DigitalOcean\'s headers', async () => {
    await w.call('droplets.get', { id: 544907207 })
    const last = w.dos.requests.at(-1)!
    expect(last.status).toBe(200)
    const health = await w.call('providers.health', {})
    const doh = health.find((h) => h.provider === 'digitalocean')!
    expect(doh.baseUrl).toBe(w.dos.url)
    expect(doh.rateLimit).toMatchObject({ limit: 5000 })
    expect(doh.rateLimit!.remaining).toBe(5000 - w.dos.requests.length)
    expect(Date.parse(doh.rateLimit!.resetAt!)).toBeGreaterThan(Date.now())
    expect(doh.requests).toBeGreaterThanOrEqual(w.dos.requests.length - 10)
    expect(health.find((h) => h.provider === 'cloudflare')!.rateLimit).toBeNull()
  })
})
