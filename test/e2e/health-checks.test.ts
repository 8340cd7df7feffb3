/**
 * Health checks, alerts, charts and the audit report as an operator uses them, in Chromium against
 * the headless host: a bench droplet named like the DigitalOcean stub's `ocr-service-droplet` (real
 * sshd; sessions reach a private dockerd with the seeded unhealthy and exited containers; `df` reports
 * seed 002's full root disk), the DigitalOcean and Cloudflare stubs with the dangling `staging` record,
 * and `ipa.insightpulseai.net` watched with no record. Desktop notifications are granted and recorded.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDocker, findDockerd, seedImages, seedContainers, waitForSeededStates, type DockerDaemon } from '../fleet/dockerd'
import { SEEDED_CONTAINERS } from '../fleet/docker-seed'
import { isPortFree } from '../fleet/net'
import { startCloudflareStub, startDigitalOceanStub, type CloudflareStub, type DigitalOceanStub } from '../fleet/provider-stubs'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { startDroplets, type Droplets } from '../fleet/sshd'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { launchChromium, openPage, type WatchedPage } from '../support/browser'
import { runHost, type RunningHost } from '../support/host-harness'
import { addDockerHost, writeFakeSystemctl } from '../systemd/fake-systemctl'
import { writeOddDf } from '../facts/odd-df'

const ready = Boolean(findDockerd())
const HOST = 'ocr-service-droplet'

async function freeOffset(): Promise<number> {
  for (let offset = 41_000; offset < 48_000; offset += 1_000) {
    const free = await Promise.all(SEEDED_CONTAINERS.map((c) => isPortFree('127.0.0.1', c.port + offset)))
    if (free.every(Boolean)) return offset
  }
  throw new Error('no free port range for the seeded containers')
}

let dir: string
let dockerDir: string | undefined
let keyring: SecretService | undefined
let docker: DockerDaemon | undefined
let droplets: Droplets | undefined
let dos: DigitalOceanStub | undefined
let cf: CloudflareStub | undefined
let running: RunningHost | undefined
let browser: Browser | undefined
let view: WatchedPage
const saved: Record<string, string | undefined> = {}

const ctx = { clientId: 'test', disposables: undefined as never } as never
async function rpc(method: string, params: unknown): Promise<unknown> {
  const r = await running!.services.router.call(method, params, ctx)
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`)
  return r.result
}

beforeAll(async () => {
  if (!ready) return
  dir = await mkdtemp(join(tmpdir(), 'dd-e2e-checks-'))
  const fake = writeFakeSystemctl(dir)
  writeOddDf(fake.binDir)
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  dockerDir = await mkdtemp('/tmp/dde-')
  ;[docker, droplets, dos, cf] = await Promise.all([
    startDocker({ dir: dockerDir }),
    startDroplets({ count: 1, dir: join(dir, 'ssh'), names: [HOST], baseAddress: '127.0.54.2', port: 'auto', env: { PATH: fake.path } }),
    startDigitalOceanStub(),
    startCloudflareStub()
  ])
  addDockerHost(fake, docker.env.DOCKER_HOST)
  await seedImages(docker)
  const seeded = await seedContainers(docker, { portOffset: await freeOffset() })
  await waitForSeededStates(docker, seeded, 60_000)
  const env = { DROPDECK_SSH_CONFIG: writeSshClientFiles(dir, droplets.droplets).sshConfigPath, DROPDECK_DO_API: dos.url, DROPDECK_CF_API: cf.url }
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k]
    process.env[k] = v
  }
  running = await runHost()
  await rpc('secrets.set', { key: 'digitalocean', value: dos.token })
  await rpc('secrets.set', { key: 'cloudflare', value: cf.token })
  await rpc('settings.update', { watchedHostnames: ['ipa.insightpulseai.net'] })
  browser = await launchChromium()
  view = await openPage(browser, running.host.url, {
    prepare: async (context) => {
      await context.grantPermissions(['notifications'])
      // Record what the app shows as desktop notifications.
      await context.addInitScript(() => {
        const shown: string[] = []
        ;(window as unknown as { __notifications: string[] }).__notifications = shown
        const Real = window.Notification
        class Recorded extends Real {
          constructor(title: string, options?: NotificationOptions) {
            super(title, options)
            shown.push(`${title} | ${options?.body ?? ''}`)
          }
        }
        Object.defineProperty(Recorded, 'permission', { get: () => Real.permission })
        window.Notification = Recorded as typeof Notification
      })
    }
  })
  await view.page.getByText('Connected', { exact: true }).waitFor()
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await running?.stop()
  await droplets?.stop()
  await docker?.stop()
  await Promise.all([dos?.stop(), cf?.stop()])
  await keyring?.stop()
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  if (dir) await rm(dir, { recursive: true, force: true })
  if (dockerDir) await rm(dockerDir, { recursive: true, force: true })
})

describe.skipIf(!ready)('Health checks, alerts, charts and the report', () => {
  it('draws the connected host’s live samples as charts with a threshold line and a sparkline', async () => {
    const { page } = view
    await page.keyboard.press('Alt+8')
    await page.getByRole('region', { name: 'Hosts not connected' }).getByRole('button', { name: `Connect ${HOST}` }).click()
    const card = page.getByRole('article', { name: `Health of ${HOST}` })
    await card.waitFor({ timeout: 20_000 })
    // a sample every 15 s: the second one gives the first CPU percentage and a line
    const cpu = card.getByRole('figure', { name: `CPU on ${HOST}` })
    await cpu.waitFor({ timeout: 60_000 })
    await card.getByRole('img', { name: /CPU over the last hour, now \d+%/ }).waitFor({ timeout: 30_000 })
    const disk = card.getByRole('figure', { name: `Disk (fullest) on ${HOST}` })
    expect(await disk.locator('figcaption .mono').innerText()).toBe('97%')
    expect(await disk.locator('.recharts-reference-line').count()).toBe(1) // the 85% threshold
    expect(await cpu.locator('.recharts-line-curve').count()).toBe(1)
    // the stub's ocr-service-droplet has no monitoring agent: one quiet line instead of DigitalOcean's history
    await card.getByText(/This droplet has no metrics agent/).waitFor({ timeout: 30_000 })
    // hover shows the value at that time
    const box = (await cpu.locator('.recharts-surface').boundingBox())!
    await page.mouse.move(box.x + box.width - 10, box.y + box.height / 2)
    await cpu.locator('.recharts-tooltip-wrapper').getByText(/CPU/).waitFor()
    // the exited container is not counted as unhealthy as well (one state per container)
    await expect.poll(async () => (await card.getByLabel(`Containers on ${HOST}`).innerText()).replace(/\s+/g, ' ')).toMatch(/1 unhealthy 1 exited of 5/)
    await card.getByRole('radio', { name: '6h' }).check()
    await card.getByRole('radio', { name: '6h' }).isChecked()
    await view.screenshot('health-charts')
  })

  it('proposes checks from records, containers and the host; kept ones run and an alert fires with a notification and a badge', async () => {
    const { page } = view
    await page.getByRole('radiogroup', { name: 'Health view' }).getByText('Checks').click()
    const panel = page.getByRole('region', { name: 'Checks' })
    await panel.getByRole('button', { name: 'Propose checks' }).click()
    const proposed = panel.getByRole('group', { name: 'Proposed checks' })
    await proposed.getByText('HTTPS erp.insightpulseai.net').waitFor({ timeout: 20_000 })
    await proposed.getByText('DNS staging.insightpulseai.net').waitFor()
    await proposed.getByText('DNS ipa.insightpulseai.net').waitFor()
    await proposed.getByText('e2i-mlflow-1 health').waitFor()
    await view.screenshot('health-propose')
    // keep only the host's checks and the two DNS findings: the internet is not reachable from the bench
    for (const box of await proposed.getByRole('checkbox').all()) {
      const label = await box.locator('xpath=..').innerText()
      const keepIt = /^(DNS staging|DNS ipa|Containers on|Disk on|e2i-mlflow-1 health|odoo-odoo-1 health)/.test(label)
      if ((await box.isChecked()) !== keepIt) await box.click()
    }
    await proposed.getByRole('button', { name: 'Add 6 checks' }).click()
    const list = panel.getByRole('table', { name: 'Checks list' })
    const row = (name: string) => list.locator('tr', { hasText: name })
    await row(`Containers on ${HOST}`).waitFor()
    // Down after 3 failures in a row: run now until it is (a click during the first scheduled run shares that run).
    const runUntilDown = async (name: string) => {
      for (let i = 0; i < 6 && !(await row(name).getByText('down', { exact: true }).isVisible()); i++) {
        await row(name).getByRole('button', { name: `Run ${name} now` }).click()
        await page.waitForTimeout(300)
      }
      await row(name).getByText('down', { exact: true }).waitFor({ timeout: 20_000 })
    }
    await runUntilDown(`Containers on ${HOST}`)
    await row(`Containers on ${HOST}`).getByText(/odoo-ocr-adapter-1 exited with code 1; odoo-odoo-1 is unhealthy/).first().waitFor()
    await runUntilDown('DNS staging.insightpulseai.net')
    await runUntilDown('DNS ipa.insightpulseai.net')
    await row('DNS staging.insightpulseai.net').getByText("points at 143.198.212.40, which is no droplet's address", { exact: false }).waitFor()
    await row('e2i-mlflow-1 health').getByText('up', { exact: true }).waitFor({ timeout: 30_000 })
    const badge = page.getByRole('navigation', { name: 'Areas' }).getByRole('status', { name: /alerts? firing/ })
    await expect.poll(async () => (await badge.innerText()).trim(), { timeout: 20_000 }).toMatch(/^[3-9]$/)
    await expect.poll(() => page.evaluate(() => (window as unknown as { __notifications: string[] }).__notifications.join('\n'))).toContain(`Down: Containers on ${HOST} | odoo-ocr-adapter-1 exited with code 1; odoo-odoo-1 is unhealthy`)
    // edit a kept check: rename it and pause it
    await row('e2i-mlflow-1 health').getByRole('button', { name: 'Edit e2i-mlflow-1 health' }).click()
    const form = panel.getByRole('form', { name: 'Edit e2i-mlflow-1 health' })
    await form.getByLabel('Name').fill('MLflow health')
    await form.getByLabel('Runs by itself').uncheck()
    await form.getByLabel('Down after').fill('5')
    await view.screenshot('health-check-edit')
    await form.getByRole('button', { name: 'Save' }).click()
    await row('MLflow health').getByText('HTTP · paused').waitFor()
    const saved = ((await rpc('checks.list', {})) as Array<{ check: { name: string; enabled: boolean; failuresToDown: number; url?: string } }>).find((c) => c.check.name === 'MLflow health')!.check
    expect(saved).toMatchObject({ enabled: false, failuresToDown: 5, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/health$/) })
    await view.screenshot('health-checks')
  })

  it('shows the alert with what, since when and the next step; acknowledging takes it off the badge', async () => {
    const { page } = view
    await page.getByRole('radiogroup', { name: 'Health view' }).getByText(/^Alerts/).click()
    const alerts = page.getByRole('list', { name: 'Alert list' })
    const item = alerts.locator('li', { hasText: `Containers on ${HOST}` })
    await item.getByText('odoo-odoo-1 is unhealthy', { exact: false }).first().waitFor({ timeout: 10_000 })
    await item.getByText(/health check exit 1: .*404/i).waitFor()
    expect(await item.getByRole('link', { name: `Open the container's logs on ${HOST} →` }).getAttribute('href')).toBe('#/logs')
    await view.screenshot('health-alerts')
    const badge = page.getByRole('navigation', { name: 'Areas' }).getByRole('status', { name: /alerts? firing/ })
    const before = Number(await badge.innerText())
    await item.getByRole('button', { name: `Acknowledge Containers on ${HOST}` }).click()
    await expect.poll(async () => Number(await badge.innerText())).toBe(before - 1)
    await item.getByText('acknowledged', { exact: false }).waitFor()
  })

  it('generates the audit report with seed 002’s findings, shown in the app', async () => {
    const { page } = view
    await page.getByRole('radiogroup', { name: 'Health view' }).getByText('Report').click()
    await page.getByRole('button', { name: 'Generate audit report' }).click()
    const doc = page.getByRole('article', { name: 'Audit report content' })
    await doc.getByRole('heading', { name: 'Findings' }).waitFor({ timeout: 30_000 })
    const findings = doc.locator('table').first()
    for (const text of [`odoo-odoo-1 on ${HOST}`, `odoo-ocr-adapter-1 on ${HOST}`, 'Disk at 97%', 'ipa.insightpulseai.net (used by settings.watchedHostnames)', 'A staging.insightpulseai.net → 143.198.212.40', 'Droplet without a cloud firewall', 'Droplet without backups']) {
      await findings.getByText(text, { exact: false }).first().waitFor()
    }
    await doc.getByRole('heading', { name: 'Routing map' }).waitFor()
    await view.screenshot('health-report')
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Markdown' }).click()
    expect((await download).suggestedFilename()).toMatch(/^dropdeck-audit-\d{4}-\d\d-\d\d\.md$/)
    expect(view.problems).toEqual([])
  })

  it('reads the same in the dark theme', async () => {
    const dark = await openPage(browser!, running!.host.url, { colorScheme: 'dark' })
    await dark.page.getByText('Connected', { exact: true }).waitFor()
    await dark.page.keyboard.press('Alt+8')
    const card = dark.page.getByRole('article', { name: `Health of ${HOST}` })
    await card.getByRole('figure', { name: `CPU on ${HOST}` }).waitFor({ timeout: 30_000 })
    await dark.screenshot('health-charts-dark')
    await dark.page.getByRole('radiogroup', { name: 'Health view' }).getByText('Checks').click()
    await dark.page.getByRole('table', { name: 'Checks list' }).waitFor()
    await dark.screenshot('health-checks-dark')
    await dark.page.getByRole('radiogroup', { name: 'Health view' }).getByText(/^Alerts/).click()
    await dark.page.getByRole('list', { name: 'Alert list' }).waitFor()
    await dark.screenshot('health-alerts-dark')
    await dark.page.getByRole('radiogroup', { name: 'Health view' }).getByText('Report').click()
    await dark.page.getByRole('button', { name: 'Generate audit report' }).click()
    await dark.page.getByRole('article', { name: 'Audit report content' }).getByRole('heading', { name: 'Findings' }).waitFor({ timeout: 30_000 })
    await dark.screenshot('health-report-dark')
    expect(dark.problems).toEqual([])
    await dark.page.context().close()
  })
})
