/**
 * Droplet tags in the table, in Chromium at 1440x900 against the headless host and the spec-validated
 * DigitalOcean stub: a droplet with more tags than its column holds shows each chip whole or ellipsized,
 * never cut at the cell's edge, and the cell's title lists them all. Screenshot: test-results/screenshots/droplet-tags.png.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCallContext } from '../../src/main/rpc/context'
import { fleetDroplets } from '../fleet/fleet-model'
import { startDigitalOceanStub, type DigitalOceanStub } from '../fleet/provider-stubs'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { launchChromium, openPage, type WatchedPage } from '../support/browser'
import { runHost, type RunningHost } from '../support/host-harness'

let keyring: SecretService
let digitalocean: DigitalOceanStub
let running: RunningHost
let browser: Browser
let view: WatchedPage

beforeAll(async () => {
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  digitalocean = await startDigitalOceanStub({ droplets: fleetDroplets(8) })
  process.env.DROPDECK_DO_API = digitalocean.url
  running = await runHost()
  const ctx = createCallContext('test:droplet-tags', () => running.services.bus)
  const stored = await running.services.router.call('secrets.set', { key: 'digitalocean', value: digitalocean.token }, ctx)
  if (!stored.ok) throw new Error(stored.error.message)
  browser = await launchChromium()
  view = await openPage(browser, running.host.url)
  await view.page.setViewportSize({ width: 1440, height: 900 })
  await view.page.getByText('Connected', { exact: true }).waitFor()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await running?.stop()
  await digitalocean?.stop()
  await keyring?.stop()
  delete process.env.DROPDECK_DO_API
})

describe('droplet tags', () => {
  it('are never cut mid-chip: each chip fits its cell, ellipsized if need be, with every tag in the title', async () => {
    const { page } = view
    await page.evaluate(() => (window.location.hash = '#/droplets'))
    const row = page.locator('tr', { hasText: 'odoo-erp-prod' }).first()
    await row.waitFor({ timeout: 20_000 })
    const cell = row.locator('.chips').first()
    expect(await cell.getAttribute('title')).toBe('odoo, production, deployed-via-api')
    const overflow = await cell.evaluate((chips) => {
      const td = chips.closest('td')!.getBoundingClientRect()
      return Array.from(chips.children).map((chip) => Math.round(chip.getBoundingClientRect().right - td.right))
    })
    expect(overflow).toHaveLength(3)
    for (const past of overflow) expect(past).toBeLessThanOrEqual(0)
    await view.screenshot('droplet-tags')
    expect(view.problems.filter((p) => !p.includes('GL Driver Message'))).toEqual([])
  })
})
