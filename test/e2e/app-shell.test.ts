/// <reference lib="dom" />
/**
 * The headless host and the built renderer in real Chromium, with a real Secret Service: the app
 * frame draws with no console errors, a token goes into the keychain and never comes back, the
 * palette and themes work. Screenshots land in test-results/screenshots/.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DO_TEST_TOKEN, startDigitalOceanStub, type DigitalOceanStub } from '../fleet/provider-stubs'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { launchChromium, openPage, type WatchedPage } from '../support/browser'
import { runHost, type RunningHost } from '../support/host-harness'

let keyring: SecretService
let digitalocean: DigitalOceanStub
let running: RunningHost
let browser: Browser
let view: WatchedPage

const areas = ['Droplets', 'DNS', 'Hosts', 'Containers', 'Logs', 'Terminals', 'Tunnels', 'Health', 'Deploys']

beforeAll(async () => {
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  // A token is checked with the provider before it is stored: the spec-validated DigitalOcean stub answers.
  digitalocean = await startDigitalOceanStub({ droplets: 3, host: '127.0.163.1' })
  running = await runHost({ env: { ...process.env, DROPDECK_DO_API: digitalocean.url } })
  browser = await launchChromium()
  view = await openPage(browser, running.host.url)
})

afterAll(async () => {
  await browser?.close()
  await running?.stop()
  await digitalocean?.stop()
  await keyring?.stop()
})

describe('the app frame in Chromium', () => {
  it('draws the navigation for every area, connects, and logs nothing', async () => {
    const { page } = view
    const nav = page.getByRole('navigation', { name: 'Areas' })
    for (const area of areas) await expect(nav.getByRole('link', { name: new RegExp(`^${area}`) }).or(nav.getByRole('button', { name: new RegExp(`^${area}`) })).first().isVisible()).resolves.toBe(true)
    await page.getByText('Connected', { exact: true }).waitFor()
    await page.getByText('Dropdeck 0.0.0-test').waitFor()
    // The launch token is taken out of the address bar once read.
    expect(page.url()).not.toContain('token=')
    await view.screenshot('droplets-empty')
    expect(view.problems).toEqual([])
  })

  it('stores a token in the keychain from Settings and never shows it back', async () => {
    const { page } = view
    await page.keyboard.press('Control+Comma')
    await page.getByRole('heading', { name: 'Provider tokens' }).waitFor()
    await page.getByText('Stored in', { exact: false }).or(page.getByText('Not set')).first().waitFor()
    const token = DO_TEST_TOKEN
    const form = page.getByRole('form', { name: 'DigitalOcean token' })
    const field = page.getByLabel('DigitalOcean', { exact: true })
    await field.fill('has a space')
    await form.getByRole('button', { name: 'Save' }).click()
    await page.getByText('a token has no spaces', { exact: false }).waitFor()
    await field.fill(token)
    await form.getByRole('button', { name: 'Save' }).click()
    await form.getByText('Stored in Secret Service (Linux)').waitFor()
    expect(await field.inputValue()).toBe('')
    expect(await running.services.secrets.token('digitalocean')).toBe(token)
    expect(await page.content()).not.toContain(token)
    await view.screenshot('settings-token-stored')
    // A token the provider refuses never replaces the one that works.
    const refused = 'dop_v1_' + 'bad0'.repeat(16)
    await field.fill(refused)
    await form.getByRole('button', { name: 'Replace' }).click()
    await expect.poll(async () => (await page.locator('#token-input-digitalocean-error').textContent()) ?? '').toMatch(/refused/i)
    await form.getByRole('button', { name: 'Store without checking' }).waitFor()
    expect(await running.services.secrets.token('digitalocean')).toBe(token)
    // The field keeps what the operator typed (to store it anyway); no message repeats it.
    expect(await page.locator('#token-input-digitalocean-error').textContent()).not.toContain(refused)
    expect(view.problems).toEqual([])
  })

  it('opens the command palette on Ctrl+K and switches to the dark theme from it', async () => {
    const { page } = view
    await page.keyboard.press('Control+k')
    const input = page.getByPlaceholder(/^Type a command/)
    await input.waitFor()
    await input.fill('dark')
    await view.screenshot('palette')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await running.services.settings.get()).theme).toBe('dark')
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgb(255, 255, 255)')
    await view.screenshot('settings-dark')
    await page.keyboard.press('Alt+1')
    await page.getByRole('heading', { name: 'Droplets' }).first().waitFor()
    await view.screenshot('droplets-dark')
    expect(view.problems).toEqual([])
  })

  it('says the token is wrong when the page was opened with a stale one', async () => {
    const stale = await openPage(browser, `http://127.0.0.1:${running.host.port}/?token=stale-token-from-yesterday`)
    await stale.page.getByText('The host token is wrong', { exact: false }).waitFor()
    await stale.page.getByText('Refused', { exact: true }).waitFor()
    await stale.screenshot('refused')
    // Chromium itself logs the refused WebSocket handshakes; nothing else may appear.
    expect(stale.problems.filter((p) => !p.includes('WebSocket connection to') && !p.includes('401 (Unauthorized)'))).toEqual([])
    await stale.page.context().close()
  })
})
