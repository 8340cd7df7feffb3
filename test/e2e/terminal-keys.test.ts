/// <reference lib="dom" />
/**
 * The app's shortcuts with a terminal focused, in Chromium against the headless host and a real sshd
 * from the bench: Ctrl+K opens the palette and Alt+1 goes to Droplets instead of reaching the shell
 * (which runs `cat -v`, so any key it gets shows on screen); with "Send the app's shortcuts to the
 * shell" on in Settings, the same keys reach the shell and the app stays where it is.
 * Screenshots go to test-results/screenshots/terminal-keys-*.png.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSshApp, type SshApp } from '../support/ssh-app'

let app: SshApp
let page: Page

const screen = () => page.locator('.term-pane:not([hidden]) .xterm-rows')
const focusTerminal = () => page.locator('.term-pane:not([hidden]) .xterm-helper-textarea').focus()
const shows = (text: string) => expect.poll(() => screen().innerText(), { timeout: 15_000 }).toContain(text)
const hash = () => page.evaluate(() => window.location.hash)

beforeAll(async () => {
  app = await startSshApp('127.0.58.2')
  page = app.view.page
  // The DOM renderer, so the screen's text can be read.
  await page.addInitScript(() => Reflect.deleteProperty(window, 'WebGL2RenderingContext'))
  await page.reload()
  await page.getByText('Connected', { exact: true }).waitFor()
  await page.keyboard.press('Alt+6')
  const host = page.getByLabel('Host', { exact: true })
  const name = app.droplets.droplets[0].name
  await host.locator('option', { hasText: name }).first().waitFor({ state: 'attached', timeout: 15_000 })
  await host.selectOption({ label: name })
  await page.getByRole('button', { name: 'New terminal' }).click()
  await page.locator('.term-pane:not([hidden])[data-terminal]:not([data-terminal=""])').waitFor({ timeout: 15_000 })
  await focusTerminal()
  // cat -v prints every key the shell receives, control characters as ^K, ^[ and so on.
  await page.keyboard.type('cat -v\n')
  await page.keyboard.type('ready\n')
  // cat's echo of the line, under the line typed
  await page.locator('.term-pane:not([hidden]) .xterm-rows > div', { hasText: /^ready\s*$/ }).nth(1).waitFor({ timeout: 15_000 })
})

afterAll(async () => {
  await app?.stop()
})

describe('app shortcuts in a focused terminal', () => {
  it('Ctrl+K opens the palette and Alt+1 goes to Droplets; the shell gets neither', async () => {
    await focusTerminal()
    await page.keyboard.press('Control+K')
    const palette = page.getByRole('dialog', { name: 'Command palette' })
    await palette.waitFor({ timeout: 5_000 })
    await app.view.screenshot('terminal-keys-palette')
    await page.keyboard.press('Escape')
    await palette.waitFor({ state: 'detached' })

    await focusTerminal()
    await page.keyboard.press('Alt+1')
    await expect.poll(hash).toBe('#/droplets')
    await page.keyboard.press('Alt+6')
    await expect.poll(hash).toBe('#/terminals')

    // the shell is still reading, and saw no ^K and no ESC 1
    await focusTerminal()
    await page.keyboard.type('after\n')
    await shows('after')
    const text = await screen().innerText()
    expect(text).not.toContain('^K')
    expect(text).not.toContain('^[1')
  })

  it('with the setting on, the same keys go to the shell and the app stays put', async () => {
    await page.keyboard.press('Control+,')
    await expect.poll(hash).toBe('#/settings')
    const toggle = page.getByRole('switch', { name: 'Send the app’s shortcuts to the shell' })
    await toggle.click()
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('true')
    await app.view.screenshot('terminal-keys-setting')
    await page.keyboard.press('Alt+6')
    await expect.poll(hash).toBe('#/terminals')

    await focusTerminal()
    await page.keyboard.press('Control+K')
    await page.keyboard.press('Alt+1')
    await page.keyboard.type('\n')
    await shows('^K^[1')
    expect(await hash()).toBe('#/terminals')
    expect(await page.getByRole('dialog', { name: 'Command palette' }).count()).toBe(0)
    expect(app.view.problems.filter((p) => !p.includes('GL Driver Message') && !p.includes('allotted deadline'))).toEqual([])
  })
})
