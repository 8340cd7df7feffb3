/**
 * The connection test (network.test) and SSH through the system proxy, through the router. The proxies are
 * Debian's squid: one with Basic authentication, one that asks for NTLM only (a Windows-domain proxy). The
 * system's answer comes in as Chromium's `session.resolveProxy` gives it (PAC syntax): in Electron the
 * resolver asks Chromium (proxy-resolver.electron.ts, one call); everything after that runs here.
 */
import { writeFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startWorld, type World } from './harness'
import { createTestCa, type TestCa } from '../support/test-ca'
import { issueCertificate } from '../proxy/certificates'
import { startSquid, type Squid } from '../proxy/squid'
import { startTlsFront, type TlsFront } from '../proxy/tls-front'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { startDroplets, type Droplets } from '../fleet/sshd'
import { hostBlock } from '../ssh/support/ssh-env'
import { parseProxyAnswer } from '../../src/main/network/proxy-answer'
import type { ProxyResolver } from '../../src/main/network/proxy-resolver'
import type { ProxyCredentialStore } from '../../src/main/network/proxy-credentials'

// This file's own addresses: squid (Basic) .1, squid (NTLM) .2, the API front .3, sshd from .10.
const SQUID_ADDRESS = '127.0.153.1'
const NTLM_ADDRESS = '127.0.153.2'
const FRONT_ADDRESS = '127.0.153.3'
const SSHD_BASE = '127.0.153.10'

let keyring: SecretService
let ca: TestCa
let squid: Squid
let ntlmSquid: Squid
let front: TlsFront
let fleet: Droplets
let dir: string
const worlds: World[] = []

beforeAll(async () => {
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  dir = await mkdtemp(join(tmpdir(), 'dropdeck-nettest-'))
  ca = await createTestCa('Corp Network Test CA')
  front = await startTlsFront(FRONT_ADDRESS, await issueCertificate(ca, { altNames: [`IP:${FRONT_ADDRESS}`] }))
  ;[squid, ntlmSquid] = await Promise.all([startSquid({ address: SQUID_ADDRESS, users: { ops: 'corp-pass' } }), startSquid({ address: NTLM_ADDRESS, scheme: 'ntlm' })])
  fleet = await startDroplets({ count: 1, names: ['office'], dir: join(dir, 'fleet'), port: 'auto', baseAddress: SSHD_BASE })
}, 120_000)

afterAll(async () => {
  await Promise.all([squid?.stop(), ntlmSquid?.stop(), front?.close(), fleet?.stop(), ca?.cleanup()])
  await keyring?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.stop()))
})

/** What Chromium's resolveProxy answers on a machine whose system settings name `answer` for every host. */
const systemAnswering = (answer: string) => (credentials: ProxyCredentialStore): ProxyResolver => ({
  resolve: async () => ({ source: 'system', from: 'the system proxy settings', answer, hops: parseProxyAnswer(answer, 'the system proxy settings') }),
  credentialsFor: (hop) => credentials.get(hop),
  dispose() {}
})

async function world(env: Record<string, string>, proxyResolver?: ReturnType<typeof systemAnswering>): Promise<World> {
  const [office] = fleet.droplets
  const knownHosts = join(dir, 'known_hosts')
  const sshConfig = join(dir, 'ssh_config')
  await writeFile(knownHosts, `[${office.host}]:${office.port} ${office.hostPublicKey}\n`)
  await writeFile(sshConfig, hostBlock('office', office, [`IdentityFile ${fleet.privateKeyPath}`, 'IdentitiesOnly yes', `UserKnownHostsFile ${knownHosts}`]))
  const w = await startWorld({ env: { DROPDECK_DO_API: front.url, DROPDECK_SSH_CONFIG: sshConfig, ...env }, ...(proxyResolver ? { proxyResolver } : {}) })
  worlds.push(w)
  front.targetPort = w.dos.port
  return w
}

describe('network.test: each hop to a provider API', () => {
  it('through HTTPS_PROXY with Basic credentials: the route, the tunnel, TLS trusted by DROPDECK_CA_FILE, the API', async () => {
    const w = await world({ HTTPS_PROXY: squid.urlWith('ops', 'corp-pass'), DROPDECK_CA_FILE: ca.caCertFile })
    const result = await w.call('network.test', { target: 'digitalocean' })
    expect(result.ok).toBe(true)
    expect(result.hops.map((h) => `${h.kind} ${h.status}`)).toEqual(['route ok', 'proxy ok', 'tls ok', 'api ok'])
    expect(result.hops[0].summary).toBe(`PROXY ${SQUID_ADDRESS}:${squid.port}, from HTTPS_PROXY=http://ops:****@${SQUID_ADDRESS}:${squid.port}`)
    expect(result.hops[1].summary).toBe(`CONNECT ${FRONT_ADDRESS}:${front.port}: 200 (tunnel open)`)
    expect(result.hops[2].details).toContain('Issuer: CN=Corp Network Test CA')
    expect(result.hops[2].details).toContain('Trusted: yes, by the DROPDECK_CA_FILE store.')
    expect(result.hops[2].details.some((d) => d.startsWith('Valid until: '))).toBe(true)
    expect(result.hops[3].summary).toBe('GET /v2/account: 401 Unauthorized (as expected: the test sends no token; the API is reachable)')
    expect(result.text).toContain(`Dropdeck connection test: DigitalOcean API at ${front.url} (reachable)`)
    expect(result.text).not.toContain('corp-pass')
  })

  it('a wrong proxy password and an untrusted certificate each stop at their hop, saying what to do', async () => {
    const wrong = await world({ HTTPS_PROXY: squid.urlWith('ops', 'nope'), DROPDECK_CA_FILE: ca.caCertFile })
    const refused = await wrong.call('network.test', { target: 'digitalocean' })
    expect(refused.ok).toBe(false)
    expect(refused.hops.map((h) => `${h.kind} ${h.status}`)).toEqual(['route ok', 'proxy failed'])
    expect(refused.hops[1].summary).toBe(`CONNECT ${FRONT_ADDRESS}:${front.port}: 407 Proxy Authentication Required`)
    expect(refused.hops[1].details).toEqual([`Proxy: ${SQUID_ADDRESS}:${squid.port}`, 'It offers: Basic.', 'The credentials were refused: check HTTPS_PROXY.'])
    await wrong.stop()
    worlds.splice(worlds.indexOf(wrong), 1)

    const untrusted = await world({ HTTPS_PROXY: squid.urlWith('ops', 'corp-pass'), DROPDECK_SYSTEM_CA: '0' })
    const result = await untrusted.call('network.test', { target: 'digitalocean' })
    expect(result.hops.map((h) => `${h.kind} ${h.status}`)).toEqual(['route ok', 'proxy ok', 'tls failed'])
    expect(result.hops[2].summary).toMatch(/certificate not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)$/)
    expect(result.hops[2].details).toContain('Issuer: CN=Corp Network Test CA')
    expect(result.hops[2].details).toContain('Trusted: no (UNABLE_TO_VERIFY_LEAF_SIGNATURE). Stores consulted: Node.')
  })
})

describe('SSH through the system proxy (the answer Chromium gives)', () => {
  it('connects through the proxy with Basic credentials from the keychain, and the test shows the SSH greeting', async () => {
    const [office] = fleet.droplets
    const w = await world({}, systemAnswering(`PROXY ${SQUID_ADDRESS}:${squid.port};DIRECT`))
    const first = await w.fail('hosts.connect', { hostId: 'office' })
    expect(first.message).toBe(`The HTTP proxy ${SQUID_ADDRESS}:${squid.port} asks for credentials (407): set the credentials for proxy ${SQUID_ADDRESS}:${squid.port} under Settings, Network. Route from the system proxy settings.`)

    await w.call('network.proxyCredentials.set', { proxy: `${SQUID_ADDRESS}:${squid.port}`, username: 'ops', password: 'corp-pass' })
    expect(await w.call('hosts.connect', { hostId: 'office' })).toMatchObject({ state: 'connected' })
    const result = await w.call('network.test', { target: { hostId: 'office' } })
    expect(result.hops.map((h) => `${h.kind} ${h.status}`)).toEqual(['route ok', 'proxy ok', 'ssh ok'])
    expect(result.hops[0]).toMatchObject({ summary: `PROXY ${SQUID_ADDRESS}:${squid.port}, from the system proxy settings ("PROXY ${SQUID_ADDRESS}:${squid.port};DIRECT")`, details: ['Credentials: Basic, from the keychain (Settings, Network, proxy credentials)'] })
    expect(result.hops[2].summary).toMatch(/^The server answered SSH-2\.0-OpenSSH_/)
    expect(result.target).toBe(`SSH host office at ${office.host}:${office.port}`)
    expect(JSON.stringify(result)).not.toContain('corp-pass')
  })

  it('a proxy that offers only NTLM: named, with what to do, in the error and the test', async () => {
    const w = await world({}, systemAnswering(`PROXY ${NTLM_ADDRESS}:${ntlmSquid.port}`))
    const err = await w.fail('hosts.connect', { hostId: 'office' })
    expect(err.code).toBe('AUTH_FAILED')
    expect(err.message).toBe(`The HTTP proxy ${NTLM_ADDRESS}:${ntlmSquid.port} asks for NTLM sign-in (407), which Dropdeck cannot do itself: run a local proxy that signs in for you (such as cntlm or px) and point Dropdeck at it, or ask your network team to allow Basic authentication for this proxy. Route from the system proxy settings.`)
    const result = await w.call('network.test', { target: { hostId: 'office' } })
    expect(result.hops[1].details).toEqual([
      `Proxy: ${NTLM_ADDRESS}:${ntlmSquid.port}`,
      'It offers: NTLM.',
      'Dropdeck answers Basic only: run a local proxy that signs in for you (such as cntlm or px), or ask for Basic authentication.'
    ])
  })
})
