/**
 * bench:health: what health checks and metrics cost in the main process. Prints figures; asserts nothing.
 *
 * 1. Checks: BENCH_CHECKS (200) HTTP checks against a local service (in a child process, so its CPU is
 *    not counted) run on their own jittered timers with a 5 s interval for BENCH_SECONDS (30), i.e. 12x
 *    the rate of 200 checks a minute; the main process's CPU time (process.cpuUsage) per run, and what
 *    200 runs a minute cost as a share of one core. Goal: under 5%.
 * 2. Metrics: 7 days of 15 s samples for 10 hosts (40,320 points each) written as the store keeps them,
 *    then loaded (a restart) and queried for 7 d as the charts ask: load and query time, points per chart.
 *
 *   npm run bench:health
 *   BENCH_CHECKS=400 BENCH_SECONDS=60 npm run bench:health
 */
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createServices } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import { MetricsStore } from '../../src/main/metrics/metrics-store'
import type { MetricPoint } from '../../src/shared/contract'
import { memoryKeychain } from '../ssh/support/ssh-env'

const CHECKS = Number(process.env.BENCH_CHECKS ?? 200)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30)
const HOST = '127.0.55.9'

async function startService(): Promise<{ url: string; hits: () => Promise<number>; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', `const http=require('node:http');let n=0;const s=http.createServer((q,r)=>{n++;r.end('{"status":"ok"}')});s.listen(0,'${HOST}',()=>process.send({port:s.address().port}));process.on('message',()=>process.send({hits:n}))`], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)))
  return {
    url: `http://${HOST}:${port}/health`,
    hits: () =>
      new Promise((resolve) => {
        child.once('message', (m: { hits: number }) => resolve(m.hits))
        child.send('hits')
      }),
    stop: () => child.kill()
  }
}

async function checksBench(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'dd-bench-health-'))
  const service = await startService()
  const services = createServices({ dataDir: dir, version: 'bench', keychain: memoryKeychain(), env: {}, log: () => undefined, healthTuning: { checks: { firstRunWithinMs: 5_000 } } })
  const ctx = createCallContext('bench', services.bus)
  for (let i = 0; i < CHECKS; i++) {
    const r = await services.router.call('checks.create', { check: { kind: 'http', name: `check ${i}`, url: `${service.url}?i=${i}`, intervalSeconds: 5, jsonPath: 'status', jsonEquals: 'ok' } }, ctx)
    if (!r.ok) throw new Error(r.error.message)
  }
  await new Promise((r) => setTimeout(r, 6_000)) // every check has started its timer
  const hits0 = await service.hits()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await new Promise((r) => setTimeout(r, SECONDS * 1000))
  const cpu = process.cpuUsage(cpu0)
  const wallMs = performance.now() - t0
  const runs = (await service.hits()) - hits0
  const cpuMs = (cpu.user + cpu.system) / 1000
  const perRunMs = cpuMs / runs
  console.log(`checks: ${CHECKS} HTTP checks every 5 s (±10%) for ${(wallMs / 1000).toFixed(1)} s: ${runs} runs (${((runs / wallMs) * 60_000).toFixed(0)}/min)`)
  console.log(`  main-process CPU ${cpuMs.toFixed(0)} ms = ${((cpuMs / wallMs) * 100).toFixed(1)}% of one core; ${perRunMs.toFixed(3)} ms per run`)
  console.log(`  200 checks a minute ≈ ${(((perRunMs * 200) / 60_000) * 100).toFixed(2)}% of one core (goal < 5%)`)
  await services.dispose()
  service.stop()
  await rm(dir, { recursive: true, force: true })
}

async function metricsBench(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'dd-bench-metrics-'))
  const now = Date.now()
  const perHost = (7 * 86_400_000) / 15_000
  await mkdir(join(dir, 'metrics'), { recursive: true })
  const tw = performance.now()
  for (let h = 0; h < 10; h++) {
    const lines: string[] = []
    for (let i = 0; i < perHost; i++) {
      const p: MetricPoint = { t: now - (perHost - i) * 15_000, cpu: (i * 7) % 100, load1: ((i % 50) / 10), mem: 40 + (i % 30), swap: 0, disk: 60 + (i % 20), rx: i % 10_000, tx: i % 5_000 }
      lines.push(JSON.stringify(p))
    }
    await writeFile(join(dir, 'metrics', `host-${h}.jsonl`), `${lines.join('\n')}\n`)
  }
  const writeMs = performance.now() - tw
  const store = new MetricsStore(dir, () => undefined)
  const tl = performance.now()
  const first = await Promise.all(Array.from({ length: 10 }, (_, h) => store.query(`host-${h}`, '7d')))
  const loadMs = performance.now() - tl
  const tq = performance.now()
  const again = await Promise.all(Array.from({ length: 10 }, (_, h) => store.query(`host-${h}`, '7d')))
  const queryMs = performance.now() - tq
  console.log(`metrics: 10 hosts x ${perHost} samples (7 d at 15 s), files written in ${writeMs.toFixed(0)} ms`)
  console.log(`  load after a restart + first 7 d query, all 10 hosts: ${loadMs.toFixed(0)} ms; a warm 7 d query of all 10: ${queryMs.toFixed(1)} ms`)
  console.log(`  points per host chart for 7 d: ${first[0].points.length} (${again[0].stepSeconds} s averages); 10 hosts x 5 charts = ${first.reduce((s, r) => s + r.points.length, 0) * 5} points drawn`)
  await rm(dir, { recursive: true, force: true })
}

await checksBench()
await metricsBench()
process.exit(0)
