/// <reference lib="dom" />
/**
 * A remote shell in the app, in Chromium against the headless host and a real sshd from the bench:
 * open a terminal on a host, type a command, read its output from xterm.js.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { startDroplets, type Droplets } from '../fleet/sshd'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { launchChromium, openPage, type WatchedPage } from '../support/browser'
import { runHost, type RunningHost } from '../support/host-harness'

let dir: string
let keyring: SecretService
let droplets: Droplets
let running: RunningHost
let browser: Browser
let view: WatchedPage

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropdeck-e2e-term-'))
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  droplets = await startDroplets({ count: 1, dir: join(dir, 'ssh'), baseAddress: '127.0.4.2', port: 'auto' })
  process.env.DROPDECK_SSH_CONFIG = writeSshClientFiles(dir, droplets.droplets).sshConfigPath
  running = await runHost()
  browser = await launchChromium()
  view = await openPage(browser, running.host.url)
})

afterAll(async () => {
  await browser?.close()
  await running?.stop()
  await droplets?.stop()
  await keyring?.stop()
  delete process.env.DROPDECK_SSH_CONFIG
  await rm(dir, { recursive: true, force: true })
})

describe('terminals in the app', () => {
  it('opens a shell on a host and shows what a command prints', async () => {
    const { page } = view
    await page.keyboard.press('Alt+6')
    const host = page.getByLabel('Host', { exact: true })
    await expect.poll(() => host.locator('option').count()).toBeGreaterThan(0)
    await host.selectOption({ label: await host.locator('option', { hasText: droplets.droplets[0].name }).first().innerText() })
    await page.getByRole('button', { name: 'New terminal' }).click()
    const screen = page.locator('.xterm-rows')
    await screen.waitFor()
    await page.locator('.xterm-helper-textarea').focus()
    await page.keyboard.type('echo dropdeck-$((6*7))\n')
    await expect.poll(() => screen.innerText(), { timeout: 15_000 }).toContain('dropdeck-42')
    await view.screenshot('terminal')
    expect(view.problems).toEqual([])
  })
})
