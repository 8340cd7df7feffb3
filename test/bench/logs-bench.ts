/**
 * bench:logs: a container on the bench prints log lines as fast as it can; the Logs view in Chromium
 * follows it through the real path (dockerd -> `docker system dial-stdio` over a real sshd -> the
 * Engine API stream -> demux, batching, acked events over the headless host's WebSocket -> the
 * renderer's merged list, following the newest line). Measures lines per second arriving in the
 * page, what was dropped on the way (counted by the streams' "dropped" notices), the page's long tasks
 * and frame times (PerformanceObserver and requestAnimationFrame in the page) and its JS heap over the
 * run. Prints figures; asserts nothing.
 *
 *   npm run bench:logs                   # 2,000,000 lines
 *   BENCH_LINES=500000 npm run bench:logs
 *   BENCH_PAGE_PROF=/tmp/page.cpuprofile npm run bench:logs   # the page's CPU profile too
 *   DROPDECK_RENDERER_DIR=/tmp/x/renderer BENCH_ADDRESS=127.0.48.40   # another build; the sshd's address
 *
 * The producer's own rate (the container, writing to docker's json-file log) is printed too: the end
 * to end rate cannot beat it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import type { Browser } from 'playwright-core'
import { dockerCall, dockerRequest } from '../fleet/docker-api'
import { BASE_IMAGE, FLEET_LABEL } from '../fleet/docker-seed'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { startLogBench, type LogBench } from '../logs/log-bench'
import { launchChromium, openPage } from '../support/browser'
import { runHost, type RunningHost } from '../support/host-harness'

const LINES = Number(process.env.BENCH_LINES ?? 2_000_000)

interface PageStats {
  received: number
  kept: number
  droppedNotices: number
  longTasks: number[]
  frames: number[]
  heap: { t: number; used: number }[]
}

/**
 * Installed before the app loads: long tasks, frame intervals, heap samples. A string, not a function:
 * tsx would wrap a function's inner functions in a helper the page does not have.
 */
const INSTRUMENT = `
  window.__bench = { longTasks: [], frames: [], heap: [] }
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__bench.longTasks.push(e.duration) }).observe({ type: 'longtask', buffered: true })
  let last = performance.now()
  const frame = (now) => { window.__bench.frames.push(now - last); last = now; requestAnimationFrame(frame) }
  requestAnimationFrame(frame)
  setInterval(() => { if (performance.memory) window.__bench.heap.push({ t: performance.now(), used: performance.memory.usedJSHeapSize }) }, 500)
`

function percentile(values: number[], p: number): number {
  if (!values.length) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`

async function main(): Promise<void> {
  const dir = mkdtempSync('/tmp/ddlb-')
  let keyring: SecretService | undefined
  let bench: LogBench | undefined
  let running: RunningHost | undefined
  let browser: Browser | undefined
  try {
    keyring = await startSecretService()
    Object.assign(process.env, keyring.env)
    // BENCH_ADDRESS: the loopback address of the bench's sshd (two benches at once need two).
    bench = await startLogBench(dir, process.env.BENCH_ADDRESS ?? '127.0.43.40')
    process.env.DROPDECK_SSH_CONFIG = writeSshClientFiles(dir, bench.droplets.droplets).sshConfigPath
    running = await runHost()
    browser = await launchChromium()
    const view = await openPage(browser, running.host.url)
    const { page } = view
    await page.addInitScript({ content: INSTRUMENT })
    await page.reload()
    await page.getByText('Connected', { exact: true }).waitFor()

    // The producer: created now, printing once the view follows it (tail=0 would miss nothing then).
    const name = 'log-flood'
    await dockerRequest(bench.docker.socketPath, 'DELETE', `/containers/${name}`, { query: { force: true } })
    const script = `while [ ! -e /tmp/go ]; do sleep 0.05; done; awk 'BEGIN { for (i = 1; i <= ${LINES}; i++) printf "GET /api/v1/items/%d 200 12ms upstream=10.0.0.3:8080 req=%08x\\n", i, i }'; sleep 3600`
    const created = await dockerCall(bench.docker.socketPath, 'POST', '/containers/create', {
      query: { name },
      body: {
        Image: BASE_IMAGE,
        Cmd: ['/bin/sh', '-c', script],
        Labels: { [FLEET_LABEL]: 'logs-bench' },
        // one file, no rotation during the run: docker's follow across a rotation can stall, which would measure docker
        HostConfig: { NetworkMode: 'host', LogConfig: { Type: 'json-file', Config: { 'max-size': '1g', 'max-file': '1' } } }
      }
    })
    const id = created.json<{ Id: string }>().Id
    await dockerCall(bench.docker.socketPath, 'POST', `/containers/${id}/start`)

    await page.keyboard.press('Alt+5')
    await page.getByLabel('Kind of log').selectOption('container')
    await page.locator('.logs-target').fill(name)
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    await page.getByRole('list', { name: 'Followed logs' }).getByText('following').waitFor({ timeout: 30_000 })
    await page.evaluate(() => {
      const b = (window as unknown as { __bench: { longTasks: number[]; frames: number[] } }).__bench
      b.longTasks.length = 0
      b.frames.length = 0
    })

    // BENCH_PAGE_PROF=file.cpuprofile: the page's CPU profile over the run (DevTools' Profiler).
    const cdp = process.env.BENCH_PAGE_PROF ? await page.context().newCDPSession(page) : undefined
    if (cdp) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.start')
    }

    // Go: the container starts printing.
    const goAt = Date.now()
    const exec = await dockerCall(bench.docker.socketPath, 'POST', `/containers/${id}/exec`, { body: { Cmd: ['touch', '/tmp/go'] } })
    await dockerCall(bench.docker.socketPath, 'POST', `/exec/${exec.json<{ Id: string }>().Id}/start`, { body: { Detach: true } })

    const read = () =>
      page.evaluate(() => {
        const w = window as unknown as { __dropdeckLogs: { received: number; store: { kept: number; viewLines(): { notice?: string; text: string }[] } }; __bench: { longTasks: number[]; frames: number[]; heap: { t: number; used: number }[] } }
        const notices = w.__dropdeckLogs.store.viewLines().filter((l) => l.notice === 'dropped')
        const droppedNotices = notices.reduce((n, l) => n + Number(/^([\d,]+) lines dropped/.exec(l.text)?.[1].replace(/,/g, '') ?? 0), 0)
        return { received: w.__dropdeckLogs.received, kept: w.__dropdeckLogs.store.kept, droppedNotices, longTasks: [...w.__bench.longTasks], frames: [...w.__bench.frames], heap: [...w.__bench.heap] }
      }) as Promise<PageStats>
    const resetPageCounters = () =>
      page.evaluate(() => {
        const b = (window as unknown as { __bench: { longTasks: number[]; frames: number[] } }).__bench
        b.longTasks.length = 0
        b.frames.length = 0
      })

    /** Polls the page until `expected` more lines arrived (or nothing came for 5 s). */
    const measure = async (expected: number) => {
      const base = await read()
      const t0 = Date.now()
      let first = 0
      let lastChange = Date.now()
      let last = base
      const samples: { t: number; received: number }[] = []
      for (;;) {
        await new Promise((r) => setTimeout(r, 250))
        const now = await read()
        if (now.received > base.received && !first) first = Date.now()
        if (now.received !== last.received) lastChange = Date.now()
        samples.push({ t: Date.now() - t0, received: now.received })
        last = now
        if (now.received - base.received + now.droppedNotices - base.droppedNotices >= expected) break
        if (first && Date.now() - lastChange > 5000) break // stalled: report what arrived
        if (Date.now() - t0 > 600_000) break
      }
      const seconds = (lastChange - (first || t0)) / 1000
      const peak = samples.reduce((best, x, i) => (i >= 4 ? Math.max(best, (x.received - samples[i - 4].received) / ((x.t - samples[i - 4].t) / 1000)) : best), 0)
      return { stats: last, delivered: last.received - base.received, dropped: last.droppedNotices - base.droppedNotices, seconds, peak }
    }

    const live = await measure(LINES)
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop')
      writeFileSync(process.env.BENCH_PAGE_PROF!, JSON.stringify(profile))
    }

    // The producer's own pace: docker's timestamp on the last line it logged, from when it was told to go.
    const lastLogged = await dockerRequest(bench.docker.socketPath, 'GET', `/containers/${id}/logs`, { query: { stdout: 1, timestamps: 1, tail: 1 } })
    const lastTs = Date.parse(/\d{4}-\d\d-\d\dT[\d:.]+Z/.exec(lastLogged.text)?.[0] ?? '')
    const producerSeconds = (lastTs - goAt) / 1000
    // Second run, without docker's logging pace in the way: the same lines again, already on disk, read
    // by a second stream as fast as the path allows (since = when the first run started).
    await resetPageCounters()
    await page.evaluate(([n, from]) => (window as unknown as { __dropdeckLogs: { add(h: string, s: unknown, f: number): Promise<unknown> } }).__dropdeckLogs.add('logs-droplet', { kind: 'container', id: n }, from), [name, goAt - 1000] as const)
    const replay = await measure(LINES)

    const report = (title: string, r: Awaited<ReturnType<typeof measure>>) => {
      const s = r.stats
      const longOver50 = s.longTasks.filter((d) => d > 50)
      console.log(`  ${title}`)
      console.log(`    delivered to the page   ${fmt(r.delivered)} lines in ${r.seconds.toFixed(2)} s = ${fmt(r.delivered / r.seconds)} lines/s (best 1 s window ${fmt(r.peak)})   goal 100,000`)
      console.log(`    dropped on the way      ${fmt(r.dropped)} (counted by "dropped" notices)`)
      console.log(`    long tasks              ${s.longTasks.length} (over 50 ms: ${longOver50.length}, longest ${s.longTasks.length ? Math.round(Math.max(...s.longTasks)) : 0} ms)   goal none over 50 ms`)
      console.log(`    frame time              p50 ${percentile(s.frames, 50).toFixed(1)} ms, p95 ${percentile(s.frames, 95).toFixed(1)} ms, max ${Math.max(0, ...s.frames).toFixed(1)} ms (${s.frames.length} frames)`)
    }
    const heap = replay.stats.heap
    console.log('')
    console.log(`bench:logs  ${fmt(LINES)} lines from one container, followed in the Logs view (Chromium, following); load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`)
    if (producerSeconds > 0) console.log(`  producer (container)      ${fmt(LINES)} lines logged by docker in ${producerSeconds.toFixed(2)} s = ${fmt(LINES / producerSeconds)} lines/s`)
    report('live, as the container prints:', live)
    report('replay of the same lines from docker\'s log (the path alone):', replay)
    console.log(`  JS heap                   start ${mb(heap.find((h) => h.t > 0)?.used ?? 0)}, peak ${mb(Math.max(0, ...heap.map((h) => h.used)))}, end ${mb(heap.at(-1)?.used ?? 0)} (list kept: ${fmt(replay.stats.kept)} of 50,000)`)
    console.log(`  page problems             ${view.problems.length ? view.problems.slice(0, 3).join(' | ') : 'none'}`)
  } finally {
    await browser?.close()
    await running?.stop()
    await bench?.stop()
    await keyring?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
