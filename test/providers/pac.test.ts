/**
 * Proxy auto-config in the headless host, through the real services: one PAC file (DROPDECK_PAC_URL as a path,
 * or the setting as a URL) sends DigitalOcean's API and one SSH host through Debian's squid, and Cloudflare's
 * API and another SSH host direct. squid's access log shows which went through it; the APIs sit behind TLS
 * from a test CA, the SSH hosts are real sshd.
 */
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer as createNetServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startWorld, type World } from './harness'
import { createTestCa, type TestCa } from '../support/test-ca'
import { issueCertificate } from '../proxy/certificates'
import { startSquid, type Squid } from '../proxy/squid'
import { startTlsFront, type TlsFront } from '../proxy/tls-front'
import { waitFor } from '../fleet/proc'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { startDroplets, type Droplets } from '../fleet/sshd'
import { hostBlock } from '../ssh/support/ssh-env'
import { startSocks5Server } from '../ssh/support/servers'

// This file's own addresses: squid .1, the API fronts .2 and .3, the PAC server .4, sshd from .10.
const SQUID_ADDRESS = '127.0.151.1'
const DO_FRONT = '127.0.151.2'
const CF_FRONT = '127.0.151.3'
const PAC_SERVER = '127.0.151.4'
const SSHD_BASE = '127.0.151.10'

let keyring: SecretService
let ca: TestCa
let squid: Squid
let doFront: TlsFront
let cfFront: TlsFront
let fleet: Droplets
let dir: string
let pacServer: Server
let pacPort: number
let pacHttpsServer: Server
let pacHttpsPort: number
let pacText = ''
const worlds: World[] = []

beforeAll(async () => {
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  dir = await mkdtemp(join(tmpdir(), 'dropdeck-pac-'))
  ca = await createTestCa('Corp PAC Test CA')
  doFront = await startTlsFront(DO_FRONT, await issueCertificate(ca, { altNames: [`IP:${DO_FRONT}`] }))
  cfFront = await startTlsFront(CF_FRONT, await issueCertificate(ca, { altNames: [`IP:${CF_FRONT}`] }))
  squid = await startSquid({ address: SQUID_ADDRESS })
  fleet = await startDroplets({ count: 2, names: ['via-proxy', 'direct'], dir: join(dir, 'fleet'), port: 'auto', baseAddress: SSHD_BASE })
  pacServer = createHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/x-ns-proxy-autoconfig' }).end(pacText))
  await new Promise<void>((resolve) => pacServer.listen(0, PAC_SERVER, resolve))
  pacPort = (pacServer.address() as AddressInfo).port
  // The same PAC file over https, with a certificate from the corporate CA (trusted through DROPDECK_CA_FILE).
  const pacCert = await issueCertificate(ca, { altNames: [`IP:${PAC_SERVER}`] })
  pacHttpsServer = createHttpsServer(pacCert, (_req, res) => res.writeHead(200, { 'content-type': 'application/x-ns-proxy-autoconfig' }).end(pacText))
  await new Promise<void>((resolve) => pacHttpsServer.listen(0, PAC_SERVER, resolve))
  pacHttpsPort = (pacHttpsServer.address() as AddressInfo).port
}, 120_000)

afterAll(async () => {
  await Promise.all([squid?.stop(), doFront?.close(), cfFront?.close(), fleet?.stop(), ca?.cleanup(), new Promise((r) => pacServer?.close(r)), new Promise((r) => pacHttpsServer?.close(r))])
  await keyring?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.stop()))
})

async function closedPort(): Promise<number> {
  const server = createNetServer()
  await new Promise<void>((resolve) => server.listen(0, SQUID_ADDRESS, resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** DigitalOcean and the first SSH host through squid (after a proxy that is down), the rest direct. */
async function pacFile(): Promise<string> {
  const [viaProxy] = fleet.droplets
  const down = await closedPort()
  return `function FindProxyForURL(url, host) {
  if (host == "${DO_FRONT}" || (host == "${viaProxy.host}" && url.indexOf(":${viaProxy.port}/") > 0))
    return "PROXY ${SQUID_ADDRESS}:${down}; PROXY ${SQUID_ADDRESS}:${squid.port}; DIRECT";
  if (isInNet(host, "127.0.151.0", "255.255.255.0")) return "DIRECT";
  return "PROXY ${SQUID_ADDRESS}:${down}";
}
`
}

async function worldWith(env: Record<string, string>): Promise<World> {
  const [viaProxy, direct] = fleet.droplets
  const sshConfig = join(dir, `ssh_config_${worlds.length}`)
  const knownHosts = join(dir, 'known_hosts')
  await writeFile(knownHosts, fleet.droplets.map((d) => `[${d.host}]:${d.port} ${d.hostPublicKey}\n`).join(''))
  const opts = [`IdentityFile ${fleet.privateKeyPath}`, 'IdentitiesOnly yes', `UserKnownHostsFile ${knownHosts}`]
  await writeFile(sshConfig, [hostBlock('via-proxy', viaProxy, opts), hostBlock('direct', direct, opts)].join('\n'))
  const w = await startWorld({
    env: { DROPDECK_DO_API: doFront.url, DROPDECK_CF_API: `${cfFront.url}/client/v4`, DROPDECK_CA_FILE: ca.caCertFile, DROPDECK_SSH_CONFIG: sshConfig, ...env }
  })
  worlds.push(w)
  doFront.targetPort = w.dos.port
  cfFront.targetPort = w.cf.port
  return w
}

/** squid logs a tunnel when it closes: stopping the world closes them all. */
async function stopAndReadConnects(w: World): Promise<string[]> {
  worlds.splice(worlds.indexOf(w), 1)
  await w.stop()
  const [viaProxy] = fleet.droplets
  const expected = [`${DO_FRONT}:${doFront.port}`, `${viaProxy.host}:${viaProxy.port}`]
  return waitFor(async () => {
    const targets = (await squid.accessLog()).filter((e) => e.method === 'CONNECT' && e.result === 'TCP_TUNNEL/200').map((e) => e.target)
    return expected.every((t) => targets.includes(t)) && targets
  }, { timeoutMs: 10_000, what: 'squid to log both tunnels' })
}

describe('a PAC file routes provider APIs and SSH alike', () => {
  it('DROPDECK_PAC_URL as a path: DigitalOcean and one SSH host through squid (after a proxy that is down), Cloudflare and the other direct', async () => {
    const [viaProxy, direct] = fleet.droplets
    const pacPath = join(dir, 'proxy.pac')
    await writeFile(pacPath, await pacFile())
    const logStart = (await squid.accessLog()).length
    const w = await worldWith({ DROPDECK_PAC_URL: pacPath })

    expect(await w.call('firewalls.list')).toEqual([])
    const cf = await w.call('accounts.verify', { provider: 'cloudflare' })
    expect(cf.state).toBe('valid')
    expect(await w.call('hosts.connect', { hostId: 'via-proxy' })).toMatchObject({ state: 'connected' })
    expect(await w.call('hosts.connect', { hostId: 'direct' })).toMatchObject({ state: 'connected' })
    expect(w.log.some((l) => l.includes(`via PROXY ${SQUID_ADDRESS}:${squid.port} (the PAC file ${pacPath})`))).toBe(true)

    const targets = (await stopAndReadConnects(w)).slice(0)
    const fromThisTest = (await squid.accessLog()).slice(logStart).map((e) => e.target)
    expect(targets).toContain(`${DO_FRONT}:${doFront.port}`)
    expect(targets).toContain(`${viaProxy.host}:${viaProxy.port}`)
    expect(fromThisTest).not.toContain(`${CF_FRONT}:${cfFront.port}`)
    expect(fromThisTest).not.toContain(`${direct.host}:${direct.port}`)
  })

  it('the setting (a URL, http or https from the corporate CA) wins over DROPDECK_PAC_URL, and a PAC file that cannot be read says so', async () => {
    pacText = await pacFile()
    const w = await worldWith({ DROPDECK_PAC_URL: join(dir, 'missing.pac') })
    const missing = await w.fail('firewalls.list')
    expect(missing.message).toContain(`The PAC file at ${join(dir, 'missing.pac')} cannot be read (ENOENT): check the proxy auto-config address in Settings (or DROPDECK_PAC_URL).`)

    await w.call('settings.update', { proxyAutoConfigUrl: `http://${PAC_SERVER}:${pacPort}/proxy.pac` })
    expect(await w.call('firewalls.list')).toEqual([])
    expect(await w.call('hosts.connect', { hostId: 'via-proxy' })).toMatchObject({ state: 'connected' })
    expect(w.log.some((l) => l.includes(`(the PAC file http://${PAC_SERVER}:${pacPort}/proxy.pac)`))).toBe(true)

    // Over https, signed by the corporate CA: trusted as provider calls are.
    await w.call('settings.update', { proxyAutoConfigUrl: `https://${PAC_SERVER}:${pacHttpsPort}/proxy.pac` })
    expect(await w.call('firewalls.list')).toEqual([])
    await w.call('hosts.disconnect', { hostId: 'via-proxy' })
    expect(await w.call('hosts.connect', { hostId: 'via-proxy' })).toMatchObject({ state: 'connected' })
    expect(w.log.some((l) => l.includes(`(the PAC file https://${PAC_SERVER}:${pacHttpsPort}/proxy.pac)`))).toBe(true)
  })

  it('SOCKS5 entries carry provider calls and SSH too', async () => {
    const socks = await startSocks5Server()
    try {
      const [, direct] = fleet.droplets
      const pacPath = join(dir, 'socks.pac')
      await writeFile(pacPath, `function FindProxyForURL(url, host) {
  if (host == "${CF_FRONT}" || host == "${direct.host}") return "SOCKS5 127.0.0.1:${socks.port}";
  return "DIRECT";
}
`)
      const w = await worldWith({ DROPDECK_PAC_URL: pacPath })
      expect((await w.call('accounts.verify', { provider: 'cloudflare' })).state).toBe('valid')
      expect(await w.call('hosts.connect', { hostId: 'direct' })).toMatchObject({ state: 'connected' })
      expect(socks.targets).toEqual(expect.arrayContaining([`${CF_FRONT}:${cfFront.port}`, `${direct.host}:${direct.port}`]))
    } finally {
      await socks.close()
    }
  })

  it('a PAC answer that is not a proxy list names the file and the answer', async () => {
    const pacPath = join(dir, 'broken.pac')
    await writeFile(pacPath, 'function FindProxyForURL(url, host) { return "PROXY"; }\n')
    const w = await worldWith({ DROPDECK_PAC_URL: pacPath })
    const state = await w.call('accounts.verify', { provider: 'cloudflare' })
    expect(state.message).toContain(`the PAC file ${pacPath} answered "PROXY", which is not a proxy list`)
  })
})
