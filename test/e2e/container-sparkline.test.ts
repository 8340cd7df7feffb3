/**
 * A container's last hour beside its live CPU and memory figures, in Chromium against the headless host,
 * a real sshd and a real dockerd from the bench: once the host is connected, the container is sampled
 * every 15 s and its details show a small line for CPU and one for memory (metrics.container). Both
 * themes; screenshots go to test-results/screenshots/container-sparkline-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DockerDaemon } from '../fleet/dockerd'
import { BASE_IMAGE } from '../fleet/docker-seed'
import { dockerCall } from '../fleet/docker-api'
import { openPage, type WatchedPage } from '../support/browser'
import { startSshApp, type SshApp } from '../support/ssh-app'

const HOST = 'spark-prod'

let app: SshApp

/** One container that keeps a CPU busy and one that sleeps, so the two lines differ. */
async function startWorkers(docker: DockerDaemon): Promise<void> {
  for (const [name, cmd] of [
    ['busy-worker', ['sh', '-c', 'while :; do :; done']],
    ['quiet-worker', ['sleep', '3600']]
  ] as const) {
    const created = await dockerCall(docker.socketPath, 'POST', '/containers/create', { query: { name }, body: { Image: BASE_IMAGE, Cmd: cmd, HostConfig: { NetworkMode: 'none' }, Labels: { 'com.dropdeck.fleet': 'test' } } })
    await dockerCall(docker.socketPath, 'POST', `/containers/${created.json<{ Id: string }>().Id}/start`)
  }
}

beforeAll(async () => {
  app = await startSshApp('127.0.43.10', { name: HOST, docker: { seed: 'images', prepare: startWorkers } })
}, 180_000)

afterAll(async () => {
  await app?.stop()
})

describe("a container's last hour in its details", () => {
  let view: WatchedPage

  it('draws CPU and memory lines beside the live figures once the host has been sampled', async () => {
    view = app.view
    const page = view.page
    await page.keyboard.press('Alt+3')
    const hostRow = page.getByRole('table', { name: 'Hosts' }).locator('tr', { hasText: HOST })
    await hostRow.getByRole('button', { name: 'Connect' }).click()
    await hostRow.getByText('connected', { exact: true }).waitFor({ timeout: 20_000 })
    await page.keyboard.press('Alt+4')
    const row = page.locator('tr[data-container="busy-worker"]')
    await row.getByRole('button', { name: 'Show details of busy-worker' }).click({ timeout: 20_000 })
    // a CPU figure needs two samples 15 s apart, and a line two figures: up to ~45 s after connecting
    const cpu = page.getByRole('img', { name: /^CPU over the last hour: \d+ samples, now [\d.]+ %$/ })
    const mem = page.getByRole('img', { name: /^Memory over the last hour: \d+ samples, now [\d.]+ [KMG]i?B$/ })
    await cpu.waitFor({ timeout: 90_000 })
    await mem.waitFor({ timeout: 10_000 })
    expect(await cpu.locator('path.recharts-area-curve').count()).toBe(1)
    expect(await mem.locator('path.recharts-area-curve').count()).toBe(1)
    expect(await page.locator('.cstats').first().innerText()).toMatch(/CPU [\d.]+ %/)
    await view.screenshot('container-sparkline-light')
    expect(view.problems.filter((p) => !p.includes('GL Driver Message'))).toEqual([])
  })

  it('reads the same in the dark theme', async () => {
    const dark = await openPage(app.browser, app.running.host.url, { colorScheme: 'dark' })
    const page = dark.page
    // the shortcut is heard once the app has drawn (a key pressed while the page still loads is lost)
    await page.getByText('Connected', { exact: true }).waitFor()
    await page.keyboard.press('Alt+4')
    await page.locator('tr[data-container="busy-worker"]').getByRole('button', { name: 'Show details of busy-worker' }).click({ timeout: 20_000 })
    await page.getByRole('img', { name: /^CPU over the last hour/ }).waitFor({ timeout: 30_000 })
    await dark.screenshot('container-sparkline-dark')
    expect(dark.problems.filter((p) => !p.includes('GL Driver Message'))).toEqual([])
    await page.context().close()
  }, 90_000)
})
