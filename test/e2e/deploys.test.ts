/**
 * Deploys as an operator meets them, in Chromium against the headless host, a real sshd and a real
 * dockerd from the bench: a plain container `shop` running dropdeck/web:deploy_bbbbbbbb is deployed to
 * deploy_aaaaaaaa (with the gap warning, the live step timeline and the measured gap), then to the broken
 * deploy_cccccccc, which fails its health gate and is rolled back by itself, then rolled back from the
 * history to deploy_bbbbbbbb after typing its name. Screenshots go to test-results/screenshots/deploys-*.png.
 */
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DockerDaemon } from '../fleet/dockerd'
import { dockerCall, listContainers, healthOf } from '../fleet/docker-api'
import { isPortFree } from '../fleet/net'
import { waitFor } from '../fleet/proc'
import type { WatchedPage } from '../support/browser'
import { startSshApp, type SshApp } from '../support/ssh-app'

const HOST = 'shop-prod'

let app: SshApp | undefined
let docker: DockerDaemon
let view: WatchedPage
let page: Page

const problems = () => view.problems.filter((p) => !p.includes('GL Driver Message'))
const shopRow = () => page.locator('tr[data-service="container:shop"]')
const shopContainers = async () => (await listContainers(docker.socketPath, undefined, { all: true })).filter((c) => c.Names.some((n) => n.startsWith('/shop')))

/** The plain container `shop` on deploy_bbbbbbbb with a health check, healthy before the droplet starts. */
async function startShop(daemon: DockerDaemon): Promise<void> {
  docker = daemon
  let port = 39_600
  while (!(await isPortFree('127.0.0.1', port))) port++
  const created = await dockerCall(docker.socketPath, 'POST', '/containers/create', {
    query: { name: 'shop' },
    body: {
      Image: 'dropdeck/web:deploy_bbbbbbbb',
      Env: [`PORT=${port}`],
      Healthcheck: { Test: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:$PORT/health || exit 1'], Interval: 500e6, Timeout: 2e9, Retries: 2, StartPeriod: 0 },
      HostConfig: { NetworkMode: 'host' }
    }
  })
  await dockerCall(docker.socketPath, 'POST', `/containers/${created.json<{ Id: string }>().Id}/start`)
  await waitFor(async () => (await shopContainers()).some((c) => healthOf(c) === 'healthy'), { timeoutMs: 30_000, what: 'shop healthy' })
}

beforeAll(async () => {
  app = await startSshApp('127.0.39.20', { name: HOST, docker: { seed: 'images', prepare: startShop }, env: (dir) => ({ DROPDECK_STATE_DIR: join(dir, 'state') }) })
  view = app.view
  page = view.page
}, 180_000)

afterAll(async () => {
  await app?.stop()
})

/** Opens the deploy dialog for shop, picks `tag` from the versions on the host and starts it. */
async function deployFromDialog(tag: string): Promise<void> {
  await shopRow().getByRole('button', { name: 'Deploy' }).click()
  const dialog = page.getByRole('dialog', { name: 'Deploy shop' })
  await dialog.waitFor()
  await dialog.getByRole('group', { name: 'Versions on the host' }).getByRole('button', { name: new RegExp(tag) }).click()
  expect(await dialog.getByRole('alert').or(dialog.getByRole('note')).first().innerText()).toMatch(/Brief downtime while switching[\s\S]*host network/)
  return void (await dialog.getByRole('button', { name: `Deploy ${tag}` }).click())
}

describe('deploys in the app', () => {
  it('lists the service with its running version and health, then deploys deploy_aaaaaaaa over deploy_bbbbbbbb with a live timeline', async () => {
    await page.keyboard.press('Alt+3')
    const hostRow = page.getByRole('table', { name: 'Hosts' }).locator('tr', { hasText: HOST })
    await hostRow.getByRole('button', { name: 'Connect' }).click()
    await hostRow.getByText('connected', { exact: true }).waitFor({ timeout: 20_000 })

    await page.keyboard.press('Alt+9')
    const section = page.getByRole('region', { name: `Deploys on ${HOST}` })
    await shopRow().waitFor({ timeout: 20_000 })
    expect((await shopRow().innerText()).replace(/\s+/g, ' ')).toMatch(/shop dropdeck\/web deploy_bbbbbbbb healthy 4 versions kept stop-then-start never deployed/)
    expect(await section.getByRole('group').evaluateAll((gs) => gs.map((g) => g.getAttribute('aria-label')))).toEqual(['Plain containers'])
    await view.screenshot('deploys-services')

    await shopRow().getByRole('button', { name: 'Deploy' }).click()
    await page.getByRole('dialog', { name: 'Deploy shop' }).waitFor()
    await view.screenshot('deploys-dialog')
    await page.keyboard.press('Escape')
    await deployFromDialog('deploy_aaaaaaaa')

    const timeline = page.getByLabel('Deploy of shop')
    await timeline.getByText('shop runs deploy_aaaaaaaa').waitFor({ timeout: 90_000 })
    const steps = await timeline.locator('li.deploy-step').evaluateAll((items) => items.map((li) => `${li.getAttribute('data-step')}:${li.getAttribute('data-status')}`))
    expect(steps).toEqual(expect.arrayContaining(['pull:skipped', 'checks:ok', 'start:ok', 'health:ok', 'switch:ok', 'release:ok']))
    expect(await timeline.innerText()).toMatch(/Gap while switching: \d+\.\d s/)
    await expect.poll(async () => (await shopRow().innerText()).replace(/\s+/g, ' '), { timeout: 20_000 }).toMatch(/deploy_aaaaaaaa healthy .*succeeded deploy_aaaaaaaa/)
    expect(await shopRow().innerText()).not.toMatch(/Locked/)
    await view.screenshot('deploys-succeeded')
    expect((await shopContainers()).map((c) => c.Image)).toEqual(['dropdeck/web:deploy_aaaaaaaa'])
    await timeline.getByRole('button', { name: 'Close' }).click()
    expect(problems()).toEqual([])
  })

  it('the broken deploy_cccccccc fails its health gate and is rolled back by itself, with the health output and the new version\'s logs', async () => {
    await deployFromDialog('deploy_cccccccc')
    const timeline = page.getByLabel('Deploy of shop')
    await timeline.getByText('deploy_cccccccc was unhealthy: shop was rolled back by itself').waitFor({ timeout: 90_000 })
    expect(await timeline.locator('li[data-step="health"]').last().getAttribute('data-status')).toBe('failed')
    expect(await timeline.locator('li[data-step="rollback"]').last().getAttribute('data-status')).toBe('ok')
    expect(await timeline.locator('li[data-step="switch"]').count()).toBe(0)
    await timeline.getByText('Health output').click()
    await timeline.getByText('Last log lines of the new version').click()
    expect(await timeline.innerText()).toMatch(/exit 1/)
    await expect.poll(async () => (await shopRow().innerText()).replace(/\s+/g, ' '), { timeout: 20_000 }).toMatch(/deploy_aaaaaaaa healthy .*rolled-back deploy_cccccccc/)
    await view.screenshot('deploys-rolled-back')
    const now = await shopContainers()
    expect(now.map((c) => [c.Image, c.State])).toEqual([['dropdeck/web:deploy_aaaaaaaa', 'running']])
    await timeline.getByRole('button', { name: 'Close' }).click()
    expect(problems()).toEqual([])
  })

  it('rolls back from the history to deploy_bbbbbbbb after typing the service\'s name', async () => {
    await shopRow().getByRole('button', { name: 'History' }).click()
    const history = page.getByRole('table', { name: 'History of shop' })
    await history.waitFor()
    const rows = await history.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-result')))
    expect(rows).toEqual(['rolled-back', 'succeeded'])
    await view.screenshot('deploys-history')
    await history.getByRole('button', { name: 'Roll back to deploy_bbbbbbbb' }).click()
    const confirm = page.getByRole('dialog', { name: 'Roll shop back to deploy_bbbbbbbb' })
    await confirm.waitFor()
    expect(await confirm.innerText()).toMatch(/shop runs deploy_aaaaaaaa now and will run deploy_bbbbbbbb/)
    const button = confirm.getByRole('button', { name: 'Roll back' })
    expect(await button.isDisabled()).toBe(true)
    await confirm.getByLabel(/Type shop to confirm/).fill('shop')
    await view.screenshot('deploys-rollback-confirm')
    await button.click()
    const timeline = page.getByLabel('Deploy of shop')
    await timeline.getByText('shop runs deploy_bbbbbbbb').waitFor({ timeout: 90_000 })
    expect(await timeline.innerText()).toMatch(/Rollback of shop to deploy_bbbbbbbb/)
    await expect.poll(async () => history.locator('tbody tr').count(), { timeout: 20_000 }).toBe(3)
    await expect.poll(async () => (await shopRow().innerText()).replace(/\s+/g, ' '), { timeout: 20_000 }).toMatch(/deploy_bbbbbbbb healthy .*succeeded deploy_bbbbbbbb/)
    await view.screenshot('deploys-rollback-done')
    expect((await shopContainers()).map((c) => c.Image)).toEqual(['dropdeck/web:deploy_bbbbbbbb'])
    expect(problems()).toEqual([])
  })

  it('"deploy shop" in the command palette, and the container\'s row in Containers, open its deploy dialog', async () => {
    await page.keyboard.press('Control+k')
    await page.keyboard.type('deploy shop')
    await page.getByRole('option', { name: /Deploy shop on shop-prod/ }).waitFor()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Deploy shop' })
    await dialog.waitFor()
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })

    await page.keyboard.press('Alt+4')
    await page.getByRole('link', { name: 'Deploy shop' }).click()
    await page.getByRole('dialog', { name: 'Deploy shop' }).waitFor()
    expect(page.url()).toMatch(/#\/deploys\/shop-prod\/container%3Ashop$/)
    await page.keyboard.press('Escape')
    await expect.poll(() => page.url()).toMatch(/#\/deploys$/)
    expect(problems()).toEqual([])
  })
})
