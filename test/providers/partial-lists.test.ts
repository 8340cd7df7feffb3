/**
 * Lists that merge providers, through the router against the spec-validated stubs: one provider's
 * failure (a refused Cloudflare token, a DigitalOcean token without the domain read scope, which
 * answers 403) leaves the other provider's items in the list, with an error naming the provider
 * that failed; and a page boundary that moves while the pages are read never lists an id twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { requestsTo, startWorld, type World } from './harness'

let keyring: SecretService

beforeAll(async () => {
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
})

afterAll(async () => {
  await keyring?.stop()
})

describe('DNS zones when one provider fails', () => {
  let w: World
  beforeAll(async () => {
    w = await startWorld()
  })
  afterAll(async () => {
    await w?.stop()
  })

  it('a refused Cloudflare token: DigitalOcean\'s zones, and the Cloudflare error', async () => {
    await w.call('secrets.set', { key: 'cloudflare', value: 'not-the-token', verify: false })
    try {
      const zones = await w.call('dns.zones.list', { refresh: true })
      expect(zones.items).toEqual([{ provider: 'digitalocean', id: 'eznomics.site', name: 'eznomics.site' }])
      expect(zones.errors).toEqual([{ provider: 'cloudflare', code: 'AUTH_FAILED', message: expect.stringContaining('The Cloudflare token was refused (401') }])
      // the DigitalOcean zone's records still open
      const records = await w.call('dns.records.list', { provider: 'digitalocean', zoneId: 'eznomics.site' })
      expect(records.length).toBeGreaterThan(0)
    } finally {
      await w.call('secrets.set', { key: 'cloudflare', value: w.cf.token })
    }
  })

  it('DigitalOcean answers 403 on domains (a token without that scope): Cloudflare\'s zones, the DigitalOcean error with its team, asked again next time', async () => {
    w.dos.setFault({ kind: 'forbidden', match: { path: '/v2/domains' } })
    try {
      const zones = await w.call('dns.zones.list', { refresh: true })
      expect(zones.items.map((z) => [z.provider, z.name])).toEqual([
        ['cloudflare', 'insightpulseai.com'],
        ['cloudflare', 'insightpulseai.net']
      ])
      expect(zones.errors).toEqual([
        { provider: 'digitalocean', team: 'default', code: 'AUTH_FAILED', message: expect.stringMatching(/^The DigitalOcean token may not GET \/v2\/domains \(page 1\): DigitalOcean answered 403: You are not authorized to perform this operation\. Give the token that scope/) }
      ])
      // a zone of the failed provider says why it cannot be read, rather than "no such zone"
      const err = await w.fail('dns.records.list', { provider: 'digitalocean', zoneId: 'eznomics.site' })
      expect(err.code).toBe('AUTH_FAILED')
      expect(err.message).toContain('403')
      // an incomplete list is not cached: the next call asks DigitalOcean again
      const from = w.dos.requests.length
      await w.call('dns.zones.list', {})
      expect(requestsTo(w.dos, 'GET', '/v2/domains', from)).toHaveLength(1)
    } finally {
      w.dos.setFault(null)
    }
    const zones = await w.call('dns.zones.list', {})
    expect(zones.errors).toEqual([])
    expect(zones.items).toHaveLength(3)
  })

  it('dns.missing does not call a watched name missing when the zone it may be in could not be read', async () => {
    await w.call('settings.update', { watchedHostnames: ['ipa.insightpulseai.net'] })
    try {
      expect((await w.call('dns.missing', {})).map((m) => m.hostname)).toEqual(['ipa.insightpulseai.net'])
      await w.call('secrets.set', { key: 'cloudflare', value: 'not-the-token', verify: false })
      expect(await w.call('dns.missing', {})).toEqual([])
    } finally {
      await w.call('secrets.set', { key: 'cloudflare', value: w.cf.token })
      await w.call('settings.update', { watchedHostnames: [] })
    }
  })
})

describe('pages that repeat items', () => {
  let w: World
  let inserted = false
  beforeAll(async () => {
    // 450 droplets: three pages of 200. Right after page 1 is answered, a droplet is created that
    // lists first, so every later page starts one item earlier and repeats the previous page's last.
    const pageFetch: typeof fetch = async (input, init) => {
      const res = await fetch(input, init)
      const url = new URL(String(input instanceof Request ? input.url : input))
      if (!inserted && url.pathname === '/v2/droplets' && url.searchParams.get('page') === '1') {
        inserted = true
        const live = w.dos.droplets()
        live.unshift({ ...structuredClone(live[0]), id: 999_000_001, name: 'created-meanwhile' })
      }
      return res
    }
    w = await startWorld({ digitalocean: { droplets: 450 }, fetch: pageFetch })
  })
  afterAll(async () => {
    await w?.stop()
  })

  it('droplets.list has each id once', async () => {
    const droplets = await w.call('droplets.list', {})
    expect(inserted).toBe(true)
    expect(requestsTo(w.dos, 'GET', '/v2/droplets').map((r) => new URLSearchParams(r.query).get('page')).sort()).toEqual(['1', '2', '3'])
    const ids = droplets.map((d) => d.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toHaveLength(450)
  })
})
