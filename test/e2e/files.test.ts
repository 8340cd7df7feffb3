/**
 * Files as an operator meets them, in Chromium against the headless host and a real sshd from the
 * bench: a folder of 100,000 entries (only the rows in view are in the page), sorting and hidden files,
 * the path bar and bookmarks; an nginx site edited through its sites-enabled link with the diff shown
 * before saving, validated by the real nginx -t and a reload offered; a `.env` masked until shown; an
 * upload picked from this machine's folders with its progress and sha256. Screenshots go to
 * test-results/screenshots/files-*.png.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findExecutable } from '../fleet/proc'
import { startSshApp, type SshApp } from '../support/ssh-app'

const HOST = 'e2i-analytics-prod'
const nginxReady = Boolean(findExecutable('nginx') ?? findExecutable('/usr/sbin/nginx'))
const SITE = 'server {\n    listen 127.0.171.51:8080;\n    server_name eznomics.site;\n    location /api/ {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n'

let app: SshApp
let page: Page
let root: string

const problems = () => app.view.problems.filter((p) => !p.includes('GL Driver Message'))

beforeAll(async () => {
  app = await startSshApp('127.0.171.50')
  page = app.view.page
  root = join(app.droplets.droplets[0].privateKeyPath, '..', '..', 'srv')
  mkdirSync(join(root, 'many'), { recursive: true })
  for (let i = 0; i < 100_000; i++) writeFileSync(join(root, 'many', `log-${String(i).padStart(5, '0')}.txt`), 'x'.repeat(i % 97))
  writeFileSync(join(root, 'many', '.hidden-state'), 'secret')
  const conf = join(root, 'nginx')
  mkdirSync(join(conf, 'sites-available'), { recursive: true })
  mkdirSync(join(conf, 'sites-enabled'))
  writeFileSync(join(conf, 'nginx.conf'), `pid ${conf}/nginx.pid;\nerror_log ${conf}/error.log;\nevents {}\nhttp {\n    access_log off;\n    include sites-enabled/*;\n}\n`)
  writeFileSync(join(conf, 'sites-available', 'e2i-app'), SITE)
  symlinkSync('../sites-available/e2i-app', join(conf, 'sites-enabled', 'e2i-app'))
  writeFileSync(join(root, '.env'), 'DIGITALOCEAN_TOKEN=dop_v1_abcdef123456\nDATABASE_URL=postgresql://postgres:hunter2@localhost:5433/postgres\n')
  mkdirSync(join(root, 'local'))
  writeFileSync(join(root, 'local', 'health-monitor.sh'), randomBytes(3 * 1024 * 1024))
}, 180_000)

afterAll(async () => {
  await app?.stop()
})

async function goTo(path: string): Promise<void> {
  const input = page.getByRole('textbox', { name: 'Path' })
  await input.fill(path)
  await input.press('Enter')
}

describe.skipIf(!nginxReady)('Files in Chromium', () => {
  it('browses a folder of 100,000 entries with only the visible rows in the page; sorts, shows hidden files', async () => {
    await page.goto(`${app.running.host.url.split('#')[0]}#/files`)
    await page.getByRole('heading', { name: 'Files', level: 2 }).waitFor()
    await page.getByRole('navigation', { name: 'Bookmarks' }).getByText('/etc/nginx/sites-enabled').waitFor()
    expect(await page.getByRole('combobox', { name: 'Host' }).inputValue()).toBe(HOST)
    await goTo(join(root, 'many'))
    await page.getByText('100,000 items').waitFor({ timeout: 60_000 })
    const rows = await page.locator('.files-scroll [role="row"]').count()
    expect(rows).toBeGreaterThan(10)
    expect(rows).toBeLessThan(100)
    await expect.poll(() => page.locator('[data-entry]').first().getAttribute('data-entry')).toBe('log-00000.txt')
    // size, largest first
    await page.getByRole('button', { name: 'Size' }).click()
    await expect.poll(() => page.locator('[data-entry]').first().getAttribute('data-entry')).toMatch(/^log-\d+\.txt$/)
    const first = await page.locator('[data-entry]').first().getAttribute('data-entry')
    expect(Number(first!.slice(4, 9)) % 97).toBe(96)
    await page.getByRole('button', { name: 'Name', exact: true }).click()
    expect(await page.locator('[data-entry=".hidden-state"]').count()).toBe(0)
    await page.getByLabel('Hidden files').check()
    await page.locator('[data-entry=".hidden-state"]').waitFor()
    await app.view.screenshot('files-listing')
    // the scroll container keeps the DOM small at the end too
    await page.locator('.files-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight))
    await page.locator('[data-entry="log-99999.txt"]').waitFor()
    expect(await page.locator('.files-scroll [role="row"]').count()).toBeLessThan(100)
    // back in history
    await goTo(root)
    await page.locator('[data-entry="nginx"]').waitFor()
    await page.getByRole('button', { name: 'Back' }).click()
    await expect.poll(() => page.getByRole('textbox', { name: 'Path' }).inputValue()).toBe(join(root, 'many'))
  }, 120_000)

  it('edits an nginx site through its link: the diff before saving, nginx -t passes, the reload is offered', async () => {
    await goTo(join(root, 'nginx', 'sites-enabled'))
    const link = page.locator('[data-entry="e2i-app"]')
    await link.waitFor()
    expect(await link.textContent()).toContain('→ ../sites-available/e2i-app')
    await link.dblclick()
    const editor = page.getByRole('textbox', { name: `Contents of ${join(root, 'nginx', 'sites-enabled', 'e2i-app')}` })
    await editor.waitFor()
    await page.getByText('checked with nginx -t', { exact: false }).waitFor()
    await page.getByText('8000;').click()
    await page.keyboard.press('End')
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('Backspace')
    await page.keyboard.type('1')
    await expect.poll(() => editor.textContent()).toContain('http://127.0.0.1:8001;')
    await page.getByRole('button', { name: 'Review and save' }).click()
    const dialog = page.getByRole('dialog', { name: 'Save e2i-app?' })
    await dialog.waitFor()
    await dialog.getByText('+1 −1 lines', { exact: false }).waitFor()
    await app.view.screenshot('files-diff')
    await dialog.getByRole('button', { name: 'Save to host' }).click()
    await page.getByText('nginx -t passed', { exact: false }).waitFor()
    await page.getByRole('button', { name: 'Reload nginx' }).waitFor()
    expect(readFileSync(join(root, 'nginx', 'sites-available', 'e2i-app'), 'utf8')).toBe(SITE.replace('8000', '8001'))
    await app.view.screenshot('files-saved')
    await page.getByRole('button', { name: 'Close the editor' }).click()
  }, 60_000)

  it('masks a .env file’s values until shown', async () => {
    await goTo(root)
    await page.getByLabel('Hidden files').check()
    await page.locator('[data-entry=".env"]').dblclick()
    await page.getByText('DIGITALOCEAN_TOKEN=••••••••').waitFor()
    expect(await page.locator('.files-code').textContent()).not.toContain('dop_v1_abcdef123456')
    await app.view.screenshot('files-env-masked')
    await page.getByRole('button', { name: 'Show values' }).click()
    await page.getByText('DIGITALOCEAN_TOKEN=dop_v1_abcdef123456').waitFor()
    await page.getByRole('button', { name: 'Close the editor' }).click()
  }, 60_000)

  it('uploads a file picked from this machine’s folders, with progress and its sha256', async () => {
    const target = join(root, 'nginx')
    await goTo(target)
    await page.locator('[data-entry="sites-available"]').waitFor()
    await page.getByRole('button', { name: 'Upload' }).click()
    const picker = page.getByRole('dialog', { name: 'Upload a file' })
    await picker.waitFor()
    // from the home folder up to / and down to the file
    const up = picker.getByRole('button', { name: 'Up one folder here' })
    for (let i = 0; i < 10 && !(await up.isDisabled()); i++) {
      const before = await picker.locator('.files-picker-path .mono').textContent()
      await up.click()
      await expect.poll(() => picker.locator('.files-picker-path .mono').textContent()).not.toBe(before)
    }
    for (const part of join(root, 'local').split('/').filter(Boolean)) await picker.getByRole('button', { name: part, exact: true }).click()
    await picker.getByRole('button', { name: /health-monitor\.sh/ }).click()
    const row = page.locator('[data-transfer="health-monitor.sh"]')
    await row.getByText('Done').waitFor({ timeout: 60_000 })
    const sha = createHash('sha256').update(readFileSync(join(root, 'local', 'health-monitor.sh'))).digest('hex')
    await row.getByText(`sha256 ${sha.slice(0, 12)}…`).waitFor()
    expect(readFileSync(join(target, 'health-monitor.sh')).equals(readFileSync(join(root, 'local', 'health-monitor.sh')))).toBe(true)
    await page.locator('[data-entry="health-monitor.sh"]').waitFor()
    await app.view.screenshot('files-uploaded')
    expect(problems()).toEqual([])
  }, 90_000)
})
