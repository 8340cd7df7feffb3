/**
 * A container's last hour beside its live CPU and memory figures, in Chromium against the headless host,
 * a real sshd and a real dockerd from the bench: once the host is connected, the container is sampled
 * every 15 s and its details show a small line for CPU and one for memory (metrics.container). Both
 * themes; screenshots go to test-results/screenshots/container-sparkline-*.png.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDocker, seedImages, type DockerDaemon } from '../fleet/dockerd'
import { BASE_IMAGE } from '../fleet/docker-seed'
import { dockerCall } from '../fleet/docker-api'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { startDroplets, type Droplets } from '../fleet/sshd'
import { launchChromium, openPage, type WatchedPage } from '../support/browser'
import { runHost, type RunningHost } from '../support/host-harness'

const HOST = 'spark-prod'

let dir: string
let docker: DockerDaemon
let keyring: SecretService
let droplets: Droplets
let running: RunningHost
let browser: Browser

beforeAll(async () => {
  dir = mkdtempSync('/tmp/h3/e2e-')
  docker = await startDocker({ dir: join(dir, 'd') })
  await seedImages(docker)
  for (const [name, cmd] of [
    ['busy-worker', ['sh', '-c', 'while :; do :; done']],
    ['quiet-worker', ['sleep', '3600']]
  ] as const) {
    const created = await dockerCall(docker.socketPath, 'POST', '/containers/create', { query: { name }, body: { Image: BASE_IMAGE, Cmd: cmd, HostConfig: { NetworkMode: 'none' }, Labels: { 'com.dropdeck.fleet': 'test' } } })
    await dockerCall(docker.socketPath, 'POST', `/containers/${created.json<{ Id: string }>().Id}/start`)
  }
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  droplets = await startDroplets({ count: 1, dir: join(dir, 'ssh'), names: [HOST], baseAddress: '127.0.43.10', port: 'auto', env: { DOCKER_HOST: docker.env.DOCKER_HOST } })
  process.env.DROPDECK_SSH_CONFIG = writeSshClientFiles(dir, droplets.droplets).sshConfigPath
  running = await runHost()
  browser = await launchChromium()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await running?.stop()
  await droplets?.stop()
  await keyring?.stop()
  await docker?.stop()
  delete process.env.DROPDECK_SSH_CONFIG
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe("a container's last hour in its details", () => {
  let view: WatchedPage

  it('draws CPU and memory lines beside the live figures once the host has been sampled', async () => {
    view = await openPage(browser, running.host.url)
    const page = view.page
    await page.getByText('Connected', { exact: true }).waitFor()
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
    const dark = await openPage(browser, running.host.url, { colorScheme: 'dark' })
    const page = dark.page
    await page.keyboard.press('Alt+4')
    await page.locator('tr[data-container="busy-worker"]').getByRole('button', { name: 'Show details of busy-worker' }).click({ timeout: 20_000 })
    await page.getByRole('img', { name: /^CPU over the last hour/ }).waitFor({ timeout: 30_000 })
    await dark.screenshot('container-sparkline-dark')
    expect(dark.problems.filter((p) => !p.includes('GL Driver Message'))).toEqual([])
  })
})
