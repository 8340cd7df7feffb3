/// <reference lib="dom" />
/**
 * Issue 3 as a new user tries it, in Chromium against the headless host and the bench's provider
 * stubs: enter both tokens, see the fleet, snapshot a droplet and watch it complete, fix a
 * dangling DNS record. Screenshots land in test-results/screenshots/.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fleetDroplets } from '../fleet/fleet-model'
import { startCloudflareStub, startDigitalOceanStub, type CloudflareStub, type DigitalOceanStub } from '../fleet/provider-stubs'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { launchChromium, openPage, type WatchedPage } from '../support/browser'
import { runHost, type RunningHost } from '../support/host-harness'
import { createCallContext } from '../../src/main/rpc/context'

let keyring: SecretService
let digitalocean: DigitalOceanStub
let cloudflare: CloudflareStub
let running: RunningHost
let browser: Browser
let view: WatchedPage

beforeAll(async () => {
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  const model = fleetDroplets(60)
  digitalocean = await startDigitalOceanStub({ droplets: model })
  cloudflare = await startCloudflareStub({ droplets: model })
  process.env.DROPDECK_DO_API = digitalocean.url
  process.env.DROPDECK_CF_API = cloudflare.url
  running = await runHost()
  browser = await launchChromium()
  view = await openPage(browser, running.host.url)
  // Keys pressed before the app is up would go nowhere.
  await view.page.getByText('Connected', { exact: true }).waitFor()
})

afterAll(async () => {
  await browser?.close()
  await running?.stop()
  await Promise.all([digitalocean?.stop(), cloudflare?.stop()])
  await keyring?.stop()
  delete process.env.DROPDECK_DO_API
  delete process.env.DROPDECK_CF_API
})

async function saveToken(name: 'DigitalOcean' | 'Cloudflare', value: string) {
  const form = view.page.getByRole('form', { name: `${name} token` })
  await view.page.getByLabel(name, { exact: true }).fill(value)
  await form.getByRole('button', { name: 'Save' }).click()
  await form.getByText('Stored in Secret Service (Linux)').waitFor()
}

describe('a new operator on the bench fleet', () => {
  it('enters both tokens and sees them verified by the providers', async () => {
    const { page } = view
    await page.keyboard.press('Control+Comma')
    await saveToken('DigitalOcean', digitalocean.token)
    await saveToken('Cloudflare', cloudflare.token)
    await expect.poll(() => digitalocean.requests.filter((r) => r.path === '/v2/account').length).toBeGreaterThan(0)
    await expect.poll(() => cloudflare.requests.filter((r) => r.path.endsWith('/user/tokens/verify')).length).toBeGreaterThan(0)
    await page.getByText(/valid/i).first().waitFor()
    // The default team now shows that it has a token.
    await expect.poll(() => page.getByRole('combobox').first().evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? '')).not.toContain('no token')
    await view.screenshot('fleet-settings-verified')
    expect(view.problems).toEqual([])
  })

  it('sees the fleet and snapshots a droplet, watching the action complete', async () => {
    const { page } = view
    await page.keyboard.press('Alt+1')
    const table = page.getByRole('table', { name: 'Droplets' })
    await table.getByText('e2i-analytics-prod', { exact: true }).waitFor()
    await page.getByText(/60 droplets/).waitFor()
    await view.screenshot('fleet-droplets')
    await table.getByText('e2i-analytics-prod', { exact: true }).click()
    await page.getByRole('button', { name: 'Snapshot…' }).click()
    const name = page.getByLabel('Snapshot name')
    expect(await name.inputValue()).toMatch(/^e2i-analytics-prod-\d{8}-\d{4}$/)
    await page.getByRole('button', { name: 'Take snapshot' }).click()
    await page.locator('.progress-item.progress-completed').first().waitFor({ timeout: 30_000 })
    const posted = digitalocean.requests.filter((r) => r.method === 'POST' && /\/v2\/droplets\/\d+\/actions$/.test(r.path))
    expect(posted).toHaveLength(1)
    await view.screenshot('fleet-snapshot-completed')
    const audit = (await running.services.router.call('audit.list', {}, createCallContext('test', running.services.bus))) as { ok: true; result: Array<{ action: string; result: string }> }
    expect(audit.result.some((e) => e.action.includes('snapshot') && e.result === 'ok')).toBe(true)
    expect(view.problems).toEqual([])
  })

  it('finds the dangling record in DNS and deletes it after typing its name', async () => {
    const { page } = view
    await page.keyboard.press('Alt+2')
    await page.getByRole('link', { name: /insightpulseai\.net/ }).or(page.getByRole('button', { name: /insightpulseai\.net/ })).first().click()
    const dangling = page.getByText('dangling', { exact: true })
    await dangling.first().waitFor()
    const before = await dangling.count()
    expect(before).toBeGreaterThan(0)
    await view.screenshot('fleet-dns-dangling')
    const row = page.locator('tr', { has: page.getByText('dangling', { exact: true }) }).first()
    const deleteButton = row.getByRole('button', { name: /^Delete / })
    const recordName = (await deleteButton.getAttribute('aria-label'))!.replace(/^Delete \S+ /, '')
    await deleteButton.click()
    const confirm = page.getByRole('button', { name: 'Delete record' })
    expect(await confirm.isDisabled()).toBe(true)
    await page.getByLabel(/to confirm/).fill(recordName)
    await confirm.click()
    await expect.poll(() => cloudflare.requests.filter((r) => r.method === 'DELETE').length).toBe(1)
    await expect.poll(() => dangling.count()).toBe(before - 1)
    await view.screenshot('fleet-dns-fixed')
    expect(view.problems).toEqual([])
  })
})
