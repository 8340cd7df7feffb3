/// <reference lib="dom" />
/**
 * Settings, Network in real Chromium against the headless host: the connection test run from the UI shows
 * each hop (the route from HTTPS_PROXY, squid's answer, the certificate from the test CA and the store that
 * trusts it, the API's answer), and "Copy as text" puts the same report on the clipboard. A wrong proxy
 * password stops the report at the proxy with what to do. Screenshots land in test-results/screenshots/.
 * The renderer is the build in out/renderer (DROPDECK_TEST_RENDERER_DIR points elsewhere).
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../src/main/app/services'
import { startHost, type Host } from '../../src/main/host/server'
import { createKeychain } from '../../src/main/secrets/keychain'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { startDigitalOceanStub, type DigitalOceanStub } from '../fleet/provider-stubs'
import { issueCertificate } from '../proxy/certificates'
import { startSquid, type Squid } from '../proxy/squid'
import { startTlsFront, type TlsFront } from '../proxy/tls-front'
import { launchChromium, openPage, type WatchedPage } from '../support/browser'
import { repoRoot } from '../support/host-harness'
import { createTestCa, type TestCa } from '../support/test-ca'

const SQUID_ADDRESS = '127.0.154.1'
const FRONT_ADDRESS = '127.0.154.2'

let keyring: SecretService
let ca: TestCa
let squid: Squid
let front: TlsFront
let dos: DigitalOceanStub
let dataDir: string
let services: Services
let host: Host
let browser: Browser
let view: WatchedPage
let proxyUrl = ''

beforeAll(async () => {
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  ca = await createTestCa('Corp Proxy Test CA')
  front = await startTlsFront(FRONT_ADDRESS, await issueCertificate(ca, { altNames: [`IP:${FRONT_ADDRESS}`] }))
  dos = await startDigitalOceanStub()
  front.targetPort = dos.port
  squid = await startSquid({ address: SQUID_ADDRESS, users: { ops: 'corp-pass' } })
  proxyUrl = squid.urlWith('ops', 'corp-pass')
  dataDir = await mkdtemp(join(tmpdir(), 'dropdeck-e2e-network-'))
  // The environment is read per request: the test changes HTTPS_PROXY between runs.
  const env: NodeJS.ProcessEnv = { DROPDECK_DO_API: front.url, DROPDECK_CA_FILE: ca.caCertFile, get HTTPS_PROXY() {
    return proxyUrl
  } }
  services = createServices({ dataDir, version: '0.0.0-test', keychain: createKeychain(`dropdeck-test-${randomUUID()}`), env })
  host = await startHost({ services, rendererDir: process.env.DROPDECK_TEST_RENDERER_DIR ?? join(repoRoot, 'out/renderer') })
  browser = await launchChromium()
  view = await openPage(browser, host.url, { prepare: (context) => context.grantPermissions(['clipboard-read', 'clipboard-write']) })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await host?.close()
  await services?.dispose()
  await Promise.all([squid?.stop(), front?.close(), dos?.stop(), ca?.cleanup()])
  await keyring?.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('Settings, Network: the connection test', () => {
  it('shows each hop to the DigitalOcean API through squid, and copies the report as text', async () => {
    const { page } = view
    await page.keyboard.press('Control+Comma')
    const section = page.getByRole('region', { name: 'Network' })
    await section.getByRole('button', { name: 'Run test' }).scrollIntoViewIfNeeded()
    await section.getByLabel('Connection test').selectOption('digitalocean')
    await section.getByRole('button', { name: 'Run test' }).click()
    await section.getByText('Reachable', { exact: true }).waitFor()
    await section.getByText(`CONNECT ${FRONT_ADDRESS}:${front.port}: 200 (tunnel open)`).waitFor()
    await expect(section.getByText('Issuer: CN=Corp Proxy Test CA').isVisible()).resolves.toBe(true)
    await expect(section.getByText('Trusted: yes, by the DROPDECK_CA_FILE store.').isVisible()).resolves.toBe(true)
    await expect(section.getByText('GET /v2/account: 401 Unauthorized', { exact: false }).isVisible()).resolves.toBe(true)
    await section.getByText('GET /v2/account', { exact: false }).scrollIntoViewIfNeeded()
    await view.screenshot('settings-network-test')

    await section.getByRole('button', { name: 'Copy as text' }).click()
    await section.getByRole('button', { name: 'Copied' }).waitFor()
    const copied = await page.evaluate(() => navigator.clipboard.readText())
    expect(copied).toContain(`Dropdeck connection test: DigitalOcean API at ${front.url} (reachable)`)
    expect(copied).toContain(`[ok] route: PROXY ${SQUID_ADDRESS}:${squid.port}, from HTTPS_PROXY=http://ops:****@${SQUID_ADDRESS}:${squid.port}`)
    expect(copied).toContain('[ok] tls: TLS TLSv1.3: certificate trusted')
    expect(copied).not.toContain('corp-pass')
    expect(view.problems).toEqual([])
  })

  it('a wrong proxy password stops the report at the proxy, with what to do', async () => {
    const { page } = view
    proxyUrl = squid.urlWith('ops', 'wrong')
    const section = page.getByRole('region', { name: 'Network' })
    await section.getByRole('button', { name: 'Run test' }).click()
    await section.getByText('Not reachable', { exact: true }).waitFor()
    await section.getByText(`CONNECT ${FRONT_ADDRESS}:${front.port}: 407 Proxy Authentication Required`).waitFor()
    await expect(section.getByText('The credentials were refused: check HTTPS_PROXY.').isVisible()).resolves.toBe(true)
    await section.getByText('The credentials were refused', { exact: false }).scrollIntoViewIfNeeded()
    await view.screenshot('settings-network-test-407')
    expect(view.problems).toEqual([])
  })
})
