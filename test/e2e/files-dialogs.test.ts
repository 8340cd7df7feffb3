/**
 * The Files view's dialogs and transfer rows in Chromium against the headless host and a real sshd:
 * the upload picker's list scrolls inside the window; a download's row names where it goes on this
 * machine; an upload onto an existing name offers Overwrite or a new name; a delete that fails closes
 * its dialog and leaves the error readable in the view.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSshApp, type SshApp } from '../support/ssh-app'

let app: SshApp
let page: Page
let root: string
// Downloads land in this machine's home (or its Downloads folder): a name of this run's own, removed afterwards.
const FETCHED = `fetched-${randomBytes(4).toString('hex')}.txt`

beforeAll(async () => {
  app = await startSshApp('127.0.172.50')
  page = app.view.page
  root = join(app.droplets.droplets[0].privateKeyPath, '..', '..', 'srv')
  mkdirSync(join(root, 'local', 'many'), { recursive: true })
  for (let i = 0; i < 200; i++) writeFileSync(join(root, 'local', 'many', `file-${String(i).padStart(3, '0')}.txt`), 'x')
  writeFileSync(join(root, 'local', 'notes.txt'), 'new notes\n')
  mkdirSync(join(root, 'remote'))
  writeFileSync(join(root, 'remote', 'notes.txt'), 'old notes\n')
  writeFileSync(join(root, 'remote', 'doomed.txt'), 'x\n')
  writeFileSync(join(root, 'remote', FETCHED), 'fetched\n')
}, 180_000)

afterAll(async () => {
  for (const dir of [homedir(), join(homedir(), 'Downloads')]) rmSync(join(dir, FETCHED), { force: true })
  await app?.stop()
})

async function goTo(path: string): Promise<void> {
  const input = page.getByRole('textbox', { name: 'Path' })
  await input.fill(path)
  await input.press('Enter')
}

/** Each test starts from the remote folder, with no dialog left open by the one before. */
async function atRemote(): Promise<void> {
  await page.goto(`${app.running.host.url.split('#')[0]}#/files`)
  await page.reload()
  await page.getByRole('heading', { name: 'Files', level: 2 }).waitFor()
  // A path typed before the host list has loaded belongs to no host yet: wait for the view's host first.
  await page.waitForFunction(() => Boolean(document.querySelector<HTMLSelectElement>('select[aria-label="Host"]')?.value))
  await goTo(join(root, 'remote'))
  await page.locator('[data-entry="notes.txt"]').waitFor()
}

/** Opens the upload picker and walks it from its home folder up to / and down to `dir`. */
async function pickerAt(dir: string) {
  await page.getByRole('button', { name: 'Upload', exact: true }).click()
  const picker = page.getByRole('dialog', { name: 'Upload a file' })
  await picker.waitFor()
  const up = picker.getByRole('button', { name: 'Up one folder here' })
  for (let i = 0; i < 12 && !(await up.isDisabled()); i++) {
    const before = await picker.locator('.files-picker-path .mono').textContent()
    await up.click()
    await expect.poll(() => picker.locator('.files-picker-path .mono').textContent()).not.toBe(before)
  }
  for (const part of dir.split('/').filter(Boolean)) await picker.getByRole('button', { name: part, exact: true }).click()
  await expect.poll(() => picker.locator('.files-picker-path .mono').textContent()).toBe(dir)
  return picker
}

describe('Files dialogs in Chromium', () => {
  it('the upload picker scrolls its list inside the window', async () => {
    await atRemote()
    const picker = await pickerAt(join(root, 'local', 'many'))
    await picker.getByRole('button', { name: /file-199\.txt/ }).waitFor({ state: 'attached' })
    const list = picker.locator('.files-picker-list')
    const box = await list.evaluate((el) => ({ bottom: el.getBoundingClientRect().bottom, scrolls: el.scrollHeight > el.clientHeight, overflow: getComputedStyle(el).overflowY }))
    const height = await page.evaluate(() => window.innerHeight)
    expect(box.overflow).toBe('auto')
    expect(box.scrolls).toBe(true)
    expect(box.bottom).toBeLessThanOrEqual(height)
    await app.view.screenshot('files-picker-scrolls')
    await page.keyboard.press('Escape')
    await picker.waitFor({ state: 'hidden' })
  }, 90_000)

  it('an upload onto an existing name offers Overwrite or a new name', async () => {
    await atRemote()
    const picker = await pickerAt(join(root, 'local'))
    await picker.getByRole('button', { name: /notes\.txt/ }).click()
    const row = page.locator('[data-transfer="notes.txt"]')
    await row.getByText('already exists').waitFor({ timeout: 30_000 })
    await row.getByRole('button', { name: 'Keep both (new name)' }).click()
    await page.locator('[data-transfer="notes (1).txt"]').getByText('Done').waitFor({ timeout: 30_000 })
    expect(readFileSync(join(root, 'remote', 'notes (1).txt'), 'utf8')).toBe('new notes\n')
    expect(readFileSync(join(root, 'remote', 'notes.txt'), 'utf8')).toBe('old notes\n')
  }, 60_000)

  it('a download names where it goes on this machine', async () => {
    await atRemote()
    await page.locator(`[data-entry="${FETCHED}"]`).click()
    await page.getByRole('button', { name: 'Download' }).click()
    const row = page.locator(`[data-transfer="${FETCHED}"]`)
    await row.getByText('Done').waitFor({ timeout: 30_000 })
    const to = await row.locator('.files-transfer-message .mono').textContent()
    expect(to).toMatch(new RegExp(`/${FETCHED}$`))
    expect(readFileSync(to!, 'utf8')).toBe('fetched\n')
  }, 60_000)

  it('a failed delete closes its dialog and shows the error in the view', async () => {
    await atRemote()
    await page.locator('[data-entry="doomed.txt"]').click()
    rmSync(join(root, 'remote', 'doomed.txt')) // gone behind the view's back
    await page.getByRole('button', { name: 'Delete' }).click()
    const dialog = page.getByRole('alertdialog').or(page.getByRole('dialog'))
    await dialog.getByRole('button', { name: 'Delete' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await page.getByText('That did not work').waitFor()
    await page.getByText(/doomed\.txt does not exist/).waitFor()
    await app.view.screenshot('files-delete-failed')
  }, 60_000)
})
