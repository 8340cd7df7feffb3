/// <reference lib="dom" />
/**
 * Renderer bench (issue 3, Performance): time to first row and scroll frame times for 5,000
 * droplets, in Debian's Chromium against the real stack: a private Secret Service, the
 * DigitalOcean stub (no added latency), the headless host in-process with its real services, and
 * the built renderer (out/renderer; built once if missing).
 *
 * Each run is a new browser context (empty HTTP cache, new page, new WebSocket):
 * - cold: the host's droplet cache is dropped first (the token is stored again, which invalidates
 *   it), so the time covers page load, WebSocket connect, droplets.list of 5,000 over 25 pages from
 *   the stub, and the first render. Timed in-page from navigation start (performance.timeOrigin).
 * - warm: Alt+2 (DNS), then Alt+1 back to Droplets with the list cached; timed from the Alt+1
 *   keydown's event.timeStamp.
 * - scroll: the table's scroll container (.dtable-scroll) scrolled by a fixed step in every
 *   animation frame while rAF timestamps, long tasks and the rows in the DOM are recorded.
 *
 * "Painted" is the first task after the frame that showed the row (a message posted from that
 * frame's rAF), "in DOM" is when a MutationObserver first saw the row.
 *
 * A benchmark, not a test: it prints figures and asserts nothing beyond the page showing the fleet.
 *
 *   npx tsx test/bench/renderer-bench.ts        (also run at the end of `npm run bench:fleet`)
 *   BENCH_RENDER_RUNS=5  BENCH_SCROLL_FRAMES=300
 *   DROPDECK_RENDERER_DIR=/tmp/x/renderer   a renderer built elsewhere (electron-vite build --outDir /tmp/x)
 *   BENCH_PROFILE=1                         the page's CPU profile while scrolling (last run), top functions
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { fleetDroplets } from '../fleet/fleet-model'
import { startDigitalOceanStub, type DigitalOceanStub } from '../fleet/provider-stubs'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { launchChromium } from '../support/browser'
import { repoRoot, runHost, type RunningHost } from '../support/host-harness'

const DROPLETS = 5000
const VIEWPORT = { width: 1360, height: 860 }
const ROW_SELECTOR = 'table[aria-label="Droplets"] tbody tr.dtable-row'
const SCROLL_SELECTOR = '.dtable-scroll'
/** Must match ROW_HEIGHT and HEADER_HEIGHT in src/renderer/src/droplets/DropletTable.tsx. */
const ROW_HEIGHT = 30
const HEADER_HEIGHT = 30
const FRAME_MS = 1000 / 60
/** rAF timestamps come in 0.1 ms steps and jitter a little: a frame counts as long past 5% over. */
const SLACK = 1.05

export interface RendererBenchOptions {
  runs?: number
  warmRepeats?: number
  scrollFrames?: number
  scrollSteps?: number[]
}

interface ColdMarks {
  responseEnd: number
  domContentLoaded: number
  wsOpen?: number
  listSent?: number
  listReceived?: number
  firstRowDom: number
  firstRowPaint: number
  longTasks: number
  longTaskMax: number
  rows: number
}

interface ScrollResult {
  deltas: number[]
  longTasks: number[]
  rowCounts: number[]
  gapFrames: number
  lateFrames: number
  distance: number
  loafs: { script: number; render: number }[]
}

interface BenchWindow {
  __bench: {
    firstRowDom?: number
    firstRowPaint?: number
    wsOpen?: number
    listSent?: number
    listReceived?: number
    longTasks: { start: number; duration: number }[]
    keydownAt?: number
    reset(): void
  }
}

/** Runs in every document before the app: first-row, WebSocket and long-task marks. */
function instrument(rowSelector: string): void {
  const w = window as unknown as Window & BenchWindow
  const b: BenchWindow['__bench'] = {
    longTasks: [],
    reset() {
      b.firstRowDom = undefined
      b.firstRowPaint = undefined
      b.keydownAt = undefined
    }
  }
  w.__bench = b
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) b.longTasks.push({ start: e.startTime, duration: e.duration })
  }).observe({ type: 'longtask', buffered: true })
  const channel = new MessageChannel()
  channel.port1.onmessage = () => {
    if (b.firstRowPaint === undefined) b.firstRowPaint = performance.now()
  }
  new MutationObserver(() => {
    if (b.firstRowDom !== undefined || !document.querySelector(rowSelector)) return
    b.firstRowDom = performance.now()
    // The row is painted in the frame whose rAF runs next; a message posted from it lands after.
    requestAnimationFrame(() => channel.port2.postMessage(0))
  }).observe(document, { childList: true, subtree: true })
  window.addEventListener(
    'keydown',
    (event) => {
      if (event.altKey && event.code === 'Digit1') b.keydownAt = event.timeStamp
    },
    true
  )
  // The WebSocket opening and the droplets.list call going out and its answer coming back.
  const Native = window.WebSocket
  let listId: string | undefined
  class TimedWebSocket extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols)
      this.addEventListener('open', () => (b.wsOpen ??= performance.now()))
      this.addEventListener('message', (event: MessageEvent) => {
        if (listId === undefined || b.listReceived !== undefined || typeof event.data !== 'string') return
        const id = /"id":\s*(\d+)/.exec(event.data.slice(0, 80))?.[1]
        if (id === listId) b.listReceived = performance.now()
      })
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      if (listId === undefined && typeof data === 'string' && data.includes('"method":"droplets.list"')) {
        listId = /"id":\s*(\d+)/.exec(data)?.[1]
        b.listSent = performance.now()
      }
      super.send(data)
    }
  }
  window.WebSocket = TimedWebSocket
}

/** Scrolls the table by `step` px in every animation frame for `frames` frames (bouncing at the ends). */
async function scrollInPage(args: { selector: string; rowSelector: string; step: number; frames: number; rowHeight: number; headerHeight: number }): Promise<ScrollResult> {
  const { selector, rowSelector, step, frames, rowHeight, headerHeight } = args
  const el = document.querySelector<HTMLElement>(selector)
  if (!el) throw new Error(`no ${selector}`)
  const nextFrame = () => new Promise<number>((r) => requestAnimationFrame(r))
  el.scrollTop = 0
  for (let i = 0; i < 5; i++) await nextFrame()
  await new Promise((r) => setTimeout(r, 200))
  const max = el.scrollHeight - el.clientHeight
  const viewHeight = el.clientHeight
  const rowCount = Number(el.querySelector('table')?.getAttribute('aria-rowcount') ?? '1') - 1
  const longTasks: number[] = []
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push(e.duration)
  })
  observer.observe({ type: 'longtask' })
  // Long animation frames (>50 ms) split the main thread's share: scripts vs style, layout and paint.
  const loafs: { script: number; render: number }[] = []
  const loafObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries() as (PerformanceEntry & { renderStart: number; styleAndLayoutStart: number; scripts: { duration: number }[] })[]) {
      const script = e.scripts.reduce((a, x) => a + x.duration, 0)
      loafs.push({ script, render: e.renderStart ? e.startTime + e.duration - e.renderStart : 0 })
    }
  })
  try {
    loafObserver.observe({ type: 'long-animation-frame' })
  } catch {
    // not in this Chromium
  }
  /** Whether the rendered rows cover the viewport (below the sticky header) at `top`. */
  const covered = (top: number) => {
    const rows = el.querySelectorAll<HTMLElement>(rowSelector)
    if (rows.length === 0) return { ok: false, count: 0 }
    const first = Number(rows[0].dataset.index)
    const last = Number(rows[rows.length - 1].dataset.index)
    const needFirst = Math.floor(top / rowHeight)
    const needLast = Math.min(rowCount - 1, Math.floor((top + viewHeight - headerHeight - 1) / rowHeight))
    return { ok: first <= needFirst && last >= needLast, count: rows.length }
  }
  const deltas: number[] = []
  const rowCounts: number[] = []
  let gapFrames = 0
  let lateFrames = 0
  let distance = 0
  await new Promise<void>((done) => {
    let i = 0
    let pos = 0
    let dir = 1
    let last: number | undefined
    const tick = (t: number) => {
      if (last !== undefined) deltas.push(t - last)
      last = t
      // Rows for the offset set last frame should be there now (the scroll event came first).
      if (i > 0) {
        const now = covered(pos)
        rowCounts.push(now.count)
        if (!now.ok) lateFrames++
      }
      if (i === frames) return done()
      if (pos + dir * step > max || pos + dir * step < 0) dir = -dir
      const next = Math.max(0, Math.min(max, pos + dir * step))
      distance += Math.abs(next - pos)
      pos = next
      el.scrollTop = pos
      // This frame paints at the new offset with the rows rendered for the old one.
      if (!covered(pos).ok) gapFrames++
      i++
      requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })
  // Long tasks are reported after they end; give the last ones a moment.
  await new Promise((r) => setTimeout(r, 100))
  observer.disconnect()
  loafObserver.disconnect()
  return { deltas, longTasks, rowCounts, gapFrames, lateFrames, distance, loafs }
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b)
const median = (xs: number[]) => {
  const s = sorted(xs)
  if (s.length === 0) return NaN
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
/** Nearest rank: with 5 samples p95 is the largest. */
const p95 = (xs: number[]) => {
  const s = sorted(xs)
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]
}
const max = (xs: number[]) => (xs.length ? Math.max(...xs) : 0)
const f1 = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(1))

function ensureRendererBuilt(): void {
  // DROPDECK_RENDERER_DIR: a renderer built elsewhere (an A/B of two builds); runHost serves it.
  const dir = process.env.DROPDECK_RENDERER_DIR
  if (dir) {
    if (!existsSync(join(dir, 'index.html'))) throw new Error(`DROPDECK_RENDERER_DIR=${dir} has no index.html: build it with electron-vite build --outDir`)
    return
  }
  if (existsSync(join(repoRoot, 'out/renderer/index.html'))) return
  console.log('renderer-bench: out/renderer is missing; building it (electron-vite build)…')
  const result = spawnSync(join(repoRoot, 'node_modules/.bin/electron-vite'), ['build'], { cwd: repoRoot, stdio: 'inherit' })
  if (result.status !== 0) throw new Error(`electron-vite build failed (${result.status ?? result.signal})`)
}

async function newBenchPage(browser: Browser): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, colorScheme: 'light' })
  // tsx (esbuild keepNames) wraps named functions in __name(); the page needs it to run ours.
  await context.addInitScript({ content: 'globalThis.__name = (fn) => fn' })
  await context.addInitScript(instrument, ROW_SELECTOR)
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text())
  })
  page.on('pageerror', (err) => problems.push(err.message))
  return { context, page, problems }
}

async function coldLoad(page: Page, url: string): Promise<ColdMarks> {
  await page.goto(`${url}#/droplets`)
  await page.waitForFunction(() => (window as unknown as BenchWindow).__bench.firstRowPaint !== undefined, undefined, { timeout: 60_000 })
  // The whole fleet is there, not a partial list.
  await page.getByText(`${DROPLETS.toLocaleString('en-US')} droplets`).first().waitFor({ timeout: 10_000 })
  return page.evaluate((rowSelector) => {
    const b = (window as unknown as BenchWindow).__bench
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
    const before = b.longTasks.filter((t) => t.start < b.firstRowPaint!)
    return {
      responseEnd: nav.responseEnd,
      domContentLoaded: nav.domContentLoadedEventEnd,
      wsOpen: b.wsOpen,
      listSent: b.listSent,
      listReceived: b.listReceived,
      firstRowDom: b.firstRowDom!,
      firstRowPaint: b.firstRowPaint!,
      longTasks: before.length,
      longTaskMax: before.reduce((m, t) => Math.max(m, t.duration), 0),
      rows: document.querySelectorAll(rowSelector).length
    }
  }, ROW_SELECTOR)
}

/** DNS and back with Alt+2 / Alt+1; the droplet list comes from the cache. Times from the Alt+1 keydown. */
async function warmReturn(page: Page): Promise<{ dom: number; paint: number }> {
  await page.keyboard.press('Alt+2')
  await page.locator('.dns-view, .fleet-message, .fleet-loading, .empty-state').first().waitFor()
  await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 0, ROW_SELECTOR)
  // Let the DNS view settle (zones load) so it does not overlap the measurement.
  await page.waitForLoadState('networkidle').catch(() => {})
  await page.waitForTimeout(300)
  await page.evaluate(() => (window as unknown as BenchWindow).__bench.reset())
  await page.keyboard.press('Alt+1')
  await page.waitForFunction(() => (window as unknown as BenchWindow).__bench.firstRowPaint !== undefined, undefined, { timeout: 30_000 })
  return page.evaluate(() => {
    const b = (window as unknown as BenchWindow).__bench
    return { dom: b.firstRowDom! - b.keydownAt!, paint: b.firstRowPaint! - b.keydownAt! }
  })
}

export async function runRendererBench(options: RendererBenchOptions = {}): Promise<void> {
  const runs = options.runs ?? Number(process.env.BENCH_RENDER_RUNS ?? 5)
  const warmRepeats = options.warmRepeats ?? 3
  const frames = options.scrollFrames ?? Number(process.env.BENCH_SCROLL_FRAMES ?? 300)
  const steps = options.scrollSteps ?? [100, 400]

  ensureRendererBuilt()
  const savedEnv = { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS, DROPDECK_DO_API: process.env.DROPDECK_DO_API }
  let keyring: SecretService | undefined
  let stub: DigitalOceanStub | undefined
  let running: RunningHost | undefined
  let browser: Browser | undefined
  try {
    keyring = await startSecretService()
    Object.assign(process.env, keyring.env)
    stub = await startDigitalOceanStub({ droplets: fleetDroplets(DROPLETS) })
    process.env.DROPDECK_DO_API = stub.url
    running = await runHost()
    const { host, services } = running
    await services.secrets.set('digitalocean', stub.token)
    browser = await launchChromium()
    const version = browser.version()

    const cold: ColdMarks[] = []
    const coldRequests: number[] = []
    const warm: { dom: number; paint: number }[] = []
    const scroll = new Map<number, ScrollResult[]>(steps.map((s) => [s, []]))
    const problems: string[] = []
    const profiles: { step: number; profile: CpuProfile }[] = []

    // Run 0 warms up the host, the stub and Chromium and is not counted.
    for (let run = 0; run <= runs; run++) {
      // Storing the token again drops the host's droplet cache: the list comes from the stub.
      await services.secrets.set('digitalocean', stub.token)
      const requestsBefore = stub.requests.length
      const { context, page, problems: pageProblems } = await newBenchPage(browser)
      try {
        const marks = await coldLoad(page, host.url)
        const requests = stub.requests.slice(requestsBefore).filter((r) => r.path === '/v2/droplets').length
        const warmRun: { dom: number; paint: number }[] = []
        for (let i = 0; i < warmRepeats; i++) warmRun.push(await warmReturn(page))
        const scrollRun = new Map<number, ScrollResult>()
        for (const step of steps) {
          // BENCH_PROFILE=1: the page's CPU profile over the last run's scroll at each step.
          const cdp = process.env.BENCH_PROFILE && run === runs ? await page.context().newCDPSession(page) : undefined
          if (cdp) {
            await cdp.send('Profiler.enable')
            await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
            await cdp.send('Profiler.start')
          }
          scrollRun.set(step, await page.evaluate(scrollInPage, { selector: SCROLL_SELECTOR, rowSelector: ROW_SELECTOR, step, frames, rowHeight: ROW_HEIGHT, headerHeight: HEADER_HEIGHT }))
          if (cdp) {
            const { profile } = await cdp.send('Profiler.stop')
            profiles.push({ step, profile: profile as unknown as CpuProfile })
            await cdp.detach()
          }
        }
        if (run === 0) continue
        cold.push(marks)
        coldRequests.push(requests)
        warm.push(...warmRun)
        for (const [step, result] of scrollRun) scroll.get(step)!.push(result)
        problems.push(...pageProblems)
      } finally {
        await context.close()
      }
    }

    // ---- report ----
    const row = (label: string, xs: number[], unit = 'ms') => `  ${label.padEnd(46)} ${f1(median(xs)).padStart(8)} ${f1(p95(xs)).padStart(8)} ${f1(max(xs)).padStart(8)}  ${unit}`
    const pick = (key: keyof ColdMarks) => cold.map((m) => m[key]).filter((x): x is number => typeof x === 'number')
    console.log('')
    console.log(`bench:renderer  ${DROPLETS.toLocaleString('en-US')} droplets, ${runs} runs (a new browser context each, after one uncounted warm-up run)`)
    console.log(`  ${version.startsWith('1') ? 'Chromium ' : ''}${version}, headless, viewport ${VIEWPORT.width}x${VIEWPORT.height}, --disable-gpu: software rendering, so frame figures are pessimistic`)
    console.log(`  stub without added latency; host in-process; Secret Service keyring; ${availableParallelism()} CPUs, load average ${loadavg()[0].toFixed(2)} at the end`)
    console.log(`  p95 is nearest-rank: with 20 samples or fewer it is the largest`)
    console.log('')
    console.log(`  ${'time to first row'.padEnd(46)} ${'median'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)}`)
    console.log(`  cold, from navigation start (${median(coldRequests)} droplet page requests to the stub per load):`)
    console.log(row('  HTML received (responseEnd)', pick('responseEnd')))
    console.log(row('  DOMContentLoaded', pick('domContentLoaded')))
    console.log(row('  WebSocket open', pick('wsOpen')))
    console.log(row('  droplets.list sent', pick('listSent')))
    console.log(row('  droplets.list answered (5,000 droplets)', pick('listReceived')))
    console.log(row('  first row in DOM', pick('firstRowDom')))
    console.log(row('  first row painted', pick('firstRowPaint')))
    console.log(row('  list answer to first row painted', cold.filter((m) => m.listReceived !== undefined).map((m) => m.firstRowPaint - m.listReceived!)))
    console.log(row('  long tasks before first row (count)', pick('longTasks'), ''))
    console.log(row('  longest task before first row', pick('longTaskMax')))
    console.log(`  warm, DNS then Alt+1 back to Droplets (list cached), from the keydown (${warm.length} samples):`)
    console.log(row('  first row in DOM', warm.map((w) => w.dom)))
    console.log(row('  first row painted', warm.map((w) => w.paint)))
    console.log(`  rows in the DOM after the cold load: ${[...new Set(cold.map((m) => m.rows))].join(', ')} of ${DROPLETS}`)
    console.log('')
    console.log(`  scroll: .dtable-scroll moved a fixed step every animation frame, ${frames} frames x ${runs} runs, pooled`)
    console.log(`  ${'step'.padEnd(8)} ${'frame med'.padStart(9)} ${'p95'.padStart(7)} ${'max'.padStart(7)}  ${'>16.7ms'.padStart(8)} ${'>33.3ms'.padStart(8)}  ${'longtasks'.padStart(9)} ${'lt max'.padStart(7)}  ${'DOM rows'.padStart(9)}  ${'gap/late'.padStart(9)}  px/s`)
    for (const step of steps) {
      const results = scroll.get(step)!
      const deltas = results.flatMap((r) => r.deltas)
      const longTasks = results.flatMap((r) => r.longTasks)
      const rowCounts = results.flatMap((r) => r.rowCounts)
      const over1 = deltas.filter((d) => d > FRAME_MS * SLACK).length
      const over2 = deltas.filter((d) => d > 2 * FRAME_MS * SLACK).length
      const seconds = deltas.reduce((a, b) => a + b, 0) / 1000
      const speed = results.reduce((a, r) => a + r.distance, 0) / seconds
      console.log(
        `  ${`${step} px`.padEnd(8)} ${f1(median(deltas)).padStart(9)} ${f1(p95(deltas)).padStart(7)} ${f1(max(deltas)).padStart(7)}  ${String(over1).padStart(8)} ${String(over2).padStart(8)}  ${String(longTasks.length).padStart(9)} ${f1(max(longTasks)).padStart(7)}  ${`${Math.min(...rowCounts)}-${Math.max(...rowCounts)}`.padStart(9)}  ${`${results.reduce((a, r) => a + r.gapFrames, 0)}/${results.reduce((a, r) => a + r.lateFrames, 0)}`.padStart(9)}  ${Math.round(speed)}`
      )
    }
    for (const step of steps) {
      const loafs = scroll.get(step)!.flatMap((r) => r.loafs)
      if (loafs.length) console.log(`  ${step} px: ${loafs.length} long animation frames (>50 ms main thread); median script ${f1(median(loafs.map((l) => l.script)))} ms, render (rAF, style, layout, paint) ${f1(median(loafs.map((l) => l.render)))} ms`)
    }
    console.log(`  frame times in ms (rAF to rAF, ${deltas1(scroll)} frames per step); >16.7/>33.3 ms counted with ${Math.round((SLACK - 1) * 100)}% slack for timer jitter.`)
    console.log('  gap: frames painted at an offset the rendered rows did not cover (the rows follow one frame later, on the scroll event);')
    console.log('  late: frames whose rows still did not cover the previous frame’s offset. DOM rows: min-max table rows during the scroll.')
    if (problems.length) console.log(`  page problems: ${problems.length} (first: ${problems[0]})`)
    for (const { step, profile } of profiles) printProfile(`scroll at ${step} px a frame (last run)`, profile)
  } finally {
    await browser?.close().catch(() => {})
    await running?.stop().catch(() => {})
    await stub?.stop().catch(() => {})
    await keyring?.stop().catch(() => {})
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[]
  samples: number[]
  timeDeltas: number[]
}

/** The functions with the most self time in a page CPU profile. */
function printProfile(label: string, profile: CpuProfile): void {
  const self = new Map<number, number>()
  profile.samples.forEach((node, i) => self.set(node, (self.get(node) ?? 0) + (profile.timeDeltas[i] ?? 0)))
  const byFunction = new Map<string, number>()
  let total = 0
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0
    total += us
    const { functionName, url, lineNumber, columnNumber } = node.callFrame
    const key = `${functionName || '(anonymous)'} ${url.split('/').pop() ?? ''}:${lineNumber + 1}:${columnNumber + 1}`
    byFunction.set(key, (byFunction.get(key) ?? 0) + us)
  }
  console.log(`  profile of the ${label}: self time by function`)
  for (const [key, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`    ${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(5)} ms  ${key}`)
}

function deltas1(scroll: Map<number, ScrollResult[]>): number {
  return [...scroll.values()][0]?.reduce((a, r) => a + r.deltas.length, 0) ?? 0
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runRendererBench().catch((err: unknown) => {
    console.error(err)
    process.exitCode = 1
  })
}
