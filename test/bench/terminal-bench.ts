/**
 * bench:terminal: how fast a large `cat` gets through a remote PTY into xterm.js in Chromium through
 * the real app (bench sshd -> pooled SSH connection -> main's acknowledged flow control -> WebSocket ->
 * the app's xterm), against writing the same bytes straight into an xterm.js in the same page with the
 * same renderer, addons, scrollback and flow-control window (the ceiling); medians of alternating rounds and
 * the ratio. Then keystroke echo latency (key press to the echoed character in the DOM) for a remote
 * and a local shell: median and p95. Prints figures; asserts nothing.
 *
 *   npm run build && npm run bench:terminal
 *   BENCH_MB=100 BENCH_ROUNDS=5 BENCH_KEYS=100 npm run bench:terminal
 *   BENCH_RENDERER=dom   # throughput with xterm's DOM renderer instead of WebGL
 *   BENCH_PROFILE=1      # extra rounds: CPU per process (Chromium's renderer, GPU, network; sshd; app main),
 *                        # the page's CPU profile and Performance metrics, for the app and the ceiling
 *   BENCH_TRACE=1        # extra rounds under a devtools.timeline trace: the renderer main thread's task kinds
 *   DROPDECK_RENDERER_DIR=/tmp/x/renderer   # a renderer built elsewhere (electron-vite build --outDir /tmp/x)
 *   BENCH_ADDRESS=127.0.48.20               # the bench sshd's loopback address
 *   BENCH_ECHO_ONLY=1                       # only the keystroke echo
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { repoRoot } from '../support/host-harness'
import { startSshApp, type SshApp } from '../support/ssh-app'

const MB = Number(process.env.BENCH_MB ?? 64)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const KEYS = Number(process.env.BENCH_KEYS ?? 60)
const FORCE_DOM = process.env.BENCH_RENDERER === 'dom'
const PROFILE = !!process.env.BENCH_PROFILE
/** BENCH_ECHO_ONLY=1: only the keystroke echo (no throughput rounds). */
const ECHO_ONLY = process.env.BENCH_ECHO_ONLY === '1'
/** The app's flow-control window: main pauses the shell above this many un-acked bytes. */
const WINDOW = 512 * 1024
const CHUNK = 64 * 1024

const median = (xs: number[]) => percentile(xs, 50)
function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}
const fmt = (n: number, digits = 1) => n.toFixed(digits)
const visiblePane = '.term-pane:not([hidden])'

async function openTab(page: Page, label: string): Promise<string> {
  await page.getByLabel('Host', { exact: true }).selectOption({ label })
  const before = await page.locator('.term-pane').count()
  await page.getByRole('button', { name: 'New terminal' }).click()
  await page.locator('.term-pane').nth(before).waitFor({ state: 'attached' })
  for (let i = 0; i < 300; i++) {
    const id = await page.locator(visiblePane).getAttribute('data-terminal')
    if (id) return id
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`no terminal opened on ${label}`)
}

/** terminals.data events main sent during the app rounds, to show how finely the output was cut. */
const appEvents = { count: 0, bytes: 0, full: 0 }
/** Un-acked bytes sampled every 5 ms during the app rounds: near the window means the page is the bottleneck. */
const inFlight = { samples: 0, sum: 0, paused: 0 }

/** The app path: type `cat`, time until the marker is out and every byte is acked (parsed by xterm). */
async function catThroughApp(app: SshApp, id: string, file: string, round: number): Promise<number> {
  const { page } = app.view
  const { services } = app.running
  const marker = `bench-done-${round}-${round * 7}`
  let tail = ''
  let seen = false
  const off = services.bus.subscribe((event, payload) => {
    if (event !== 'terminals.data') return
    const p = payload as { id: string; data: string; bytes: number }
    if (p.id !== id) return
    appEvents.count += 1
    appEvents.bytes += p.bytes
    if (p.bytes === CHUNK) appEvents.full += 1
    tail = (tail + p.data).slice(-400)
    if (tail.includes(marker)) seen = true
  })
  try {
    await page.locator(`${visiblePane} .xterm-helper-textarea`).focus()
    await page.keyboard.type(`clear; cat ${file}; echo bench-done-${round}-$((${round}*7))`)
    await new Promise((r) => setTimeout(r, 300))
    const started = performance.now()
    await page.keyboard.press('Enter')
    for (;;) {
      const { unacked, paused } = services.ssh.terminals.stats(id)
      if (seen && unacked === 0) break
      inFlight.samples += 1
      inFlight.sum += unacked
      if (paused) inFlight.paused += 1
      await new Promise((r) => setTimeout(r, 5))
    }
    return performance.now() - started
  } finally {
    off()
  }
}

/** The ceiling: the same bytes, in the same 64 KB pieces, written straight into an xterm.js in the page. */
async function loadCeiling(page: Page, chunks: string[], renderer: string): Promise<void> {
  const require = createRequire(import.meta.url)
  const addons = ['@xterm/addon-fit/lib/addon-fit.js', '@xterm/addon-webgl/lib/addon-webgl.js', '@xterm/addon-unicode11/lib/addon-unicode11.js', '@xterm/addon-search/lib/addon-search.js', '@xterm/addon-web-links/lib/addon-web-links.js']
  for (const mod of ['@xterm/xterm/lib/xterm.js', ...addons]) {
    // Evaluated over CDP: the app's CSP (script-src 'self') rightly refuses inline script tags.
    await page.evaluate(readFileSync(require.resolve(mod), 'utf8'))
  }
  await page.evaluate(() => ((window as unknown as { benchChunks: string[] }).benchChunks = []))
  for (let i = 0; i < chunks.length; i += 32) {
    await page.evaluate((batch) => (window as unknown as { benchChunks: string[] }).benchChunks.push(...batch), chunks.slice(i, i + 32))
  }
  await page.evaluate(({ pane, webgl }) => {
    type Ctor = new (options?: object) => { loadAddon(a: unknown): void; open(el: HTMLElement): void; unicode: { activeVersion: string } }
    const w = window as unknown as {
      Terminal: Ctor
      FitAddon: { FitAddon: new () => { fit(): void } }
      WebglAddon: { WebglAddon: new () => unknown }
      Unicode11Addon: { Unicode11Addon: new () => unknown }
      SearchAddon: { SearchAddon: new () => unknown }
      WebLinksAddon: { WebLinksAddon: new () => unknown }
      benchTerm: unknown
    }
    const box = document.querySelector(pane)!.getBoundingClientRect()
    const host = document.createElement('div')
    host.style.cssText = `position:fixed;left:${box.left}px;top:${box.top}px;width:${box.width}px;height:${box.height}px;z-index:9999;background:#16161a`
    document.body.appendChild(host)
    const styles = getComputedStyle(document.documentElement)
    const term = new w.Terminal({ fontFamily: styles.getPropertyValue('--font-mono').trim(), fontSize: 13, scrollback: 10_000, allowProposedApi: true })
    // The same addons as the app's terminals, so the ceiling parses the same way (Unicode 11 widths).
    const fit = new w.FitAddon.FitAddon()
    term.loadAddon(fit)
    term.loadAddon(new w.SearchAddon.SearchAddon())
    term.loadAddon(new w.WebLinksAddon.WebLinksAddon())
    term.loadAddon(new w.Unicode11Addon.Unicode11Addon())
    term.unicode.activeVersion = '11'
    term.open(host)
    if (webgl) term.loadAddon(new w.WebglAddon.WebglAddon())
    fit.fit()
    w.benchTerm = term
  }, { pane: visiblePane, webgl: renderer === 'webgl' })
}

async function catIntoCeiling(page: Page): Promise<number> {
  return page.evaluate(({ window: limit }) => {
    type Term = { write(data: string, done: () => void): void; clear(): void }
    const w = window as unknown as { benchTerm: Term; benchChunks: string[] }
    const term = w.benchTerm
    term.clear()
    return new Promise<number>((resolve) => {
      const started = performance.now()
      let next = 0
      let pending = 0
      let done = 0
      const pump = () => {
        while (pending < limit && next < w.benchChunks.length) {
          const chunk = w.benchChunks[next++]
          pending += chunk.length
          term.write(chunk, () => {
            pending -= chunk.length
            if (++done === w.benchChunks.length) resolve(performance.now() - started)
            else pump()
          })
        }
      }
      pump()
    })
  }, { window: WINDOW })
}

/**
 * Marks, in the page, when the key's terminals.write left over the WebSocket and when the first
 * terminals.data came back, so an echo splits into page-in (key to send), round trip (main, the
 * shell and the transport) and page-out (data in to the character in the DOM: xterm's parse and draw).
 */
const ECHO_MARKS = `(() => {
  const Base = window.WebSocket
  if (!Base || Base.__benchMarks) return
  const send = Base.prototype.send
  Base.prototype.send = function (d) {
    if (window.__benchArmed && !window.__benchSent && typeof d === 'string' && d.includes('terminals.write')) window.__benchSent = performance.now()
    return send.call(this, d)
  }
  class Marked extends Base {
    constructor(...a) {
      super(...a)
      this.addEventListener('message', (e) => {
        if (window.__benchSent && !window.__benchRecv && typeof e.data === 'string' && e.data.includes('terminals.data')) window.__benchRecv = performance.now()
      })
    }
  }
  Marked.__benchMarks = true
  window.WebSocket = Marked
  // The first animation frame asked for after the data came (xterm's render), and when it ran.
  const raf = window.requestAnimationFrame.bind(window)
  window.requestAnimationFrame = (cb) => {
    const asked = performance.now()
    if (window.__benchRecv && !window.__benchFrameAsked) window.__benchFrameAsked = asked
    return raf((t) => {
      if (window.__benchFrameAsked === asked && !window.__benchFrameRan) window.__benchFrameRan = performance.now()
      cb(t)
    })
  }
})()`

interface EchoSample {
  total: number
  /** key down to terminals.write sent */
  pageIn: number
  /** sent to the first terminals.data received */
  roundTrip: number
  /** received to the character in the DOM */
  pageOut: number
  /** of pageOut: from xterm asking for an animation frame (its render) to that frame running */
  frameWait: number
}

/** Key press to the echoed character in the terminal's DOM rows, `keys` times. */
async function echoLatency(page: Page, keys: number): Promise<EchoSample[]> {
  const samples: EchoSample[] = []
  await page.locator(`${visiblePane} .xterm-helper-textarea`).focus()
  for (let i = 0; i < keys; i++) {
    if (i % 30 === 0) {
      await page.keyboard.press('Control+U') // a short line: the next echoes land on a clean prompt
      await new Promise((r) => setTimeout(r, 200))
    }
    // Arm the watch first (listener and observer in place), then press, then collect.
    await page.evaluate((pane) => {
      const w = window as unknown as { benchEcho: Promise<EchoSample>; __benchArmed: boolean; __benchSent: number; __benchRecv: number; __benchFrameAsked: number; __benchFrameRan: number }
      w.__benchArmed = true
      w.__benchSent = 0
      w.__benchRecv = 0
      w.__benchFrameAsked = 0
      w.__benchFrameRan = 0
      w.benchEcho = new Promise<EchoSample>((resolve, reject) => {
        const rows = document.querySelector(`${pane} .xterm-rows`)
        if (!rows) return reject(new Error('no DOM rows: the latency needs the DOM renderer'))
        const count = () => (rows.textContent?.match(/q/g) ?? []).length
        const before = count()
        let started = 0
        document.addEventListener('keydown', () => (started = performance.now()), { capture: true, once: true })
        const observer = new MutationObserver(() => {
          if (started && count() > before) {
            observer.disconnect()
            const done = performance.now()
            w.__benchArmed = false
            const sent = w.__benchSent || started
            const recv = w.__benchRecv || sent
            const frameWait = w.__benchFrameAsked && w.__benchFrameRan ? w.__benchFrameRan - w.__benchFrameAsked : NaN
            resolve({ total: done - started, pageIn: sent - started, roundTrip: recv - sent, pageOut: done - recv, frameWait })
          }
        })
        observer.observe(rows, { childList: true, subtree: true, characterData: true })
        setTimeout(() => reject(new Error(`no echo within 5 s (screen: ${rows.textContent?.replace(/\s+/g, ' ').slice(-120)})`)), 5000)
      })
      w.benchEcho.catch(() => undefined)
    }, visiblePane)
    await page.keyboard.press('q')
    samples.push(await page.evaluate(() => (window as unknown as { benchEcho: Promise<EchoSample> }).benchEcho))
    await new Promise((r) => setTimeout(r, 30))
  }
  await page.keyboard.press('Control+U')
  return samples
}

function echoLine(label: string, xs: EchoSample[]): string {
  const m = (k: keyof EchoSample) => fmt(median(xs.map((x) => x[k])))
  const waits = xs.map((x) => x.frameWait).filter((x) => !Number.isNaN(x))
  return `  echo latency, ${label.padEnd(25)} median ${m('total')} ms   p95 ${fmt(percentile(xs.map((x) => x.total), 95))} ms   (medians: key to send ${m('pageIn')}, round trip ${m('roundTrip')}, data to DOM ${m('pageOut')} ms, of which waiting for the frame ${waits.length ? fmt(median(waits)) : '?'} ms)`
}

/** CPU seconds used so far by this process's descendants (Chromium's processes, sshd, the shell), by kind. */
function descendantCpu(): Map<string, number> {
  const procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      // Chromium rewrites its argv into one string: read the process type out of it.
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      const type = /--type=(\S+)/.exec(cmd)?.[1]
      const utilityKind = /--utility-sub-type=\S*?\.(\w+)(\s|\0|$)/.exec(cmd)?.[1]
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
      const kind = /chrom/i.test(comm) || type ? `chromium ${type === 'utility' ? utilityKind ?? type : type ?? 'browser'}` : comm
      return [{ pid: Number(pid), ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / 100, kind }]
    } catch {
      return []
    }
  })
  const mine = new Set([process.pid])
  for (let grew = true; grew; ) {
    grew = false
    for (const p of procs) {
      if (mine.has(p.pid) || !mine.has(p.ppid)) continue
      mine.add(p.pid)
      grew = true
    }
  }
  const byKind = new Map<string, number>()
  for (const p of procs) if (mine.has(p.pid) && p.pid !== process.pid) byKind.set(p.kind, (byKind.get(p.kind) ?? 0) + p.cpu)
  return byKind
}

/** Runs a round and prints the CPU each kind of process used in it, with this process's own. */
async function cpuOfRound(label: string, round: () => Promise<number>): Promise<void> {
  const before = descendantCpu()
  const own = process.cpuUsage()
  const ms = await round()
  const used = process.cpuUsage(own)
  const after = descendantCpu()
  const parts = [...after].map(([kind, s]) => [kind, s - (before.get(kind) ?? 0)] as const).filter(([, s]) => s >= 0.05).sort((a, b) => b[1] - a[1])
  console.log(`${label} round ${fmt(ms, 0)} ms; CPU ms: ${parts.map(([kind, s]) => `${kind} ${fmt(s * 1000, 0)}`).join(', ')}, app main + bench ${fmt((used.user + used.system) / 1000, 0)}`)
}

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/** One more round under the page's CPU profiler; prints the functions with the most self time. */
async function profileRound(page: Page, label: string, round: () => Promise<number>): Promise<void> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
  await cdp.send('Performance.enable')
  const metrics = async () => new Map(((await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> }).metrics.map((m) => [m.name, m.value]))
  const before = await metrics()
  const nodeBefore = process.cpuUsage()
  await cdp.send('Profiler.start')
  const ms = await round()
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile }
  const node = process.cpuUsage(nodeBefore)
  const after = await metrics()
  const spent = (name: string) => `${name.replace('Duration', '')} ${fmt(((after.get(name) ?? 0) - (before.get(name) ?? 0)) * 1000, 0)} ms`
  console.log(`${label} round: page ${['TaskDuration', 'ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration'].map(spent).join(', ')}; this process (app main + bench) CPU ${fmt((node.user + node.system) / 1000, 0)} ms`)
  await cdp.detach()
  const self = new Map<number, number>()
  profile.samples.forEach((node, i) => self.set(node, (self.get(node) ?? 0) + (profile.timeDeltas[i] ?? 0)))
  const byFunction = new Map<string, number>()
  let total = 0
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0
    total += us
    const { functionName, url, lineNumber } = node.callFrame
    const key = `${functionName || '(anonymous)'} ${url.split('/').pop() ?? ''}:${lineNumber + 1}`
    byFunction.set(key, (byFunction.get(key) ?? 0) + us)
  }
  console.log(`profile of one ${label} round (${fmt(ms, 0)} ms): self time by function`)
  for (const [key, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 16)) {
    console.log(`  ${fmt((100 * us) / total)}%  ${fmt(us / 1000, 0)} ms  ${key}`)
  }
}

async function main(): Promise<void> {
  // DROPDECK_RENDERER_DIR: a renderer built elsewhere (an A/B of two builds); runHost serves it.
  const rendererDir = process.env.DROPDECK_RENDERER_DIR || join(repoRoot, 'out/renderer')
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error(`No renderer build in ${rendererDir}: run \`npm run build\` first.`)
  const dir = mkdtempSync(join(tmpdir(), 'dd-bench-term-'))
  const file = join(dir, 'big.txt')
  // Random bytes as base64 lines of 120 characters: printable, incompressible, one byte per character.
  execFileSync('bash', ['-c', `head -c ${Math.round((MB * 1024 * 1024 * 3) / 4)} /dev/urandom | base64 -w 120 > ${file}`])
  const bytes = statSync(file).size
  const text = readFileSync(file, 'latin1').replace(/\n/g, '\r\n') // what the PTY's onlcr makes of it
  const chunks: string[] = []
  for (let i = 0; i < text.length; i += CHUNK) chunks.push(text.slice(i, i + CHUNK))

  // BENCH_ADDRESS: the loopback address of the bench's sshd (two benches at once need two).
  const app = await startSshApp(process.env.BENCH_ADDRESS ?? '127.0.45.20')
  try {
    const { page } = app.view
    // tsx keeps function names with an `__name` helper that the page lacks; give it a stand-in.
    await page.addInitScript('globalThis.__name = (fn) => fn')
    await page.evaluate('globalThis.__name = (fn) => fn')
    if (FORCE_DOM) {
      await page.addInitScript(() => Reflect.deleteProperty(window, 'WebGL2RenderingContext'))
      await page.reload()
      await page.getByText('Connected', { exact: true }).waitFor()
    }
    await page.keyboard.press('Alt+6')
    const host = app.droplets.droplets[0].name
    await page.getByLabel('Host', { exact: true }).locator('option', { hasText: host }).first().waitFor({ state: 'attached', timeout: 15_000 })
    const id = ECHO_ONLY ? '' : await openTab(page, host)
    const renderer = ECHO_ONLY ? 'dom' : ((await page.locator(visiblePane).getAttribute('data-renderer')) ?? 'dom')
    if (!ECHO_ONLY) await loadCeiling(page, chunks, renderer)
    await page.evaluate(() => document.body.lastElementChild instanceof HTMLElement && (document.body.lastElementChild.style.visibility = 'hidden'))

    const app_ms: number[] = []
    const ceiling_ms: number[] = []
    for (let round = 1; round <= (ECHO_ONLY ? 0 : ROUNDS); round++) {
      // Alternate which goes first, so a warm cache or a busy core favours neither.
      const order = round % 2 ? ['app', 'ceiling'] : ['ceiling', 'app']
      for (const which of order) {
        if (which === 'app') {
          app_ms.push(await catThroughApp(app, id, file, round))
        } else {
          await page.evaluate(() => document.body.lastElementChild instanceof HTMLElement && (document.body.lastElementChild.style.visibility = 'visible'))
          ceiling_ms.push(await catIntoCeiling(page))
          await page.evaluate(() => document.body.lastElementChild instanceof HTMLElement && (document.body.lastElementChild.style.visibility = 'hidden'))
        }
      }
      console.error(`round ${round}: app ${fmt(app_ms.at(-1)!, 0)} ms, ceiling ${fmt(ceiling_ms.at(-1)!, 0)} ms`)
    }
    if (PROFILE) {
      await cpuOfRound('app', () => catThroughApp(app, id, file, 97))
      await page.evaluate(() => document.body.lastElementChild instanceof HTMLElement && (document.body.lastElementChild.style.visibility = 'visible'))
      await cpuOfRound('ceiling', () => catIntoCeiling(page))
      await page.evaluate(() => document.body.lastElementChild instanceof HTMLElement && (document.body.lastElementChild.style.visibility = 'hidden'))
    }
    if (process.env.BENCH_TRACE) {
      const browser = page.context().browser()!
      for (const which of ['app', 'ceiling']) {
        if (which === 'ceiling') await page.evaluate(() => document.body.lastElementChild instanceof HTMLElement && (document.body.lastElementChild.style.visibility = 'visible'))
        await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] })
        const ms = which === 'app' ? await catThroughApp(app, id, file, 98) : await catIntoCeiling(page)
        const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: Array<{ name: string; ph: string; dur?: number; pid: number; tid: number; args?: { name?: string } }> }
        if (which === 'ceiling') await page.evaluate(() => document.body.lastElementChild instanceof HTMLElement && (document.body.lastElementChild.style.visibility = 'hidden'))
        const main = trace.traceEvents.filter((e) => e.ph === 'M' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`)
        const sums = new Map<string, { n: number; us: number }>()
        for (const e of trace.traceEvents) {
          if (e.ph !== 'X' || !main.includes(`${e.pid}:${e.tid}`)) continue
          const entry = sums.get(e.name) ?? { n: 0, us: 0 }
          entry.n += 1
          entry.us += e.dur ?? 0
          sums.set(e.name, entry)
        }
        console.log(`trace of one ${which} round (${fmt(ms, 0)} ms), renderer main thread, inclusive:`)
        for (const [name, { n, us }] of [...sums].sort((a, b) => b[1].us - a[1].us).slice(0, 18)) console.log(`  ${fmt(us / 1000, 0)} ms  ${n}x  ${name}`)
      }
    }
    if (PROFILE) {
      await profileRound(page, 'app', () => catThroughApp(app, id, file, 99))
      await page.evaluate(() => document.body.lastElementChild instanceof HTMLElement && (document.body.lastElementChild.style.visibility = 'visible'))
      await profileRound(page, 'ceiling', () => catIntoCeiling(page))
      await page.evaluate(() => document.body.lastElementChild instanceof HTMLElement && (document.body.lastElementChild.style.visibility = 'hidden'))
    }
    const mbps = (ms: number) => bytes / 1e6 / (ms / 1000)
    const appMbps = mbps(median(app_ms))
    const ceilingMbps = mbps(median(ceiling_ms))

    // Echo latency needs DOM rows to watch: a page without WebGL2, so xterm draws with the DOM.
    await page.addInitScript(() => Reflect.deleteProperty(window, 'WebGL2RenderingContext'))
    await page.addInitScript(ECHO_MARKS)
    await page.reload()
    await page.getByText('Connected', { exact: true }).waitFor()
    await page.keyboard.press('Alt+6')
    await page.getByLabel('Host', { exact: true }).locator('option', { hasText: host }).first().waitFor({ state: 'attached', timeout: 15_000 })
    await openTab(page, host)
    await new Promise((r) => setTimeout(r, 500))
    const remote = await echoLatency(page, KEYS)
    await openTab(page, 'This machine (local shell)')
    await new Promise((r) => setTimeout(r, 500))
    const local = await echoLatency(page, KEYS)

    console.log(`bench:terminal  (${fmt(bytes / 1e6)} MB of base64 text, ${ROUNDS} rounds, renderer ${renderer}, ${KEYS} keys per shell)`)
    if (!ECHO_ONLY) console.log(`  cat through a remote PTY and the app   median ${fmt(appMbps)} MB/s   (${app_ms.map((ms) => fmt(mbps(ms))).join(', ')})`)
    if (!ECHO_ONLY) console.log(`  straight into xterm.js (ceiling)       median ${fmt(ceilingMbps)} MB/s   (${ceiling_ms.map((ms) => fmt(mbps(ms))).join(', ')})`)
    if (!ECHO_ONLY) console.log(`  ratio app / ceiling                    ${fmt(appMbps / ceilingMbps, 2)}x`)
    if (!ECHO_ONLY) console.log(`  terminals.data events (app rounds)     ${appEvents.count}, mean ${fmt(appEvents.bytes / Math.max(1, appEvents.count) / 1024)} KB, ${appEvents.full} of 64 KB; un-acked mean ${fmt(inFlight.sum / Math.max(1, inFlight.samples) / 1024, 0)} KB, shell paused in ${fmt((100 * inFlight.paused) / Math.max(1, inFlight.samples), 0)}% of samples`)
    console.log(echoLine('remote shell (bench sshd)', remote))
    console.log(echoLine('local shell (node-pty)', local))
    const frame = 1000 / 60
    const rtt = median(remote.map((x) => x.roundTrip))
    console.log(`  echo goal (issue 13): within one frame (${fmt(frame)} ms) plus the round trip -> remote ${fmt(median(remote.map((x) => x.total)))} vs ${fmt(frame + rtt)} ms (${median(remote.map((x) => x.total)) <= frame + rtt ? 'met' : 'not met'}), local ${fmt(median(local.map((x) => x.total)))} vs ${fmt(frame + median(local.map((x) => x.roundTrip)))} ms (${median(local.map((x) => x.total)) <= frame + median(local.map((x) => x.roundTrip)) ? 'met' : 'not met'})`)
  } finally {
    await app.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`bench:terminal failed: ${err.stack ?? err.message}`)
    process.exit(1)
  }
)
