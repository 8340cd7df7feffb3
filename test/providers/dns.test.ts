/**
 * DNS at Cloudflare and DigitalOcean through the real DNS service against the real stubs: zones
 * from both, records matched to droplets, dangling records flagged, writes on both providers,
 * bad input refused before any request, and watched host names with no record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { validateRequest } from '../fleet/spec-validate'
import { requestsTo, startWorld, type World } from './harness'

let keyring: SecretService
let w: World
let net: string // the Cloudflare zone id of insightpulseai.net

beforeAll(async () => {
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  w = await startWorld({ cloudflare: { extraRecords: 30 } })
  net = w.cf.zones.find((z) => z.name === 'insightpulseai.net')!.id
})

afterAll(async () => {
  await w?.stop()
  await keyring?.stop()
})

describe('zones and records', () => {
  it('lists zones from both providers in one list, then from the cache', async () => {
    const zones = await w.call('dns.zones.list', {})
    expect(zones.errors).toEqual([])
    expect(zones.items).toEqual([
      { provider: 'digitalocean', id: 'eznomics.site', name: 'eznomics.site' },
      { provider: 'cloudflare', id: w.cf.zones.find((z) => z.name === 'insightpulseai.com')!.id, name: 'insightpulseai.com', status: 'pending' },
      { provider: 'cloudflare', id: net, name: 'insightpulseai.net', status: 'active' }
    ])
    expect(requestsTo(w.cf, 'GET', '/client/v4/zones')).toEqual([expect.objectContaining({ query: '?page=1&per_page=50', status: 200 })])
    expect(requestsTo(w.dos, 'GET', '/v2/domains')).toHaveLength(1)
    await w.call('dns.zones.list', {})
    expect(requestsTo(w.cf, 'GET', '/client/v4/zones')).toHaveLength(1)
  })

  it('maps Cloudflare records with FQDN names, droplets by IP, proxied, and flags the dangling A record', async () => {
    const records = await w.call('dns.records.list', { provider: 'cloudflare', zoneId: net })
    expect(requestsTo(w.cf, 'GET', `/client/v4/zones/${net}/dns_records`)).toEqual([expect.objectContaining({ query: '?page=1&per_page=5000' })])
    expect(records.length).toBe(w.cf.records.get(net)!.length)
    const erp = records.find((r) => r.name === 'erp.insightpulseai.net')!
    expect(erp).toMatchObject({ provider: 'cloudflare', zoneId: net, type: 'A', content: '159.223.75.148', proxied: false, droplet: { id: 498221043, name: 'odoo-erp-prod' }, dangling: false })
    expect(records.find((r) => r.name === 'insightpulseai.net' && r.type === 'A')).toMatchObject({ proxied: true, ttl: 1 })
    const dangling = records.filter((r) => r.dangling)
    expect(dangling.map((r) => r.name)).toEqual(['staging.insightpulseai.net'])
    expect(dangling[0]).toMatchObject({ droplet: null, danglingReason: '143.198.212.40 is not the address of any droplet in this DigitalOcean team' })
    // CNAMEs to hosts outside every managed zone cannot be judged: not dangling
    expect(records.find((r) => r.name === 'mcp.insightpulseai.net')).toMatchObject({ type: 'CNAME', dangling: false })
    expect(records.find((r) => r.type === 'MX' && r.priority === 10)).toMatchObject({ content: 'mx1.improvmx.com', proxied: false })
  })

  it('maps DigitalOcean records: "@" is the zone, droplets by IP, no proxy', async () => {
    const records = await w.call('dns.records.list', { provider: 'digitalocean', zoneId: 'eznomics.site' })
    expect(records.find((r) => r.type === 'A' && r.name === 'eznomics.site')).toMatchObject({ content: '138.197.4.36', proxied: null, droplet: { id: 544907207, name: 'e2i-analytics-prod' }, dangling: false })
    expect(records.find((r) => r.name === 'www.eznomics.site')!.droplet?.name).toBe('e2i-analytics-prod')
    expect(records.filter((r) => r.type === 'NS').map((r) => r.content)).toEqual(['ns1.digitalocean.com', 'ns2.digitalocean.com', 'ns3.digitalocean.com'])
  })
})

describe('writes', () => {
  it('Cloudflare: create (proxied), update, and delete with the record\'s name typed', async () => {
    const from = w.cf.requests.length
    const created = await w.call('dns.records.create', { provider: 'cloudflare', zoneId: net, record: { type: 'A', name: 'api', content: '159.223.88.17', proxied: true } })
    expect(created).toMatchObject({ name: 'api.insightpulseai.net', content: '159.223.88.17', proxied: true, ttl: 1, droplet: { name: 'n8n-prod' }, dangling: false })
    expect(requestsTo(w.cf, 'POST', `/client/v4/zones/${net}/dns_records`, from)[0].body).toEqual({ type: 'A', name: 'api.insightpulseai.net', content: '159.223.88.17', ttl: 1, proxied: true })
    expect(w.cf.records.get(net)!.find((r) => r.id === created.id)).toMatchObject({ proxied: true })

    const updated = await w.call('dns.records.update', { provider: 'cloudflare', zoneId: net, id: created.id, record: { type: 'A', name: 'api.insightpulseai.net', content: '143.198.212.41', ttl: 300 } })
    expect(updated).toMatchObject({ id: created.id, content: '143.198.212.41', proxied: false, ttl: 300, droplet: null, dangling: true })
    expect(requestsTo(w.cf, 'PATCH', `/client/v4/zones/${net}/dns_records/${created.id}`, from)).toHaveLength(1)
    // the cached list follows the write
    expect((await w.call('dns.records.list', { provider: 'cloudflare', zoneId: net })).find((r) => r.id === created.id)!.content).toBe('143.198.212.41')

    const refused = await w.fail('dns.records.delete', { provider: 'cloudflare', zoneId: net, id: created.id, confirm: 'api' })
    expect(refused.code).toBe('CONFIRMATION_REQUIRED')
    expect(refused.data).toEqual({ expected: 'api.insightpulseai.net' })
    expect(requestsTo(w.cf, 'DELETE', `/client/v4/zones/${net}/dns_records/${created.id}`, from)).toHaveLength(0)
    expect(await w.call('dns.records.delete', { provider: 'cloudflare', zoneId: net, id: created.id, confirm: 'api.insightpulseai.net' })).toEqual({ deleted: true })
    expect(w.cf.records.get(net)!.some((r) => r.id === created.id)).toBe(false)
    expect((await w.call('dns.records.list', { provider: 'cloudflare', zoneId: net })).some((r) => r.id === created.id)).toBe(false)
    expect(w.eventsOf('dns.changed').filter((e) => e.zoneId === net)).toHaveLength(3)
    const audit = (await w.call('audit.list', { limit: 3 })).map((e) => `${e.action} ${e.result} ${e.target}`)
    expect(audit).toEqual([
      `dns.record.delete ok A api.insightpulseai.net (cloudflare zone insightpulseai.net, record ${created.id})`,
      `dns.record.update ok A api.insightpulseai.net (cloudflare zone insightpulseai.net, record ${created.id})`,
      'dns.record.create ok A api.insightpulseai.net (cloudflare zone insightpulseai.net)'
    ])
    expect((await w.call('audit.list', { limit: 1 }))[0].requestId).toMatch(/^[0-9a-f]{16}-SIN$/)
  })

  it('DigitalOcean: create, update and delete, with request bodies the spec accepts', async () => {
    const from = w.dos.requests.length
    const created = await w.call('dns.records.create', { provider: 'digitalocean', zoneId: 'eznomics.site', record: { type: 'CNAME', name: 'docs.eznomics.site', content: 'www.eznomics.site' } })
    expect(created).toMatchObject({ provider: 'digitalocean', name: 'docs.eznomics.site', content: 'www.eznomics.site', ttl: 1800, proxied: null, dangling: false })
    const updated = await w.call('dns.records.update', { provider: 'digitalocean', zoneId: 'eznomics.site', id: created.id, record: { type: 'CNAME', name: 'docs', content: 'gone.eznomics.site', ttl: 600 } })
    expect(updated).toMatchObject({ content: 'gone.eznomics.site', ttl: 600, dangling: true, danglingReason: 'gone.eznomics.site has no record in eznomics.site' })
    expect(await w.call('dns.records.delete', { provider: 'digitalocean', zoneId: 'eznomics.site', id: created.id, confirm: 'docs.eznomics.site' })).toEqual({ deleted: true })
    const writes = w.dos.requests.slice(from).filter((r) => r.method !== 'GET')
    expect(writes.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 201', 'PUT 200', 'DELETE 204'])
    expect(writes[0].body).toEqual({ type: 'CNAME', name: 'docs', data: 'www.eznomics.site.', ttl: 1800, priority: null })
    for (const r of writes) expect(validateRequest('digitalocean', r.method, r.path, r.body).errors).toEqual([])
  })

  it('refuses bad names and content before any request', async () => {
    const before = { cf: w.cf.requests.length, dos: w.dos.requests.length }
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['cloudflare', { type: 'A', name: 'ipa', content: '10.0.0.300' }, /IPv4 address/],
      ['cloudflare', { type: 'AAAA', name: 'ipa', content: '138.197.4.36' }, /IPv6 address/],
      ['cloudflare', { type: 'A', name: 'bad name!', content: '138.197.4.36' }, /host name/],
      ['cloudflare', { type: 'CNAME', name: 'x', content: 'not a host' }, /needs a host name/],
      ['cloudflare', { type: 'TXT', name: 'x', content: 'v=spf1', proxied: true }, /proxies only A, AAAA and CNAME/],
      ['cloudflare', { type: 'MX', name: '@', content: 'mx3.improvmx.com' }, /needs a priority/],
      ['cloudflare', { type: 'A', name: 'x', content: '138.197.4.36', ttl: 30 }, /60 to 86400/],
      ['digitalocean', { type: 'A', name: 'x', content: '138.197.4.36', proxied: false }, /no proxy/]
    ]
    for (const [provider, record, message] of cases) {
      const err = await w.fail('dns.records.create', { provider, zoneId: provider === 'cloudflare' ? net : 'eznomics.site', record })
      expect(err.code, JSON.stringify(record)).toBe('BAD_REQUEST')
      expect(err.message).toMatch(message)
    }
    expect(w.cf.requests.length).toBe(before.cf)
    expect(w.dos.requests.length).toBe(before.dos)
  })

  it('a provider\'s own refusal comes back as BAD_REQUEST with its message, audited', async () => {
    const err = await w.fail('dns.records.create', { provider: 'cloudflare', zoneId: net, record: { type: 'A', name: 'erp', content: '159.223.75.148' } })
    expect(err.code).toBe('BAD_REQUEST')
    expect(err.message).toContain('An identical record already exists.')
    expect(err.data).toMatchObject({ provider: 'cloudflare', status: 400, providerCode: '81058' })
    expect((await w.call('audit.list', { limit: 1 }))[0]).toMatchObject({ action: 'dns.record.create', result: 'error' })
  })
})

describe('missing host names and providers without tokens', () => {
  it('dns.missing: watched host names with no record, with the zone they belong in', async () => {
    await w.call('settings.update', { watchedHostnames: ['ipa.insightpulseai.net', 'erp.insightpulseai.net', 'www.eznomics.site', 'portal.example.org'] })
    const missing = await w.call('dns.missing', {})
    expect(missing).toEqual([
      { hostname: 'ipa.insightpulseai.net', zone: { provider: 'cloudflare', id: net, name: 'insightpulseai.net', status: 'active' }, usedBy: 'settings.watchedHostnames' },
      { hostname: 'portal.example.org', zone: null, usedBy: 'settings.watchedHostnames' }
    ])
  })

  it('without a DigitalOcean token: Cloudflare only, and no A record is called dangling', async () => {
    const solo = await startWorld({ tokens: { digitalocean: false } })
    try {
      const zones = await solo.call('dns.zones.list', {})
      expect(zones.items.map((z) => z.provider)).toEqual(['cloudflare', 'cloudflare'])
      expect(zones.errors).toEqual([])
      const id = solo.cf.zones.find((z) => z.name === 'insightpulseai.net')!.id
      const records = await solo.call('dns.records.list', { provider: 'cloudflare', zoneId: id })
      const staging = records.find((r) => r.name === 'staging.insightpulseai.net')!
      expect(staging.dangling).toBe(false)
      expect(staging.danglingReason).toBeUndefined()
      expect(solo.dos.requests).toHaveLength(0)
    } finally {
      await solo.stop()
    }
  })
})
