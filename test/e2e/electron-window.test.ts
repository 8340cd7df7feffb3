/// <reference lib="dom" />
/**
 * The Electron window without Electron (issue 12 §2): the BUILT renderer loaded the way Electron loads it
 * (the app:// handler's files and Electron CSP, connect-src 'none'), with the BUILT preload's bridge wired
 * to the real router and services (real Secret Service) through a test transport
 * (test/support/electron-window.ts). The same flows as the host's app-shell test: navigation,
 * Settings and the keychain, the command palette; plus events pushed from main, and the CSP holding.
 * Fails when the preload cannot load in a sandbox (e.g. it requires zod): the page then has no bridge.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../src/main/app/services'
import { DO_TEST_TOKEN, startDigitalOceanStub, type DigitalOceanStub } from '../fleet/provider-stubs'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { launchChromium, openPage, type WatchedPage } from '../support/browser'
import { builtPreload, type BuiltPreload } from '../support/built-preload'
import { wireElectronWindow, WINDOW_ORIGIN, WINDOW_URL, type ElectronWindowWiring } from '../support/electron-window'
import { repoRoot } from '../support/host-harness'

const rendererDir = join(repoRoot, 'out/renderer')
const areas = ['Droplets', 'DNS', 'Hosts', 'Containers', 'Logs', 'Terminals', 'Tunnels', 'Health', 'Deploys']

let keyring: SecretService
let digitalocean: DigitalOceanStub
let dataDir: string
let services: Services
let browser: Browser
let preload: BuiltPreload
let wiring: ElectronWindowWiring
let view: WatchedPage

beforeAll(async () => {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('out/renderer is missing: run npm run build first')
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  dataDir = await mkdtemp(join(tmpdir(), 'dropdeck-electron-window-'))
  // A token is checked with the provider before it is stored: the spec-validated DigitalOcean stub answers.
  digitalocean = await startDigitalOceanStub({ droplets: 3, host: '127.0.162.1' })
  services = createServices({ dataDir, version: '0.0.0-test', env: { ...process.env, DROPDECK_DO_API: digitalocean.url } })
  preload = await builtPreload()
  browser = await launchChromium()
  view = await openPage(browser, WINDOW_URL, {
    prepare: async (context) => {
      wiring = await wireElectronWindow(context, { services, rendererDir, preloadSource: preload.source })
    }
  })
})

afterAll(async () => {
  await browser?.close()
  await wiring?.dispose()
  await services?.dispose()
  await digitalocean?.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
  await keyring?.stop()
})

describe('the Electron window (built renderer and preload, Electron CSP, IPC to the real router)', () => {
  it('gets window.dropdeck from the preload, draws every area, and asks nothing of the network', async () => {
    const { page } = view
    expect(await page.evaluate(() => Object.keys(window.dropdeck ?? {}).sort())).toEqual(['invoke', 'on'])
    expect(await page.evaluate(() => Object.isFrozen(window.dropdeck))).toBe(true)
    const nav = page.getByRole('navigation', { name: 'Areas' })
    for (const area of areas) await expect(nav.getByRole('link', { name: new RegExp(`^${area}`) }).or(nav.getByRole('button', { name: new RegExp(`^${area}`) })).first().isVisible()).resolves.toBe(true)
    await page.getByText('Connected', { exact: true }).waitFor()
    // app.info answered by the router in the test process, through the preload's ipcRenderer.invoke.
    await page.getByText('Dropdeck 0.0.0-test').waitFor()
    expect(page.url()).toBe(WINDOW_URL)
    expect(wiring.requests.filter((url) => !url.startsWith(`${WINDOW_ORIGIN}/`) && !url.startsWith('data:'))).toEqual([])
    await view.screenshot('electron-window')
    expect(view.problems).toEqual([])
  })

  it('stores a token in the keychain from Settings and never shows it back', async () => {
    const { page } = view
    await page.keyboard.press('Control+Comma')
    await page.getByRole('heading', { name: 'Provider tokens' }).waitFor()
    await page.getByText('Stored in', { exact: false }).or(page.getByText('Not set')).first().waitFor()
    const token = DO_TEST_TOKEN
    const field = page.getByLabel('DigitalOcean', { exact: true })
    await field.fill('has a space')
    await page.getByRole('form', { name: 'DigitalOcean token' }).getByRole('button', { name: 'Save' }).click()
    // The contract's check, answered by the router through the bridge.
    await page.getByRole('form', { name: 'DigitalOcean token' }).getByText(/no spaces/).waitFor()
    await field.fill(token)
    await page.getByRole('form', { name: 'DigitalOcean token' }).getByRole('button', { name: 'Save' }).click()
    await page.getByRole('form', { name: 'DigitalOcean token' }).getByText('Stored in Secret Service (Linux)').waitFor()
    expect(await field.inputValue()).toBe('')
    expect(await services.secrets.token('digitalocean')).toBe(token)
    expect(await page.content()).not.toContain(token)
    await view.screenshot('electron-settings-token-stored')
    expect(view.problems).toEqual([])
  })

  it('shows what main pushes: a token stored outside the window appears through the secrets.changed event', async () => {
    const { page } = view
    const cloudflare = page.getByRole('form', { name: 'Cloudflare token' })
    await cloudflare.getByText('Not set').waitFor()
    const sentBefore = wiring.eventsSent.length
    await services.secrets.set('cloudflare', 'cf' + 'x'.repeat(38))
    await cloudflare.getByText('Stored in Secret Service (Linux)').waitFor()
    expect(wiring.eventsSent.slice(sentBefore)).toContain('event:secrets.changed')
    expect(view.problems).toEqual([])
  })

  it('opens the command palette on Ctrl+K and switches to the dark theme from it', async () => {
    const { page } = view
    await page.keyboard.press('Control+k')
    const input = page.getByPlaceholder(/^Type a command/)
    await input.waitFor()
    await input.fill('dark')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await services.settings.get()).theme).toBe('dark')
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgb(255, 255, 255)')
    await page.keyboard.press('Alt+1')
    await page.getByRole('heading', { name: 'Droplets' }).first().waitFor()
    await view.screenshot('electron-droplets-dark')
    expect(view.problems).toEqual([])
  })

  it("holds the Electron CSP: the page can open no connection, not even to its own origin", async () => {
    const { page } = view
    const blocked = await page.evaluate(async () => {
      const violations: string[] = []
      document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.effectiveDirective} ${e.blockedURI}`))
      await fetch('/index.html').catch(() => {})
      try {
        new WebSocket('ws://127.0.0.1:9/rpc')
      } catch {
        // Some Chromium versions throw instead of failing the socket; the violation is reported either way.
      }
      await new Promise((resolve) => setTimeout(resolve, 200))
      return violations
    })
    expect(blocked.sort()).toEqual([`connect-src ${WINDOW_URL}`, 'connect-src ws://127.0.0.1:9/rpc'])
    // The only console output: Chromium reporting those two refusals.
    expect(view.problems.filter((p) => !p.includes('Content Security Policy') && !p.includes('Failed to fetch'))).toEqual([])
  })
})
