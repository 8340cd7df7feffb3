/// <reference lib="dom" />
/**
 * A remote shell in the app, in Chromium against the headless host and a real sshd from the bench:
 * open a terminal on a host, type a command, read its output from xterm.js.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSshApp, type SshApp } from '../support/ssh-app'

let app: SshApp

beforeAll(async () => {
  app = await startSshApp('127.0.4.2')
})

afterAll(async () => {
  await app?.stop()
})

describe('terminals in the app', () => {
  it('opens a shell on a host and shows what a command prints', async () => {
    const { view, droplets } = app
    const { page } = view
    await page.keyboard.press('Alt+6')
    const host = page.getByLabel('Host', { exact: true })
    await expect.poll(() => host.locator('option').count(), { timeout: 15_000 }).toBeGreaterThan(0)
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
