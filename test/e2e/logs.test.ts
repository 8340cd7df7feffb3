/**
 * Issue 5's logs as an operator uses them, in Chromium against the headless host, a real sshd and a
 * real dockerd from the bench: follow two containers' logs and a file at once in one merged list,
 * filter them (text, then a bad and a good regex), pause and resume, export what the filter shows.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { startLogBench, type LogBench } from '../logs/log-bench'
import { launchChromium, openPage, type WatchedPage } from '../support/browser'
import { runHost, type RunningHost } from '../support/host-harness'

let dir: string
let keyring: SecretService | undefined
let bench: LogBench | undefined
let running: RunningHost | undefined
let browser: Browser | undefined
let view: WatchedPage
let writer: NodeJS.Timeout | undefined

beforeAll(async () => {
  dir = mkdtempSync('/tmp/ddle-')
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  bench = await startLogBench(dir, '127.0.44.2')
  process.env.DROPDECK_SSH_CONFIG = writeSshClientFiles(dir, bench.droplets.droplets).sshConfigPath
  await bench.container('web-a', 'i=0; while true; do i=$((i+1)); echo "GET /api/items/$i 200 12ms"; if [ $((i % 5)) = 0 ]; then echo "ERROR upstream timed out after 30s (request $i)" >&2; fi; sleep 0.2; done')
  await bench.container('worker-b', 'i=0; while true; do i=$((i+1)); echo "INFO job $i done"; if [ $((i % 7)) = 0 ]; then echo "WARN queue depth $i above 5"; fi; sleep 0.3; done')
  writer = setInterval(() => appendFileSync(bench!.filePath, `${new Date().toISOString()} nginx: 10.0.0.${Math.floor(Math.random() * 9)} "GET /health" 500\n`), 400)
  running = await runHost()
  browser = await launchChromium()
  view = await openPage(browser, running.host.url)
  await view.page.getByText('Connected', { exact: true }).waitFor()
}, 180_000)

afterAll(async () => {
  if (writer) clearInterval(writer)
  await browser?.close()
  await running?.stop()
  await bench?.stop()
  await keyring?.stop()
  delete process.env.DROPDECK_SSH_CONFIG
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('logs in the app', () => {
  it('follows two containers and a file at once, merged by time, and filters them', async () => {
    const { page } = view
    await page.keyboard.press('Alt+5')
    await page.getByRole('heading', { name: 'Logs', exact: true }).first().waitFor()
    await page.getByText('No logs followed').waitFor()
    const host = page.getByLabel('Host', { exact: true })
    await expect.poll(() => host.locator('option').allInnerTexts(), { timeout: 15_000 }).toContain('logs-droplet')

    const add = async (kind: string, value: string) => {
      await page.getByLabel('Kind of log').selectOption(kind)
      const target = page.locator('.logs-target')
      await target.fill(value)
      await page.getByRole('button', { name: 'Add', exact: true }).click()
      await expect.poll(() => target.inputValue(), { timeout: 20_000 }).toBe('')
    }
    await add('container', 'web-a')
    await add('container', 'worker-b')
    await add('file', bench!.filePath)

    const chips = page.getByRole('list', { name: 'Followed logs' })
    for (const label of ['logs-droplet/web-a', 'logs-droplet/worker-b', 'logs-droplet/app.log']) {
      await chips.locator('li', { hasText: label }).getByText('following').waitFor({ timeout: 20_000 })
    }
    const rows = page.locator('.log-row')
    for (const source of ['0', '1', '2']) await rows.and(page.locator(`[data-source="${source}"]`)).first().waitFor({ timeout: 20_000 })
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThan(15)

    // One merged list: times never go backwards down the rows shown.
    const times = await rows.locator('.log-time').allInnerTexts()
    expect([...times].sort()).toEqual(times)
    await expect.poll(() => page.locator('.log-row.level-error').count(), { timeout: 10_000 }).toBeGreaterThan(0)
    expect(await page.locator('.logs-limit').innerText()).toMatch(/^[\d,]+ lines · keeps the newest 50,000/)
    await view.screenshot('logs-merged')

    // `/` focuses the filter; text filtering keeps only matching lines of every source.
    await page.locator('.logs-list').focus()
    await page.keyboard.press('/')
    await page.keyboard.type('500')
    await expect.poll(async () => {
      const texts = await rows.locator('.log-text').allInnerTexts()
      return texts.length > 0 && texts.every((t) => t.includes('500'))
    }, { timeout: 10_000 }).toBe(true)
    expect(await page.locator('.logs-status').innerText()).toMatch(/[\d,]+ match/)
    await view.screenshot('logs-filtered')

    // A bad regex is shown, not thrown; a good one filters across sources.
    await page.getByLabel('Regex').check()
    const filter = page.getByLabel('Filter lines')
    await filter.fill('(ERROR|WARN')
    await page.getByRole('alert').filter({ hasText: 'Not a valid regex' }).waitFor()
    await view.screenshot('logs-bad-regex')
    await filter.fill('^(ERROR|WARN) ')
    await expect.poll(async () => {
      const texts = await rows.locator('.log-text').allInnerTexts()
      const sources = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-source')))
      return texts.length > 0 && texts.every((t) => /^(ERROR|WARN) /.test(t)) && new Set(sources).size === 2
    }, { timeout: 20_000 }).toBe(true)

    // Export gives the filtered lines, with the source on each.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Export the filtered lines/ }).click()])
    expect(download.suggestedFilename()).toMatch(/^dropdeck-logs-.*\.log$/)
    const exported = readFileSync(await download.path(), 'utf8').trim().split('\n')
    expect(exported.length).toBeGreaterThan(0)
    for (const line of exported) expect(line).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z logs-droplet\/(web-a stderr|worker-b) (ERROR|WARN) /)

    // Pause holds new lines back (counted), Resume shows them.
    await filter.fill('')
    await page.getByRole('button', { name: 'Pause' }).click()
    await expect.poll(() => page.locator('.logs-paused').innerText(), { timeout: 10_000 }).toMatch(/Paused: [1-9][\d,]* new lines waiting/)
    const pausedCount = await rows.count()
    await view.screenshot('logs-paused')
    await page.getByRole('button', { name: 'Resume' }).click()
    await expect.poll(() => page.locator('.logs-paused').count()).toBe(0)
    expect(await rows.count()).toBeGreaterThanOrEqual(pausedCount)

    // Jump to a time stops following and marks the first line at or after it; End follows again.
    const firstTs = await page.evaluate(() => (window as unknown as { __dropdeckLogs: { store: { at(i: number): { ts: number } } } }).__dropdeckLogs.store.at(0).ts)
    const second = new Date(Math.floor(firstTs / 1000) * 1000 + 1000)
    const hhmmss = [second.getHours(), second.getMinutes(), second.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':')
    await page.getByLabel('Jump to time').fill(hhmmss)
    await page.getByRole('button', { name: 'Jump', exact: true }).click()
    const marked = page.locator('.log-row.is-target')
    await marked.waitFor()
    expect((await marked.locator('.log-time').innerText()) >= hhmmss).toBe(true)
    expect(await page.getByRole('button', { name: 'Follow', exact: true }).getAttribute('aria-pressed')).toBe('false')
    await view.screenshot('logs-jumped')
    await page.locator('.logs-list').focus()
    await page.keyboard.press('End')
    await expect.poll(() => page.getByRole('button', { name: 'Follow', exact: true }).getAttribute('aria-pressed')).toBe('true')
    expect(view.problems).toEqual([])
  }, 120_000)
})
