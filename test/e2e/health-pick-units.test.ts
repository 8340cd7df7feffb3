/**
 * The Health card's unit pick form in Chromium against the headless host: a bench droplet (real
 * sshd) whose PATH holds the stand-in systemctl (test/systemd/fake-systemctl.ts), which lists its
 * units. The form offers them, failed first, with their state, and typing filters them. Screenshots:
 * test-results/screenshots/health-pick-units-*.png, both themes.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { startDroplets, SSHD_PATH, type Droplets } from '../fleet/sshd'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { launchChromium, openPage } from '../support/browser'
import { runHost, type RunningHost } from '../support/host-harness'
import { writeFakeSystemctl } from '../systemd/fake-systemctl'
import { createCallContext } from '../../src/main/rpc/context'
import { existsSync } from 'node:fs'

let dir: string
let keyring: SecretService | undefined
let droplets: Droplets | undefined
let running: RunningHost | undefined
let browser: Browser | undefined

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dd-e2e-pick-'))
  const fake = writeFakeSystemctl(dir)
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  droplets = await startDroplets({ count: 1, dir: join(dir, 'ssh'), names: ['pick-droplet'], baseAddress: '127.0.50.12', port: 'auto', env: { PATH: fake.path } })
  process.env.DROPDECK_SSH_CONFIG = writeSshClientFiles(dir, droplets.droplets).sshConfigPath
  running = await runHost()
  const connected = await running.services.router.call('hosts.connect', { hostId: 'pick-droplet' }, createCallContext('test', running.services.bus))
  expect(connected.ok).toBe(true)
  browser = await launchChromium()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await running?.stop()
  await droplets?.stop()
  await keyring?.stop()
  delete process.env.DROPDECK_SSH_CONFIG
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe.skipIf(!existsSync(SSHD_PATH))('picking units in the Health area', () => {
  it.each(['light', 'dark'] as const)('offers the host units with their state and filters them by typing (%s)', async (colorScheme) => {
    const view = await openPage(browser!, running!.host.url, { colorScheme })
    const { page } = view
    await page.getByText('Connected', { exact: true }).waitFor()
    await page.keyboard.press('Alt+8')
    const card = page.getByRole('article', { name: 'Health of pick-droplet' })
    await card.getByText('No units picked for pick-droplet.', { exact: false }).waitFor({ timeout: 20_000 })
    await card.getByRole('button', { name: 'Edit units' }).click()
    const form = card.getByRole('form', { name: 'Pick units on pick-droplet' })
    const offers = form.getByRole('list', { name: 'Units on pick-droplet' })
    await offers.waitFor({ timeout: 20_000 })
    expect(await offers.getByRole('button').evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label')))).toEqual([
      'Pick e2i-worker (failed)',
      'Pick apache2 (running)',
      'Pick cron (running)',
      'Pick getty@tty1 (running)',
      'Pick tuned (running)',
      'Pick apache-htcacheclean (inactive)',
      'Pick backup-nightly (inactive, enabled)',
      'Pick systemd-tmpfiles-clean (inactive)'
    ])
    await offers.getByRole('button', { name: 'Pick e2i-worker (failed)' }).click()
    await form.getByRole('textbox').fill('nginx')
    await page.keyboard.press('Enter')
    await form.getByRole('textbox').fill('ap')
    await expect.poll(() => offers.getByRole('button').count()).toBe(2)
    await view.screenshot(`health-pick-units-${colorScheme}`)
    await form.getByRole('button', { name: 'Cancel' }).click()
    expect(view.problems).toEqual([])
    await page.context().close()
  })
})
