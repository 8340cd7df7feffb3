/**
 * Debian's Chromium driven by playwright-core (Playwright cannot download its own browser here).
 * Collects console errors and page errors so every test can assert there were none.
 */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { repoRoot } from './host-harness'

export const chromiumPath = process.env.DROPDECK_CHROMIUM ?? '/usr/bin/chromium'
export const screenshotDir = join(repoRoot, 'test-results/screenshots')

export function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}: apt-get install chromium (or set DROPDECK_CHROMIUM)`)
  return chromium.launch({
    executablePath: chromiumPath,
    // Without the background-networking flags Chromium keeps dialling Google on a closed network.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run']
  })
}

export interface WatchedPage {
  page: Page
  /** Console errors and warnings, and uncaught page errors, in order. */
  problems: string[]
  screenshot(name: string): Promise<string>
}

/** `prepare` runs on the new context before the page opens (routes, bindings, init scripts). */
export async function openPage(browser: Browser, url: string, options: { colorScheme?: 'light' | 'dark'; prepare?: (context: BrowserContext) => Promise<void> } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, colorScheme: options.colorScheme ?? 'light', deviceScaleFactor: 1 })
  await options.prepare?.(context)
  // Test-only page hooks (src/renderer/src/test-hooks.ts), on every page and reload of this context.
  await context.addInitScript({ content: 'window.__dropdeckTestHooks = true' })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${msg.type()}: ${msg.text()}`)
  })
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`))
  await page.goto(url)
  return {
    page,
    problems,
    async screenshot(name) {
      await mkdir(screenshotDir, { recursive: true })
      const path = join(screenshotDir, `${name}.png`)
      // Finished animations: a dialog caught mid fade-in is half transparent in the picture.
      await page.screenshot({ path, animations: 'disabled' })
      return path
    }
  }
}
