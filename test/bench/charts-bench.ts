/// <reference lib="dom" />
/**
 * bench:charts: how long the Health area takes to draw 7 days of metrics for 10 hosts, in Debian's
 * Chromium with the built renderer (out/renderer, or DROPDECK_RENDERER_DIR; served by the headless host). The page's WebSocket is
 * answered by this script (playwright's routeWebSocket) with 10 connected hosts and, for each, the 299
 * points a 7-day metrics.host answer has (33.75-minute means), so only the renderer is measured: from the
 * Alt+8 keydown to the frame after the lines of every host whose charts are on screen are in the DOM (the
 * first screen), and to every host's charts drawn (those below the fold are drawn in idle time). Each as
 * wall time and as the renderer main thread's CPU time (from a trace): on a loaded machine the wall time
 * mostly measures the other processes, the CPU time what the renderer itself spent.
 * Prints figures; asserts nothing beyond the charts appearing. Goal: under 200 ms.
 *
 *   npm run bench:charts
 *   BENCH_RUNS=5 BENCH_HOSTS=10 BENCH_POINTS=299    runs, hosts, points a series
 *   BENCH_PROFILE=1                                  the renderer's top functions by self time (CDP profiler)
 *   BENCH_DEBUG=1                                    each run's figures and its time to the first card
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { WebSocketRoute } from 'playwright-core'
import { defaultSettings, type MetricPoint } from '../../src/shared/contract'
import { launchChromium } from '../support/browser'
import { repoRoot, runHost } from '../support/host-harness'

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const HOSTS = Number(process.env.BENCH_HOSTS ?? 10)

// DROPDECK_RENDERER_DIR: a renderer built elsewhere (npx electron-vite build --outDir DIR -> DIR/renderer), as the host harness reads it.
const rendererDir = process.env.DROPDECK_RENDERER_DIR || join(repoRoot, 'out/renderer')
if (!existsSync(join(rendererDir, 'index.html'))) throw new Error(`${rendererDir}/index.html is missing: run npm run build first (or set DROPDECK_RENDERER_DIR)`)

const now = Date.now()
const step = 2025_000
const POINTS = Number(process.env.BENCH_POINTS ?? 299)
const points: MetricPoint[] = Array.from({ length: POINTS }, (_, i) => ({ t: now - (POINTS - i) * step, cpu: 20 + ((i * 37) % 60), load1: 0.5 + ((i * 13) % 30) / 10, mem: 40 + ((i * 7) % 35), swap: 1, disk: 60 + (i % 25), rx: 1000 + ((i * 97) % 50_000), tx: 500 + ((i * 53) % 20_000) }))
const hosts = Array.from({ length: HOSTS }, (_, i) => ({ id: `web-${i + 1}`, name: `web-${i + 1}`, hostname: `10.0.0.${i + 1}`, port: 22, user: 'root', source: 'ssh-config', identityFiles: [], localForwards: [], state: 'connected' }))

const answers: Record<string, (params: Record<string, unknown>) => unknown> = {
  'app.info': () => ({ name: 'Dropdeck', version: 'bench' }),
  'secrets.status': () => ({ digitalocean: false, cloudflare: false }),
  'secrets.keychain': () => ({ available: true, backend: 'bench' }),
  'settings.get': () => defaultSettings,
  'hosts.list': () => hosts,
  'containers.list': () => [],
  'units.list': () => [],
  'units.picked': () => ({ units: [] }),
  'alerts.list': () => [],
  'checks.list': () => [],
  'metrics.host': (p) => ({ hostId: p.hostId, range: p.range, stepSeconds: step / 1000, points })
}

function answer(ws: WebSocketRoute, message: string | Buffer): void {
  const frame = JSON.parse(String(message)) as { id: number; method: string; params?: Record<string, unknown> }

  const fn = answers[frame.method]
  ws.send(JSON.stringify(fn ? { jsonrpc: '2.0', id: frame.id, result: fn(frame.params ?? {}) } : { jsonrpc: '2.0', id: frame.id, error: { code: -32000, message: 'not in the bench', data: { code: 'UPSTREAM', retryable: false } } }))
}

const running = await runHost({ rendererDir })
const browser = await launchChromium()
const screen: number[] = []
const all: number[] = []
const screenCpu: number[] = []
const allCpu: number[] = []
let drawnHosts = 0
let untraced = 0
try {
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } })
    await context.routeWebSocket(/\/rpc/, (ws) => ws.onMessage((m) => answer(ws, m)))
    const page = await context.newPage()
    await page.goto(running.host.url)
    await page.getByText('Droplets', { exact: true }).first().waitFor()
    // A string, not a function: tsx would wrap a function's inner helpers in its own __name.
    // Two moments: the charts on screen drawn (the first screen), and every host's charts drawn (those
    // below are drawn in idle time without scrolling). Each marked for the trace (user timing) too.
    const done = page.evaluate(`new Promise((resolve) => {
      let start = 0
      window.addEventListener('keydown', (e) => { start = start || e.timeStamp; performance.mark('bench-start') }, { capture: true, once: true })
      let first = 0
      let onScreen = 0
      let shown = 0
      const drawn = (el) => el.querySelectorAll('.recharts-line-curve').length >= 6
      const mo = new MutationObserver(() => {
        if (!first && document.querySelector('.hcard')) { first = performance.now(); window.__firstCard = first - start }
        const sections = [...document.querySelectorAll('.hcharts')]
        if (sections.length < ${HOSTS}) return
        // one layout read a mutation: the first section not drawn yet, and whether it is on screen
        const pending = sections.find((el) => !drawn(el))
        if (!onScreen && (!pending || pending.getBoundingClientRect().top >= innerHeight)) {
          shown = sections.filter((el) => el.getBoundingClientRect().top < innerHeight).length
          requestAnimationFrame(() => setTimeout(() => { onScreen = performance.now() - start; performance.mark('bench-screen') }))
          // a renderer that draws only what is scrolled to never draws them all: say so after 10 s
          setTimeout(() => { mo.disconnect(); resolve([onScreen, shown, -1]) }, 10000)
        }
        if (pending) return
        mo.disconnect()
        const finish = () => (onScreen ? setTimeout(() => { performance.mark('bench-all'); resolve([onScreen, shown, performance.now() - start]) }) : requestAnimationFrame(finish))
        requestAnimationFrame(finish)
      })
      mo.observe(document.body, { childList: true, subtree: true })
    })`) as Promise<[number, number, number]>
    const cdp = process.env.BENCH_PROFILE ? await context.newCDPSession(page) : undefined
    if (cdp) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.start')
    }
    await browser.startTracing(page, { categories: ['toplevel', 'blink.user_timing'] })
    await page.keyboard.press('Alt+8')
    const [ms, shown, allMs] = await done
    const cpu = mainThreadCpu(JSON.parse(String(await browser.stopTracing())) as Trace)
    screen.push(ms)
    if (allMs >= 0) all.push(allMs)
    // NaN when the trace lacks the marks or the main thread (seen on a loaded machine): left out, and counted
    if (Number.isNaN(cpu.screen)) untraced++
    else screenCpu.push(cpu.screen)
    if (allMs >= 0 && !Number.isNaN(cpu.all)) allCpu.push(cpu.all)
    drawnHosts = shown
    if (cdp) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples: number[] } }
      const self = new Map<number, number>()
      for (const id of profile.samples) self.set(id, (self.get(id) ?? 0) + 1)
      const byName = new Map<string, number>()
      for (const n of profile.nodes) {
        const key = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber}:${(n.callFrame as { columnNumber?: number }).columnNumber}`
        byName.set(key, (byName.get(key) ?? 0) + (self.get(n.id) ?? 0))
      }
      console.log([...byName].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${v} ${k}`).join('\n'))
    }
    if (process.env.BENCH_DEBUG) console.log(`run ${run + 1}: first card after ${Number(await page.evaluate('window.__firstCard')).toFixed(0)} ms; on screen ${ms.toFixed(0)} ms (cpu ${cpu.screen.toFixed(0)} ms); all ${allMs.toFixed(0)} ms (cpu ${cpu.all.toFixed(0)} ms)`)
    await context.close()
  }
} finally {
  await browser.close()
  await running.stop()
}

interface TraceEvent {
  name: string
  ph: string
  ts: number
  dur?: number
  tdur?: number
  pid: number
  tid: number
  args?: { name?: string }
}
type Trace = { traceEvents: TraceEvent[] } | TraceEvent[]

/**
 * The renderer main thread's CPU time (the trace's thread time of its top-level tasks) from the Alt+8
 * mark to the two marks: unlike the wall clock, it does not grow when other processes hold the cores.
 */
function mainThreadCpu(trace: Trace): { screen: number; all: number } {
  const events = Array.isArray(trace) ? trace : trace.traceEvents
  const mark = (name: string) => events.find((e) => e.name === name)
  const start = mark('bench-start')
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && e.pid === start?.pid)
  if (!start || !main) return { screen: NaN, all: NaN }
  const tasks = events.filter((e) => e.ph === 'X' && e.pid === main.pid && e.tid === main.tid && e.tdur !== undefined).sort((a, b) => a.ts - b.ts)
  const until = (end: number | undefined) => {
    let sum = 0
    let last = 0
    for (const t of tasks) {
      // top-level tasks only: one nested in the previous is already counted
      if (t.ts < last || t.ts + (t.dur ?? 0) < start.ts || end === undefined || t.ts > end) continue
      last = t.ts + (t.dur ?? 0)
      sum += t.tdur!
    }
    return sum / 1000
  }
  return { screen: until(mark('bench-screen')?.ts), all: until(mark('bench-all')?.ts) }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const line = (label: string, xs: number[]) => {
  if (!xs.length) return `  ${label}: not drawn without scrolling (within 10 s)`
  const s = [...xs].sort((a, b) => a - b)
  return `  ${label}: median ${median(xs).toFixed(0)} ms (${(median(xs) / 200).toFixed(2)}× the 200 ms goal), min ${s[0].toFixed(0)} ms, max ${s[s.length - 1].toFixed(0)} ms`
}
console.log(`charts: ${HOSTS} hosts, 5 charts each, 7 days (${points.length} points a series), ${RUNS} runs; from the Alt+8 keydown`)
console.log(line(`first screen drawn (${drawnHosts} hosts' charts on screen), wall`, screen))
console.log(line('first screen drawn, renderer main-thread CPU', screenCpu))
console.log(line(`every host's charts drawn (${HOSTS} hosts, ${HOSTS * 6} lines), wall`, all))
console.log(line("every host's charts drawn, renderer main-thread CPU", allCpu))
if (untraced) console.log(`  (${untraced} of ${RUNS} runs had no usable trace: their CPU figures are left out)`)
process.exit(0)
