/**
 * A container in depth, in Chromium against the headless host, a real sshd and a real dockerd from the
 * bench: the ports column; Shell opens a terminal tab inside the container (commands run there);
 * Inspect shows the environment with secrets masked until shown, mounts, ports, labels and restart
 * policy; the Overview has live CPU and memory; an exited container says when it exited and shows its
 * last log lines; Logs opens the Logs view following it. Screenshots: test-results/screenshots/container-depth-*.png.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dockerCall } from '../fleet/docker-api'
import { startSshApp, type SshApp } from '../support/ssh-app'
import type { WatchedPage } from '../support/browser'

const HOST = 'odoo-deep'
const NOT_THE_APPS = ['GL Driver Message', 'webgl context not restored', 'task queue exceeded allotted deadline']

let app: SshApp
let dir: string
let view: WatchedPage
let page: Page

const problems = () => view.problems.filter((p) => !NOT_THE_APPS.some((note) => p.includes(note)))
const row = (name: string) => page.locator(`tr[data-container="${name}"]`)
const screen = () => page.locator('.term-pane:not([hidden]) .xterm-rows')

beforeAll(async () => {
  app = await startSshApp('127.0.68.10', { name: HOST, docker: { portsFrom: 31_000 } })
  const docker = app.docker!.daemon
  dir = app.dir
  // A worker with secrets in its environment, an exposed-only port and a bind mount from this machine.
  await dockerCall(docker.socketPath, 'DELETE', '/containers/odoo-worker-1', { query: { force: true } }).catch(() => undefined)
  const created = await dockerCall(docker.socketPath, 'POST', '/containers/create', {
    query: { name: 'odoo-worker-1' },
    body: {
      Image: 'dropdeck/busybox:1',
      Cmd: ['/bin/sh', '-c', 'while true; do sleep 1; done'],
      Env: ['ODOO_DB_PASSWORD=correct-horse', 'SMTP_AUTH_TOKEN=tok_123', 'ODOO_WORKERS=4'],
      Labels: { 'com.dropdeck.fleet': 'seed', 'com.docker.compose.project': 'odoo', 'com.docker.compose.service': 'worker' },
      ExposedPorts: { '8072/tcp': {} },
      HostConfig: { NetworkMode: 'none', RestartPolicy: { Name: 'unless-stopped' }, Binds: [`${dir}:/var/lib/odoo:ro`] }
    }
  })
  await dockerCall(docker.socketPath, 'POST', `/containers/${created.json<{ Id: string }>().Id}/start`)
  view = app.view
  page = view.page
  await page.setViewportSize({ width: 1440, height: 900 })
}, 180_000)

afterAll(async () => {
  await app?.stop()
})

describe('a container in depth', () => {
  it('lists ports, and Shell opens a terminal inside the container', async () => {
    await page.evaluate(() => (window.location.hash = '#/hosts'))
    const hostRow = page.getByRole('table', { name: 'Hosts' }).locator('tr', { hasText: HOST })
    await hostRow.getByRole('button', { name: 'Connect' }).click()
    await hostRow.getByText('connected', { exact: true }).waitFor({ timeout: 20_000 })
    await page.evaluate(() => (window.location.hash = '#/containers'))
    const section = page.getByRole('region', { name: `Containers on ${HOST}` })
    await section.getByText('live', { exact: true }).waitFor({ timeout: 20_000 })
    await expect.poll(() => row('odoo-worker-1').locator('.crow-ports').innerText()).toBe('8072/tcp')
    expect(await row('tax-rules-service').getByRole('button', { name: 'Shell in tax-rules-service' }).isEnabled()).toBe(true)
    expect(await row('odoo-ocr-adapter-1').getByRole('button', { name: 'Shell in odoo-ocr-adapter-1' }).isDisabled()).toBe(true)
    await view.screenshot('container-depth-list')

    await row('odoo-worker-1').getByRole('button', { name: 'Shell in odoo-worker-1' }).click()
    await page.getByRole('tab', { name: `odoo-worker-1 on ${HOST}` }).waitFor({ timeout: 15_000 })
    await expect.poll(() => screen().innerText(), { timeout: 20_000 }).toMatch(/#\s*$/m)
    await page.locator('.term-pane:not([hidden]) .xterm-helper-textarea').focus()
    await page.keyboard.type('echo "workers=$ODOO_WORKERS"; ls /var/lib/odoo >/dev/null && echo mounted-ok\n')
    await expect.poll(() => screen().innerText(), { timeout: 15_000 }).toContain('workers=4')
    await expect.poll(() => screen().innerText(), { timeout: 15_000 }).toContain('mounted-ok')
    await view.screenshot('container-depth-shell')
    expect(problems()).toEqual([])
  })

  it('inspects with secrets masked until shown, and shows live CPU and memory', async () => {
    await page.evaluate(() => (window.location.hash = '#/containers'))
    const worker = row('odoo-worker-1')
    await worker.getByRole('button', { name: 'Show details of odoo-worker-1' }).click()
    const detail = page.locator('tr.crow-detail').filter({ has: page.getByRole('tablist', { name: 'odoo-worker-1 details' }) })
    await expect.poll(() => detail.innerText(), { timeout: 20_000 }).toMatch(/CPU [\d.]+ %\s+Memory [\d.]+ [KMG]iB\s+of/)
    await detail.getByRole('tab', { name: 'Inspect' }).click()
    const env = detail.getByRole('table', { name: 'Environment of odoo-worker-1' })
    await env.waitFor({ timeout: 15_000 })
    expect(await env.locator('tr[data-env="ODOO_WORKERS"]').innerText()).toContain('4')
    expect(await env.innerText()).not.toContain('correct-horse')
    expect(await env.locator('tr[data-env="ODOO_DB_PASSWORD"]').innerText()).toContain('••••••••')
    const text = await detail.innerText()
    expect(text).toMatch(/unless-stopped/)
    expect(text).toContain(`${dir} → /var/lib/odoo`)
    expect(text).toContain('8072/tcp')
    expect(text).toContain('com.docker.compose.service')
    await view.screenshot('container-depth-inspect-masked')
    await env.getByRole('button', { name: 'Show ODOO_DB_PASSWORD' }).click()
    await expect.poll(() => env.locator('tr[data-env="ODOO_DB_PASSWORD"]').innerText(), { timeout: 15_000 }).toContain('correct-horse')
    expect(await env.locator('tr[data-env="SMTP_AUTH_TOKEN"]').innerText()).not.toContain('tok_123')
    await view.screenshot('container-depth-inspect-shown')
    await env.getByRole('button', { name: 'Hide ODOO_DB_PASSWORD' }).click()
    expect(await env.innerText()).not.toContain('correct-horse')
    expect(problems()).toEqual([])
  })

  it('an exited container says it exited, when, and its last log lines; Logs follows it in the Logs view', async () => {
    const exited = row('odoo-ocr-adapter-1')
    await exited.getByRole('button', { name: 'Show details of odoo-ocr-adapter-1' }).click()
    const detail = page.locator('tr.crow-detail').filter({ has: page.getByRole('tablist', { name: 'odoo-ocr-adapter-1 details' }) })
    await expect.poll(() => detail.innerText(), { timeout: 15_000 }).toMatch(/Exited with code 1, .*ago/)
    const tail = detail.getByLabel('Last log lines of odoo-ocr-adapter-1')
    await expect.poll(() => tail.innerText(), { timeout: 15_000 }).toContain('Error: connect ECONNREFUSED 10.114.0.3:8090')
    expect(await detail.innerText()).not.toContain('health check has not run yet')
    await view.screenshot('container-depth-exited')
    await row('tax-rules-service').getByRole('button', { name: 'Logs of tax-rules-service' }).click()
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#/logs')
    await expect.poll(() => page.locator('.app-main, main').first().innerText(), { timeout: 15_000 }).toContain('tax-rules-service')
    await view.screenshot('container-depth-logs')
    expect(problems()).toEqual([])
  })
})
