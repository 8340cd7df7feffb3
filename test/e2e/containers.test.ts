/**
 * Containers as an operator meets them, in Chromium against the headless host, a real sshd and a real
 * dockerd from the bench, logged in as a new non-root user who reaches docker only through `sudo -n`:
 * healthy, unhealthy and exited containers grouped by project, and why (the health check's output, the
 * exit code); a restart followed live to healthy without refreshing; the disk panel and a prune with
 * its preview, confirmed by typing the host name. Screenshots go to test-results/screenshots/containers-*.png.
 */
import { execFileSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dockerCall } from '../fleet/docker-api'
import { tar } from '../fleet/tar'
import type { WatchedPage } from '../support/browser'
import { startSshApp, type SshApp } from '../support/ssh-app'

const USER = `ddops${process.pid % 100_000}`
const SUDOERS = `/etc/sudoers.d/dropdeck-e2e-${USER}`
const HOST = 'odoo-prod'

let app: SshApp | undefined
let view: WatchedPage
let page: Page

const problems = () => view.problems.filter((p) => !p.includes('GL Driver Message'))
const row = (name: string) => page.locator(`tr[data-container="${name}"]`)
/** An element's text as one line (flex layouts split innerText into lines). */
const text = async (locator: ReturnType<Page['locator']>) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim()

beforeAll(async () => {
  execFileSync('useradd', ['--create-home', '--shell', '/bin/sh', USER])
  execFileSync('usermod', ['-p', '*', USER]) // unlocked, or sshd without PAM refuses even a key
  // Not in the docker group: docker only through sudo, which keeps DOCKER_HOST to find the bench daemon.
  const dockerPath = execFileSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim()
  writeFileSync(SUDOERS, `Defaults:${USER} env_keep += "DOCKER_HOST"\n${USER} ALL=(root) NOPASSWD: ${dockerPath}\n`, { mode: 0o440 })
  app = await startSshApp('127.0.40.10', {
    name: HOST,
    user: USER,
    docker: {
      portsFrom: 45_000,
      // Something for the prune to free besides the exited container: an untagged (dangling) image.
      prepare: async (daemon) => {
        await dockerCall(daemon.socketPath, 'POST', '/images/create', { query: { fromSrc: '-', message: 'old build' }, body: tar([{ type: 'file', name: 'layer.bin', data: 'x'.repeat(300_000) }]) })
      }
    }
  })
  view = app.view
  page = view.page
}, 180_000)

afterAll(async () => {
  await app?.stop()
  rmSync(SUDOERS, { force: true })
  try {
    execFileSync('userdel', ['--remove', USER], { stdio: 'ignore' })
  } catch {
    /* already gone */
  }
})

describe('containers in the app', () => {
  it('shows healthy, unhealthy and exited containers by project, live, for a user who needs sudo for docker', async () => {
    await page.keyboard.press('Alt+3')
    const hostRow = page.getByRole('table', { name: 'Hosts' }).locator('tr', { hasText: HOST })
    await hostRow.getByRole('button', { name: 'Connect' }).click()
    await hostRow.getByText('connected', { exact: true }).waitFor({ timeout: 20_000 })

    await page.keyboard.press('Alt+4')
    const section = page.getByRole('region', { name: `Containers on ${HOST}` })
    await section.getByText('live', { exact: true }).waitFor({ timeout: 20_000 })
    expect(await section.getByRole('group').evaluateAll((groups) => groups.map((g) => g.getAttribute('aria-label')))).toEqual(['Project e2i', 'Project odoo', 'No project'])
    await expect.poll(() => row('e2i-mlflow-1').innerText()).toMatch(/running\s+healthy/)
    expect(await row('odoo-odoo-1').innerText()).toMatch(/running\s+unhealthy/)
    expect(await row('odoo-ocr-adapter-1').innerText()).toContain('exited (1)')
    expect(await row('odoo-ocr-adapter-1').innerText()).not.toContain('healthy') // a stopped container's last health status means nothing
    expect(await row('tax-rules-service').innerText()).not.toMatch(/healthy/)
    expect(await section.innerText()).toContain('4 of 5 running, 1 unhealthy')
    await view.screenshot('containers-list')
    expect(problems()).toEqual([])
  })

  it('says why: the failing health check\'s output and exit code, and the exited container\'s exit code (keyboard)', async () => {
    await row('odoo-odoo-1').getByRole('button', { name: 'Show details of odoo-odoo-1' }).focus()
    await page.keyboard.press('Enter')
    const checks = page.getByRole('table', { name: 'Health check results for odoo-odoo-1' })
    await checks.waitFor({ timeout: 10_000 })
    const latest = checks.locator('tbody tr').first()
    await expect.poll(() => latest.innerText()).toMatch(/ago\s+1\s+wget: server returned error: HTTP\/1\.[01] 404 Not Found/)
    expect(await row('odoo-odoo-1').getByRole('button', { name: 'Hide details of odoo-odoo-1' }).getAttribute('aria-expanded')).toBe('true')

    await row('odoo-ocr-adapter-1').getByRole('button', { name: 'Show details of odoo-ocr-adapter-1' }).click()
    const detail = page.locator('tr.crow-detail', { hasText: 'dropdeck/web:deploy_bbbbbbbb' }).filter({ hasText: 'Exited with code' })
    await expect.poll(() => detail.innerText()).toMatch(/Stopped\s+Exited with code 1, /)
    await view.screenshot('containers-why')
    await row('odoo-ocr-adapter-1').getByRole('button', { name: 'Hide details of odoo-ocr-adapter-1' }).click()
    expect(problems()).toEqual([])
  })

  it('restarts a container and follows it live: restarting, starting, healthy, without a refresh', async () => {
    const mlflow = row('e2i-mlflow-1')
    const seen = new Set<string>()
    const watchChips = setInterval(() => {
      void mlflow
        .locator('.crow-state')
        .innerText()
        .then((t) => seen.add(t.replace(/\s+/g, ' ').trim()))
        .catch(() => undefined)
    }, 50)
    await mlflow.getByRole('button', { name: 'Restart e2i-mlflow-1' }).click()
    await expect.poll(() => mlflow.locator('.crow-state').innerText(), { timeout: 10_000, interval: 50 }).toMatch(/restarting…|starting/)
    await view.screenshot('containers-restarting')
    await expect.poll(() => mlflow.locator('.crow-state').innerText(), { timeout: 30_000 }).toMatch(/^running\s+healthy$/)
    clearInterval(watchChips)
    expect([...seen].some((s) => s === 'restarting…')).toBe(true)
    expect([...seen].some((s) => s === 'running starting')).toBe(true)
    await view.screenshot('containers-recovered')
    expect(problems()).toEqual([])
  })

  it('stops only after asking, then starts again', async () => {
    const tax = row('tax-rules-service')
    await tax.getByRole('button', { name: 'Stop tax-rules-service' }).click()
    const ask = page.getByRole('dialog', { name: 'Stop tax-rules-service?' })
    await ask.waitFor()
    await page.keyboard.press('Enter') // Cancel has the focus: Enter keeps it running
    await ask.waitFor({ state: 'detached' })
    expect(await tax.innerText()).toMatch(/running/)
    await tax.getByRole('button', { name: 'Stop tax-rules-service' }).click()
    await ask.getByRole('button', { name: 'Stop container' }).click()
    await expect.poll(() => tax.locator('.crow-state').innerText(), { timeout: 30_000 }).toMatch(/^exited \(\d+\)$/)
    await tax.getByRole('button', { name: 'Start tax-rules-service' }).click()
    await expect.poll(() => tax.locator('.crow-state').innerText(), { timeout: 15_000 }).toBe('running')
    expect(problems()).toEqual([])
  })

  it('shows disk use and prunes after a preview, confirmed by typing the host name', async () => {
    const section = page.getByRole('region', { name: `Containers on ${HOST}` })
    await section.getByRole('button', { name: 'Disk' }).click()
    const disk = page.getByRole('region', { name: `Docker disk use on ${HOST}` })
    await expect.poll(() => disk.innerText(), { timeout: 15_000 }).toMatch(/Images\s+5\s+3\s+[\d.]+ [KM]B/)
    await view.screenshot('containers-disk')
    await disk.getByRole('button', { name: 'Prune…' }).click()
    const dialog = page.getByRole('dialog', { name: `Prune Docker on ${HOST}` })
    const preview = dialog.getByRole('list', { name: 'Would be removed' })
    await expect.poll(() => text(preview), { timeout: 15_000 }).toMatch(/1 stopped container: odoo-ocr-adapter-1/)
    expect(await text(preview)).toMatch(/1 dangling image ?29\d(\.\d)? KB/)
    expect(await text(preview)).not.toMatch(/volume/)
    const prune = dialog.getByRole('button', { name: /^Prune, free about/ })
    expect(await prune.isDisabled()).toBe(true)
    await dialog.getByLabel(`Type ${HOST} to confirm`).fill('odoo')
    expect(await prune.isDisabled()).toBe(true)
    await view.screenshot('containers-prune-preview')
    await dialog.getByLabel(`Type ${HOST} to confirm`).fill(HOST)
    await dialog.getByLabel(`Type ${HOST} to confirm`).press('Enter')
    await section.getByText(new RegExp(`^Pruned ${HOST}: .* freed$`)).waitFor({ timeout: 30_000 })
    expect(await section.innerText()).toContain('Removed 1 container, 1 image, 0 build cache records.')
    expect(await section.innerText()).toMatch(new RegExp(`Pruned ${HOST}: 29\\d(\\.\\d)? KB freed`))
    await expect.poll(() => row('odoo-ocr-adapter-1').count(), { timeout: 10_000 }).toBe(0)
    await view.screenshot('containers-pruned')
    expect(problems()).toEqual([])
  })
})
