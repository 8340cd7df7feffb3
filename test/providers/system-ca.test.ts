/**
 * The OS certificate store in the headless host: a TLS-inspecting proxy's CA that IT installed in the
 * operating system is trusted with no DROPDECK_CA_FILE. On Linux, Node reads the OS store through OpenSSL's
 * default locations, which SSL_CERT_FILE / SSL_CERT_DIR move: this file points them at a test CA before
 * anything in this process reads the store (Node reads it once). Through the router, squid and a TLS front.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startWorld, type World } from './harness'
import { createTestCa, type TestCa } from '../support/test-ca'
import { issueCertificate } from '../proxy/certificates'
import { startSquid, type Squid } from '../proxy/squid'
import { startTlsFront, type TlsFront } from '../proxy/tls-front'
import { startSecretService, type SecretService } from '../fleet/secret-service'

const SQUID_ADDRESS = '127.0.152.1'
const FRONT_ADDRESS = '127.0.152.2'

let keyring: SecretService
let ca: TestCa
let emptyDir: string
let squid: Squid
let front: TlsFront
const worlds: World[] = []

beforeAll(async () => {
  ca = await createTestCa('Corp Inspecting Proxy CA')
  emptyDir = await mkdtemp(join(tmpdir(), 'dropdeck-no-certs-'))
  // "The OS store" of this process: only the corporate CA.
  process.env.SSL_CERT_FILE = ca.caCertFile
  process.env.SSL_CERT_DIR = emptyDir
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  front = await startTlsFront(FRONT_ADDRESS, await issueCertificate(ca, { altNames: [`IP:${FRONT_ADDRESS}`] }))
  squid = await startSquid({ address: SQUID_ADDRESS, users: { ops: 'pw' } })
}, 60_000)

afterAll(async () => {
  await Promise.all([squid?.stop(), front?.close(), ca?.cleanup()])
  await keyring?.stop()
  if (emptyDir) await rm(emptyDir, { recursive: true, force: true })
})

afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.stop()))
})

async function world(env: Record<string, string> = {}): Promise<World> {
  const w = await startWorld({ env: { DROPDECK_DO_API: front.url, HTTPS_PROXY: squid.urlWith('ops', 'pw'), ...env } })
  worlds.push(w)
  front.targetPort = w.dos.port
  return w
}

describe('the OS certificate store', () => {
  it('trusts a CA that is only in the OS store, through the proxy, with no DROPDECK_CA_FILE', async () => {
    const w = await world()
    expect(await w.call('firewalls.list')).toEqual([])
    expect(w.dos.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toContain('GET /v2/firewalls 200')
  })

  it('DROPDECK_SYSTEM_CA=0 leaves the OS store out, and the refusal says where a CA can go', async () => {
    const w = await world({ DROPDECK_SYSTEM_CA: '0' })
    const err = await w.fail('firewalls.list')
    expect(err.message).toMatch(/^Could not reach 127\.0\.152\.2:\d+: its TLS certificate is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): if your network inspects TLS, install your organisation's CA certificate in this computer's certificate store, or set DROPDECK_CA_FILE to it \(a PEM file\)\.$/)
    expect(err).toMatchObject({ retryable: false, data: { reason: 'TLS_UNTRUSTED' } })
    expect(w.dos.requests).toHaveLength(0)
  })
})
