/// <reference lib="dom" />
/**
 * bench:charts: how long the Health area takes to draw 7 days of metrics for 10 hosts, in Debian's
 * Chromium with the built renderer (out/renderer, served by the headless host). The page's WebSocket is
 * answered by this script (playwright's routeWebSocket) with 10 connected hosts and, for each, the 299
 * points a 7-day metrics.host answer has (33.75-minute means), so only the renderer is measured: from the
 * Alt+8 keydown to the frame after the lines of every host whose charts are on screen are in the DOM
 * (charts further down are drawn when they come within a screen of the view).
 * Prints figures; asserts nothing beyond the charts appearing. Goal: under 200 ms.
 *
 *   npm run bench:charts
 *   BENCH_RUNS=5 BENCH_HOSTS=10 BENCH_POINTS=299    runs, hosts, points a series
 *   BENCH_PROFILE=1                                  the renderer's top functions by self time (CDP profiler)
 *   BENCH_DEBUG=1                                    time to the first card, per run
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { WebSocketRoute } from 'playwright-core'
import { defaultSettings, type MetricPoint } from '../../src/shared/contract'
import { launchChromium } from '../support/browser'
import { repoRoot, runHost } from '../support/host-harness'

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const HOSTS = Number(process.env.BENCH_HOSTS ?? 10)

if (!existsSync(join(repoRoot, 'out/renderer/index.html'))) throw new Error('out/renderer is missing: run npm run build first')

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

const running = await runHost()
const browser = await launchChromium()
const times: number[] = []
let drawnHosts = 0
try {
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } })
    await context.routeWebSocket(/\/rpc/, (ws) => ws.onMessage((m) => answer(ws, m)))
    const page = await context.newPage()
    await page.goto(running.host.url)
    await page.getByText('Droplets', { exact: true }).first().waitFor()
    // A string, not a function: tsx would wrap a function's inner helpers in its own __name.
    const done = page.evaluate(`new Promise((resolve) => {
      let start = 0
      window.addEventListener('keydown', (e) => { start = start || e.timeStamp }, { capture: true, once: true })
      let first = 0
      const mo = new MutationObserver(() => {
        if (!first && document.querySelector('.hcard')) { first = performance.now(); window.__firstCard = first - start }
        // Charts are drawn when they come near the view: wait for those on screen.
        const sections = [...document.querySelectorAll('.hcharts')]
        const near = sections.filter((el) => el.getBoundingClientRect().top < innerHeight)
        if (sections.length < ${HOSTS} || near.some((el) => el.querySelectorAll('.recharts-line-curve').length < 6)) return
        mo.disconnect()
        requestAnimationFrame(() => setTimeout(() => resolve([performance.now() - start, near.length])))
      })
      mo.observe(document.body, { childList: true, subtree: true })
    })`) as Promise<[number, number]>
    const cdp = process.env.BENCH_PROFILE ? await context.newCDPSession(page) : undefined
    if (cdp) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.start')
    }
    await page.keyboard.press('Alt+8')
    const [ms, drawn] = await done
    times.push(ms)
    drawnHosts = drawn
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
    if (process.env.BENCH_DEBUG) console.log('first card after', await page.evaluate('window.__firstCard'), 'ms; all lines after', times.at(-1), 'ms')
    await context.close()
  }
} finally {
  await browser.close()
  await running.stop()
}
const sorted = [...times].sort((a, b) => a - b)
console.log(`charts: ${HOSTS} hosts, 5 charts each, 7 days (${points.length} points a series): Alt+8 to the charts on screen drawn (${drawnHosts} hosts, ${drawnHosts * 6} lines; the others draw as they scroll near), ${RUNS} runs`)
console.log(`  median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms, min ${sorted[0].toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms (goal < 200 ms)`)
process.exit(0)
