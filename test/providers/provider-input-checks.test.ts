/**
 * What reaches the providers, and what comes back from them, checked (security review #5, #6, #7, #12, #15):
 * the real services through the router against the spec-validated provider stubs and a real Secret Service.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProviderHttp } from '../../src/main/providers/http/provider-http'
import { createNodeFetch, type NodeFetch } from '../../src/main/providers/http/node-fetch'
import { doDroplet } from '../fleet/digitalocean-fixtures'
import { fleetDroplets } from '../fleet/fleet-model'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { startWorld, type World } from './harness'

let keyring: SecretService
let w: World
let zone: string
let elsewhere: Server
let elsewhereUrl: string
const seenElsewhere: IncomingHttpHeaders[] = []

beforeAll(async () => {
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  // Two droplets whose addresses from the API are not IP literals: a known_hosts pattern and a CONNECT header.
  const droplets = fleetDroplets(6).map(doDroplet)
  ;(droplets[0].networks as { v4: { ip_address: string }[] }).v4[0].ip_address = '10.0.0.5,*'
  ;(droplets[1].networks as { v4: { ip_address: string }[] }).v4[0].ip_address = '10.0.0.6\r\nX-Injected: 1'
  w = await startWorld({ digitalocean: { droplets, host: '127.0.144.1' }, cloudflare: { host: '127.0.144.1' } })
  zone = w.cf.zones.find((z) => z.name === 'insightpulseai.net')!.id
  elsewhere = createServer((req, res) => {
    seenElsewhere.push(req.headers)
    res.end('{}')
  })
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.144.2', resolve))
  elsewhereUrl = `http://127.0.144.2:${(elsewhere.address() as AddressInfo).port}`
})

afterAll(async () => {
  await w?.stop()
  await new Promise((resolve) => elsewhere?.close(resolve))
  await keyring?.stop()
})

describe('provider ids (#6)', () => {
  const hostile = ['..', '.', '%2e%2e', '../..', 'a/b', '']

  it('refuses record, zone, snapshot and firewall ids no provider issues, before any request', async () => {
    const before = { cf: w.cf.requests.length, dos: w.dos.requests.length }
    for (const id of hostile) {
      expect((await w.fail('dns.records.delete', { provider: 'cloudflare', zoneId: zone, id, confirm: 'insightpulseai.net' })).code, id).toBe('BAD_REQUEST')
      expect((await w.fail('dns.records.update', { provider: 'cloudflare', zoneId: zone, id, record: { type: 'A', name: 'x', content: '1.2.3.4' } })).code, id).toBe('BAD_REQUEST')
      expect((await w.fail('dns.records.delete', { provider: 'digitalocean', zoneId: 'eznomics.site', id, confirm: 'eznomics.site' })).code, id).toBe('BAD_REQUEST')
      expect((await w.fail('dns.records.list', { provider: 'cloudflare', zoneId: id })).code, id).toBe('BAD_REQUEST')
      expect((await w.fail('dns.records.list', { provider: 'digitalocean', zoneId: id })).code, id).toBe('BAD_REQUEST')
      expect((await w.fail('snapshots.delete', { id, confirm: 'x' })).code, id).toBe('BAD_REQUEST')
      expect((await w.fail('firewalls.attach', { id, tags: ['production'] })).code, id).toBe('BAD_REQUEST')
    }
    // Each provider's own shapes: a DigitalOcean record id is not a Cloudflare one, nor the other way round.
    expect((await w.fail('dns.records.delete', { provider: 'cloudflare', zoneId: zone, id: '3352896', confirm: 'x' })).code).toBe('BAD_REQUEST')
    expect((await w.fail('dns.records.delete', { provider: 'digitalocean', zoneId: 'eznomics.site', id: zone, confirm: 'x' })).code).toBe('BAD_REQUEST')
    expect((await w.fail('dns.records.list', { provider: 'cloudflare', zoneId: 'insightpulseai.net' })).code).toBe('BAD_REQUEST')
    expect({ cf: w.cf.requests.length, dos: w.dos.requests.length }).toEqual(before)
  })

  it('never sends a request whose path normalises to another resource (the zone itself)', async () => {
    const fetch = createNodeFetch({})
    const http = new ProviderHttp({ provider: 'cloudflare', baseUrl: w.cf.url, token: async () => w.cf.token, fetch, retryBaseMs: 1 })
    try {
      const before = w.cf.requests.length
      for (const id of ['..', '.', '%2e%2e', '%2E.', '.%2e']) {
        const err = await http.request('DELETE', `/zones/${zone}/dns_records/${id}`).then(() => undefined, (e: unknown) => e as { code: string })
        expect(err?.code, id).toBe('BAD_REQUEST')
      }
      expect(w.cf.requests.length).toBe(before)
      // The path as built still goes out.
      expect((await http.request('GET', `/zones/${zone}/dns_records`)).status).toBe(200)
    } finally {
      await fetch.close()
    }
  })
})

describe('droplet addresses from the API (#5)', () => {
  it('become SSH hosts only when they are IP literals', async () => {
    const droplets = await w.call('droplets.list', { refresh: true })
    const [odd, crlf] = fleetDroplets(6)
    expect(droplets.find((d) => d.name === odd.name)?.publicIpv4).toBeNull()
    expect(droplets.find((d) => d.name === crlf.name)?.publicIpv4).toBeNull()
    const hosts = (await w.call('hosts.list')).filter((h) => h.source === 'droplet')
    expect(hosts.length).toBeGreaterThan(0)
    for (const h of hosts) expect(h.hostname, h.id).toMatch(/^[0-9.]+$|:/)
    expect(JSON.stringify(hosts)).not.toMatch(/X-Injected|\*/)
  })
})

describe('a team named "constructor" (#12)', () => {
  it('has no SSH user of its own until one is set: droplets use the default user', async () => {
    await w.call('settings.update', { digitaloceanContexts: ['default', 'constructor'] })
    await w.secrets.set('digitalocean', w.dos.token, 'constructor')
    await w.call('accounts.useContext', { name: 'constructor' })
    try {
      const hosts = (await w.call('hosts.list')).filter((h) => h.source === 'droplet')
      expect(hosts.length).toBeGreaterThan(0)
      for (const h of hosts) expect(h.user).toBe('root')
      await w.call('settings.update', { sshUserByTeam: { constructor: 'ops' } })
      expect((await w.call('hosts.list')).filter((h) => h.source === 'droplet').every((h) => h.user === 'ops')).toBe(true)
    } finally {
      await w.call('accounts.useContext', { name: 'default' })
      await w.call('settings.update', { sshUserByTeam: {} })
    }
  })
})

describe('redirects (#15)', () => {
  it('are refused, not followed: the token never reaches another address, and nothing is retried', async () => {
    w.dos.setFault({ kind: 'redirect', location: `${elsewhereUrl}/v2/droplets`, status: 302, match: { path: '/v2/droplets' } })
    // Only the droplet list's requests count: a background call (an account check) may land meanwhile.
    const dropletCalls = () => w.dos.requests.filter((r) => r.path.startsWith('/v2/droplets')).length
    const before = dropletCalls()
    try {
      const err = await w.fail('droplets.list', { refresh: true })
      expect(err.code).toBe('UPSTREAM')
      expect(err.retryable).toBe(false)
      expect(err.message).toContain('redirect')
      expect(seenElsewhere).toEqual([])
      expect(dropletCalls() - before).toBe(1)
      w.dos.setFault({ kind: 'redirect', location: `${elsewhereUrl}/v2/droplets`, status: 307, match: { path: '/v2/droplets' } })
      expect((await w.fail('droplets.list', { refresh: true })).code).toBe('UPSTREAM')
      expect(seenElsewhere).toEqual([])
    } finally {
      w.dos.setFault(null)
    }
  })
})

describe('tokens with control characters (#7)', () => {
  const token = 'dop_v1_SECRET\u0000LEAKME'

  it('are refused by secrets.set without quoting them', async () => {
    for (const value of [token, 'dop_v1_a\u0007b', 'dop_v1_é', 'a b']) {
      const err = await w.fail('secrets.set', { key: 'digitalocean', value })
      expect(err.code).toBe('BAD_REQUEST')
      expect(JSON.stringify(err)).not.toContain('LEAKME')
    }
  })

  it('one already stored is never sent and never comes back in any answer, event or log line', async () => {
    const stderr: string[] = []
    const write = process.stderr.write.bind(process.stderr)
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      stderr.push(String(chunk))
      return write(chunk, ...rest)
    }) as typeof process.stderr.write
    const before = w.dos.requests.length
    try {
      await w.secrets.set('digitalocean', token)
      const answers: unknown[] = []
      for (const [method, params] of [['accounts.verify', { provider: 'digitalocean' }], ['accounts.status', {}], ['droplets.list', { refresh: true }], ['dns.zones.list', { refresh: true }], ['providers.health', {}], ['hosts.list', {}]] as const) {
        answers.push(await w.call(method, params as never).catch((e: unknown) => e))
      }
      const seen = JSON.stringify(answers) + JSON.stringify(w.events) + w.log.join('\n') + stderr.join('')
      expect(seen).not.toContain('LEAKME')
      expect(seen).not.toContain('SECRET')
      expect(w.dos.requests.length).toBe(before)
      const verify = answers[0] as { state: string; message?: string }
      expect(verify.state).toBe('invalid')
      expect(verify.message).toContain('replace it in Settings')
    } finally {
      process.stderr.write = write
      await w.secrets.set('digitalocean', w.dos.token)
    }
  })
})

describe('ProviderHttp failures before the request leaves (#7)', () => {
  it('never quote the exception text, and a token in any message is scrubbed', async () => {
    const leaky: NodeFetch = Object.assign((async () => {
      throw new TypeError('Headers.append: "Bearer tok_LEAKME" is an invalid header value.')
    }) as unknown as typeof fetch, { close: async () => undefined })
    const http = new ProviderHttp({ provider: 'digitalocean', baseUrl: w.dos.url, token: async () => 'tok_LEAKME', fetch: leaky, retryBaseMs: 1 })
    const err = await http.request('GET', '/v2/account').then(() => undefined, (e: unknown) => e as Error & { code: string; retryable: boolean })
    expect(err?.code).toBe('UPSTREAM')
    expect(err?.retryable).toBe(false)
    expect(err?.message).not.toContain('LEAKME')
    expect(JSON.stringify(http.lastError)).not.toContain('LEAKME')
  })
})
