/**
 * Small things an operator meets in the first hour, in Chromium at 1440x900 against the headless host
 * and a real sshd: Add host and New tunnel lay their fields out wide enough that no placeholder is cut;
 * a tunnel preset's ports can be edited before it starts; a local port held by one of Dropdeck's own
 * tunnels names that tunnel. Screenshots: test-results/screenshots/dialogs-*.png.
 */
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { suggestFreePort } from '../../src/main/tunnels/port-holder'
import { startSshApp, type SshApp } from '../support/ssh-app'

let app: SshApp
let page: Page
const NOT_THE_APPS = ['GL Driver Message']
const problems = () => app.view.problems.filter((p) => !NOT_THE_APPS.some((note) => p.includes(note)))

/** Inputs whose placeholder is wider than the box shows (measured with the input's own font). */
async function cutPlaceholders(dialog: Locator): Promise<string[]> {
  return dialog.locator('input[placeholder]').evaluateAll((inputs) =>
    (inputs as HTMLInputElement[])
      .filter((input) => {
        const style = getComputedStyle(input)
        const ctx = document.createElement('canvas').getContext('2d')!
        ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`
        const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
        return ctx.measureText(input.placeholder).width > room
      })
      .map((input) => input.placeholder)
  )
}

beforeAll(async () => {
  app = await startSshApp('127.0.71.2')
  page = app.view.page
  await page.setViewportSize({ width: 1440, height: 900 })
}, 120_000)

afterAll(async () => {
  await app?.stop()
})

describe('dialogs and presets', () => {
  it('Add host shows every placeholder whole, two fields a row', async () => {
    await page.evaluate(() => (window.location.hash = '#/hosts'))
    await page.getByRole('button', { name: 'Add host' }).first().click()
    const dialog = page.getByRole('dialog', { name: 'Add a host' })
    await dialog.waitFor()
    expect(await cutPlaceholders(dialog)).toEqual([])
    const alias = await dialog.getByLabel('Alias').boundingBox()
    const host = await dialog.getByLabel('Host name or IP').boundingBox()
    expect(Math.abs(alias!.y - host!.y)).toBeLessThan(2) // side by side
    expect(alias!.width).toBeGreaterThan(180)
    await app.view.screenshot('dialogs-add-host')
    await page.keyboard.press('Escape')
    expect(problems()).toEqual([])
  })

  it('a preset opens in New tunnel with its ports editable, starts on the edited port, and a taken port names the tunnel', async () => {
    await page.evaluate(() => (window.location.hash = '#/tunnels'))
    const hostId = app.droplets.droplets[0].name
    await page.getByRole('button', { name: 'Edit ports and start MLflow' }).click()
    const dialog = page.getByRole('dialog', { name: 'Start MLflow' })
    await dialog.waitFor()
    expect(await cutPlaceholders(dialog)).toEqual([])
    expect(await dialog.getByLabel('Remote port').inputValue()).toBe('5000')
    const local = dialog.getByLabel(/Local port/)
    expect(await local.inputValue()).toBe('5000')
    const port = await suggestFreePort(47_500)
    await local.fill(String(port))
    await app.view.screenshot('dialogs-preset-edit')
    await dialog.getByRole('button', { name: 'Start tunnel' }).click()
    // The host's key is new to this app: trust it when asked.
    const trust = page.getByRole('dialog', { name: new RegExp(`Trust the host key of ${hostId}`) })
    if (await trust.waitFor({ timeout: 5000 }).then(() => true, () => false)) await trust.getByRole('button', { name: 'Trust and connect' }).click()
    const tunnels = page.getByRole('table', { name: /Tunnels/ })
    await expect.poll(() => tunnels.innerText(), { timeout: 20_000 }).toContain(String(port))

    await page.getByRole('button', { name: 'New tunnel' }).first().click()
    const again = page.getByRole('dialog', { name: 'New tunnel' })
    await again.getByLabel('Remote port').fill('5173')
    await again.getByLabel(/Local port/).fill(String(port))
    await again.getByRole('button', { name: 'Start tunnel' }).click()
    const taken = again.getByRole('alert')
    await expect.poll(() => taken.innerText(), { timeout: 10_000 }).toContain(`Dropdeck’s tunnel to ${hostId} localhost:5000 holds it.`)
    await app.view.screenshot('dialogs-port-held-by-tunnel')
    expect(problems()).toEqual([])
  })
})
