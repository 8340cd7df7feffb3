/**
 * Proxy and TLS failures through the router, as an operator behind a corporate network meets them: the real
 * services (createServices, the Node fetch with HTTPS_PROXY / DROPDECK_CA_FILE), Debian's squid with Basic
 * authentication, and the provider stubs behind TLS whose certificates come from a test CA. Each failure
 * keeps the words that say what to fix, and only what a retry can fix is tried again: squid's access log
 * counts the CONNECTs.
 */
import { connect, createServer, type AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startWorld, type World } from './harness'
import { createTestCa, type TestCa } from '../support/test-ca'
import { issueCertificate } from '../proxy/certificates'
import { startSquid, type AccessLogEntry, type Squid } from '../proxy/squid'
import { startTlsFront, type TlsFront } from '../proxy/tls-front'
import { waitFor } from '../fleet/proc'
import { startSecretService, type SecretService } from '../fleet/secret-service'

// Addresses of this file's own: squid on .1, the TLS fronts on .2.
const SQUID_ADDRESS = '127.0.150.1'
const FRONT_ADDRESS = '127.0.150.2'
const USER = 'ops'
const PASSWORD = 'corp-pass'
const DAY = 86_400_000

let keyring: SecretService
let ca: TestCa
let otherCa: TestCa
let squid: Squid
const fronts: Record<'trusted' | 'untrusted' | 'expired' | 'misnamed', TlsFront> = {} as never
const worlds: World[] = []

beforeAll(async () => {
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  ;[ca, otherCa] = await Promise.all([createTestCa('Corp Test CA'), createTestCa('Some Other CA')])
  const ip = [`IP:${FRONT_ADDRESS}`]
  const [trusted, untrusted, expired, misnamed] = await Promise.all([
    issueCertificate(ca, { altNames: ip }),
    issueCertificate(otherCa, { altNames: ip }),
    issueCertificate(ca, { altNames: ip, notBefore: new Date(Date.now() - 30 * DAY), notAfter: new Date(Date.now() - DAY) }),
    issueCertificate(ca, { altNames: ['DNS:api.elsewhere.test'] })
  ])
  fronts.trusted = await startTlsFront(FRONT_ADDRESS, trusted)
  fronts.untrusted = await startTlsFront(FRONT_ADDRESS, untrusted)
  fronts.expired = await startTlsFront(FRONT_ADDRESS, expired)
  fronts.misnamed = await startTlsFront(FRONT_ADDRESS, misnamed)
  squid = await startSquid({ address: SQUID_ADDRESS, users: { [USER]: PASSWORD }, forbiddenDomains: ['forbidden.test'] })
}, 60_000)

afterAll(async () => {
  await Promise.all([squid?.stop(), ...Object.values(fronts).map((f) => f.close()), ca?.cleanup(), otherCa?.cleanup()])
  await keyring?.stop()
})

afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.stop()))
})

/** A world whose DigitalOcean API is behind `front` (and Cloudflare's at `cfApi` when given), through squid. */
async function worldBehind(front: TlsFront, proxyUrl: string, more: Record<string, string> = {}): Promise<World> {
  const w = await startWorld({ env: { DROPDECK_DO_API: front.url, HTTPS_PROXY: proxyUrl, DROPDECK_CA_FILE: ca.caCertFile, ...more } })
  worlds.push(w)
  front.targetPort = w.dos.port
  return w
}

const target = (front: TlsFront) => `${FRONT_ADDRESS}:${front.port}`

/**
 * squid writes a line when a transaction ends (a tunnel: when it closes). Once the first CONNECT to `to` is
 * logged, a CONNECT sent after the call returned, through the same squid, is logged after any other of
 * that call's: once it shows, the count is final.
 */
async function settledConnects(to: string): Promise<AccessLogEntry[]> {
  await waitFor(async () => (await squid.connectsTo(to)).length > 0, { timeoutMs: 10_000, what: `squid to log a CONNECT to ${to}` })
  const sentinel = `${SQUID_ADDRESS}:${await closedPort()}`
  const probe = connect(squid.port, SQUID_ADDRESS)
  probe.on('error', () => {})
  probe.write(`CONNECT ${sentinel} HTTP/1.1\r\nHost: ${sentinel}\r\n\r\n`)
  await waitFor(async () => (await squid.connectsTo(sentinel)).length > 0, { timeoutMs: 10_000, what: 'squid to log the sentinel CONNECT' })
  probe.destroy()
  return squid.connectsTo(to)
}

async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, SQUID_ADDRESS, resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('provider calls through squid (Basic auth) to an API behind TLS from a private CA', () => {
  it('works with the right credentials and the CA file: one tunnel, the answer', async () => {
    const w = await worldBehind(fronts.trusted, squid.urlWith(USER, PASSWORD))
    expect(await w.call('firewalls.list')).toEqual([])
    expect(w.dos.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toContain('GET /v2/firewalls 200')
    // squid logs a tunnel when it closes: stopping the world closes the kept-alive connection.
    worlds.splice(worlds.indexOf(w), 1)
    await w.stop()
    const tunnels = await waitFor(async () => {
      const logged = await squid.connectsTo(target(fronts.trusted))
      return logged.length > 0 && logged
    }, { timeoutMs: 10_000, what: 'squid to log the tunnel' })
    expect(tunnels.every((t) => t.result === 'TCP_TUNNEL/200' && t.user === USER)).toBe(true)
  })

  it('a wrong proxy password: the 407 and the variable to fix, asked once', async () => {
    const w = await worldBehind(fronts.trusted, squid.urlWith(USER, 'wrong-pass'))
    const before = w.dos.requests.length
    const err = await w.fail('firewalls.list')
    expect(err.message).toBe(
      `Could not reach ${target(fronts.trusted)}: the proxy at ${SQUID_ADDRESS}:${squid.port} refused the connection (407 Proxy Authentication Required): check HTTPS_PROXY credentials.`
    )
    expect(err).toMatchObject({ code: 'UPSTREAM', retryable: false, data: { reason: 'PROXY_AUTH', provider: 'digitalocean' } })
    expect(err.message).not.toContain('wrong-pass')
    expect(JSON.stringify(err.data)).not.toContain('wrong-pass')
    expect((await settledConnects(target(fronts.trusted))).filter((t) => t.result === 'TCP_DENIED/407')).toHaveLength(1)
    expect(w.dos.requests.length).toBe(before)
  })

  it('a proxy that forbids the API (403): says so and suggests NO_PROXY, asked once', async () => {
    const forbidden = `forbidden.test:${fronts.trusted.port}`
    const w = await worldBehind(fronts.trusted, squid.urlWith(USER, PASSWORD), { DROPDECK_CF_API: `https://${forbidden}/client/v4` })
    const state = await w.call('accounts.verify', { provider: 'cloudflare' })
    expect(state.state).toBe('unreachable')
    expect(state.message).toContain(`the proxy at ${SQUID_ADDRESS}:${squid.port} refused the connection (403 Forbidden): the proxy does not allow ${forbidden}; ask your network team, or add it to NO_PROXY`)
    expect(await settledConnects(forbidden)).toHaveLength(1)
  })

  it('an unreachable proxy: names it, and a retry may fix it (tried 4 times)', async () => {
    const port = await closedPort()
    const w = await worldBehind(fronts.trusted, `http://${SQUID_ADDRESS}:${port}`)
    const err = await w.fail('firewalls.list')
    expect(err.message).toBe(
      `Could not reach ${target(fronts.trusted)}: the proxy at ${SQUID_ADDRESS}:${port} is unreachable (ECONNREFUSED): check HTTPS_PROXY, and that the proxy is running and reachable from here.`
    )
    expect(err).toMatchObject({ code: 'UPSTREAM', retryable: true, data: { reason: 'PROXY_UNREACHABLE', attempts: 4 } })
  })

  const certificateCases = [
    {
      name: 'from a CA the CA file lacks',
      front: () => fronts.untrusted,
      message: () => `its TLS certificate is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE): DROPDECK_CA_FILE (${ca.caCertFile}) does not include the CA that issued it`,
      reason: 'TLS_UNTRUSTED'
    },
    { name: 'expired', front: () => fronts.expired, message: () => 'its TLS certificate has expired (CERT_HAS_EXPIRED)', reason: 'TLS_EXPIRED' },
    {
      name: 'for another host name',
      front: () => fronts.misnamed,
      message: () => 'its TLS certificate is for another host name (ERR_TLS_CERT_ALTNAME_INVALID)',
      reason: 'TLS_NAME'
    }
  ]
  for (const { name, front, message, reason } of certificateCases) {
    it(`a certificate ${name}: says which, and is not retried`, async () => {
      const w = await worldBehind(front(), squid.urlWith(USER, PASSWORD))
      const before = w.dos.requests.length
      const err = await w.fail('firewalls.list')
      expect(err.message).toContain(`Could not reach ${target(front())}: ${message()}`)
      expect(err).toMatchObject({ code: 'UPSTREAM', retryable: false, data: { reason } })
      expect((await settledConnects(target(front()))).length).toBe(1)
      expect(w.dos.requests.length).toBe(before)
    })
  }
})
