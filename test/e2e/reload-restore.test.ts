/**
 * A page reload keeps the operator's place, in Chromium against the headless host and a real sshd:
 * the terminal tabs come back with new shells in them, and the followed logs are followed again.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSshApp, type SshApp } from '../support/ssh-app'

let app: SshApp
let page: Page
const screen = () => page.locator('.term-pane:not([hidden]) .xterm-rows')
const problems = () => app.view.problems.filter((p) => !['GL Driver Message', 'task queue exceeded allotted deadline'].some((note) => p.includes(note)))

beforeAll(async () => {
  app = await startSshApp('127.0.72.2')
  page = app.view.page
}, 120_000)

afterAll(async () => {
  await app?.stop()
})

describe('page reload', () => {
  it('reopens the terminal tabs and follows the same logs again', async () => {
    const hostId = app.droplets.droplets[0].name
    await page.evaluate(() => (window.location.hash = '#/terminals'))
    // Pick the host: a click before the host list has loaded would open a local shell instead.
    await expect.poll(() => page.getByLabel('Host', { exact: true }).locator('option').allTextContents(), { timeout: 30_000 }).toContain(hostId)
    await page.getByLabel('Host', { exact: true }).selectOption(hostId)
    await page.getByRole('button', { name: 'New terminal' }).click()
    const trust = page.getByRole('dialog', { name: new RegExp(`Trust the host key of ${hostId}`) })
    if (await trust.waitFor({ timeout: 5000 }).then(() => true, () => false)) await trust.getByRole('button', { name: 'Trust and connect' }).click()
    await page.getByRole('tab', { name: hostId }).waitFor()
    await page.locator('.term-pane:not([hidden]) .xterm-helper-textarea').focus()
    await page.keyboard.type('echo before-$((40+2))\n')
    await expect.poll(() => screen().innerText(), { timeout: 15_000 }).toContain('before-42')
    // Follow a file's log too (what the Logs view's Add does).
    await page.evaluate(() => (window.location.hash = '#/logs'))
    await page.waitForFunction(() => (window as unknown as { __dropdeckLogs?: unknown }).__dropdeckLogs !== undefined)
    await page.evaluate((host) => (window as unknown as { __dropdeckLogs: { add(h: string, s: unknown): Promise<unknown> } }).__dropdeckLogs.add(host, { kind: 'file', path: '/etc/hostname' }), hostId)

    await expect.poll(() => page.evaluate(() => sessionStorage.getItem('dropdeck.logs.follows'))).toContain('/etc/hostname')
    await page.evaluate(() => (window.location.hash = '#/terminals'))
    await page.getByRole('tab', { name: hostId }).waitFor()
    // Back in Terminals (kept while the app runs), the tab is there; now the reload.
    await page.reload()
    await page.getByText('Connected', { exact: true }).waitFor()
    await page.getByRole('tab', { name: hostId }).waitFor({ timeout: 15_000 })
    await page.locator('.term-pane:not([hidden]) .xterm-helper-textarea').focus()
    await page.keyboard.type('echo after-$((40+3))\n')
    await expect.poll(() => screen().innerText(), { timeout: 15_000 }).toContain('after-43')
    await app.view.screenshot('reload-terminals')
    await page.evaluate(() => (window.location.hash = '#/logs'))
    await expect.poll(() => page.evaluate(() => (window as unknown as { __dropdeckLogs?: { sources: Array<{ hostId: string; label: string }> } }).__dropdeckLogs?.sources.map((s) => s.label) ?? []), { timeout: 15_000 }).toEqual([`${hostId}/hostname`])
    await app.view.screenshot('reload-logs')
    expect(problems()).toEqual([])
  })
})
