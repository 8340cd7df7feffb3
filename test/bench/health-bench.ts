/**
 * bench:health: what health checks and metrics cost in the main process. Prints figures; asserts nothing.
 *
 * 1. Checks: BENCH_CHECKS (200) HTTP checks against a local service (in a child process, so its CPU is
 *    not counted) run on their own jittered timers with a 5 s interval for BENCH_SECONDS (30), i.e. 12x
 *    the rate of 200 checks a minute; the main process's CPU time (process.cpuUsage) per run, and what
 *    200 runs a minute cost as a share of one core. Goal: under 5%.
 * 2. Metrics: 7 days of 15 s samples for 10 hosts (40,320 points each) written as the store keeps them,
 *    then loaded (a restart) and queried for 7 d as the charts ask: load and query time, points per chart.
 * 3. DigitalOcean API budget: BENCH_DROPLETS (20) droplets with the metrics agent, the Health area open with
 *    every droplet's charts on 1 h and 7 d asking metrics.droplet every 15 s, against the DigitalOcean stub
 *    over HTTP on a simulated clock (2 hours; the second is counted). Side by side: without the limiter's
 *    share (what the charts would ask for) and with the default limiter. Then the checks Dropdeck proposes
 *    for the stub's fleet, run 12x faster for BENCH_CHECK_SECONDS (60) on the real clock: their
 *    DigitalOcean calls, scaled to an hour. Also the charts as they ask (7 d only: 1 h comes from Dropdeck's own
 *    samples once a host has been connected an hour). Figures against the token's 5,000 calls an hour; goal < 10%.
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
import { DropletHistory } from '../../src/main/metrics/droplet-history'
import type { LimiterOptions } from '../../src/main/metrics/monitoring-limiter'
import { ProviderHttp } from '../../src/main/providers/http/provider-http'
import { DoApi, toDroplet } from '../../src/main/providers/digitalocean/do-api'
import { startDigitalOceanStub, startCloudflareStub } from '../fleet/provider-stubs'
import { fleetDroplets } from '../fleet/fleet-model'
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

const DROPLETS = Number(process.env.BENCH_DROPLETS ?? 20)
const CHECK_SECONDS = Number(process.env.BENCH_CHECK_SECONDS ?? 60)
const HOURLY_LIMIT = 5000

/** The monitoring calls of one simulated run: DROPLETS droplets' 1 h and 7 d charts polled every 15 s for 2 hours. */
async function monitoringRun(limiter: LimiterOptions | undefined, ranges: Array<'1h' | '7d'> = ['1h', '7d']): Promise<{ calls: number; refreshes1h: number; rateLimited: number; paced: number }> {
  const dos = await startDigitalOceanStub({ droplets: fleetDroplets(DROPLETS).map((d) => ({ ...d, features: [...new Set([...d.features, 'monitoring'])] })) })
  try {
    const api = new DoApi(new ProviderHttp({ provider: 'digitalocean', baseUrl: dos.url, token: async () => dos.token, fetch }))
    const droplets = (await api.listDroplets()).items.map((d) => toDroplet(d, { managedTag: 'x', managedTagEnforced: false }))
    let now = Date.now()
    const http = new ProviderHttp({ provider: 'digitalocean', baseUrl: dos.url, token: async () => dos.token, fetch, rateLimitRetries: 0 })
    const history = new DropletHistory({ http, hasToken: async () => true, dropletOf: async (name) => droplets.find((d) => d.name === name) ?? null, limiter, now: () => now })
    const names = droplets.map((d) => d.name)
    const t0 = now
    let countFrom = 0
    let rateLimited = 0
    let paced = 0
    const at = () => dos.requests.filter((r) => r.path.startsWith('/v2/monitoring/')).length
    for (let tick = 0; tick < 2 * 240; tick++) {
      now = t0 + tick * 15_000
      if (tick === 240) countFrom = at()
      const answers = await Promise.all(names.flatMap((n) => ranges.map((r) => history.get(n, r))))
      if (tick >= 240) {
        rateLimited += answers.filter((a) => a.status === 'rate-limited').length
        paced += answers.filter((a) => a.status === 'ok' && a.message).length
      }
    }
    const counted = dos.requests.filter((r) => r.path.startsWith('/v2/monitoring/')).slice(countFrom)
    const refreshes1h = counted.filter((r) => {
      const q = new URLSearchParams(r.query)
      return r.path.endsWith('/cpu') && Number(q.get('end')) - Number(q.get('start')) === 3600
    }).length
    return { calls: counted.length, refreshes1h, rateLimited, paced }
  } finally {
    await dos.stop()
  }
}

async function checksDoCalls(): Promise<{ calls: number; checks: number; perHour: number }> {
  const [dos, cf] = await Promise.all([startDigitalOceanStub({ droplets: DROPLETS }), startCloudflareStub()])
  const dir = await mkdtemp(join(tmpdir(), 'dd-bench-docalls-'))
  const services = createServices({ dataDir: dir, version: 'bench', keychain: memoryKeychain(), env: { DROPDECK_DO_API: dos.url, DROPDECK_CF_API: cf.url }, log: () => undefined, healthTuning: { checks: { firstRunWithinMs: 2_000 } } })
  const ctx = createCallContext('bench', services.bus)
  const call = async (method: string, params: unknown) => {
    const r = await services.router.call(method as never, params as never, ctx)
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`)
    return r.result as never
  }
  try {
    await services.secrets.set('digitalocean', dos.token)
    await services.secrets.set('cloudflare', cf.token)
    const proposals = (await call('checks.propose', {})) as Array<{ check: { intervalSeconds?: number } & Record<string, unknown> }>
    // 12x the default 60 s interval, so a minute here is 12 minutes of checks
    for (const p of proposals) await call('checks.create', { check: { ...p.check, intervalSeconds: 5, timeoutSeconds: 2 } })
    await new Promise((r) => setTimeout(r, 5_000))
    const from = dos.requests.length
    await new Promise((r) => setTimeout(r, CHECK_SECONDS * 1000))
    const calls = dos.requests.length - from
    return { calls, checks: proposals.length, perHour: (calls * 3600) / CHECK_SECONDS / 12 }
  } finally {
    await services.dispose()
    await Promise.all([dos.stop(), cf.stop()])
    await rm(dir, { recursive: true, force: true })
  }
}

async function budgetBench(): Promise<void> {
  const pct = (n: number) => `${((n / HOURLY_LIMIT) * 100).toFixed(1)}%`
  const demand = await monitoringRun({ share: 1, reserve: 0, burst: 1 })
  const limited = await monitoringRun(undefined)
  // what the Health charts ask in practice: DigitalOcean only where Dropdeck's own samples do not reach back (7 d for a host connected a while)
  const weekOnly = await monitoringRun(undefined, ['7d'])
  const checks = await checksDoCalls()
  console.log(`DigitalOcean API budget: ${DROPLETS} droplets with the agent, Health area open (1 h and 7 d charts asking every 15 s), 2 simulated hours, the second counted`)
  console.log(`  metrics.droplet without the limiter's share: ${demand.calls} calls/h = ${pct(demand.calls)} of ${HOURLY_LIMIT}/h; 1 h chart refreshed ${(demand.refreshes1h / DROPLETS).toFixed(1)}x/h a droplet`)
  console.log(`  metrics.droplet with the default limiter:    ${limited.calls} calls/h = ${pct(limited.calls)}; 1 h chart refreshed ${(limited.refreshes1h / DROPLETS).toFixed(1)}x/h a droplet (every ~${(60 / Math.max(1, limited.refreshes1h / DROPLETS)).toFixed(0)} min); answers paced (ok + message): ${limited.paced}, rate-limited: ${limited.rateLimited}`)
  console.log(`  as the charts ask for hosts connected over an hour (1 h from Dropdeck's own samples, 7 d from DigitalOcean): ${weekOnly.calls} calls/h = ${pct(weekOnly.calls)}`)
  console.log(`  checks (${checks.checks} proposed for the fleet, run 12x faster for ${CHECK_SECONDS} s): ${checks.calls} DigitalOcean calls = ${checks.perHour.toFixed(0)} calls/h at their 60 s interval`)
  const total = limited.calls + checks.perHour
  console.log(`  total with the Health area open: ${total.toFixed(0)} calls/h = ${pct(total)} of the hourly limit (goal < 10%); without the share: ${pct(demand.calls + checks.perHour)}`)
}

await checksBench()
await metricsBench()
await budgetBench()
process.exit(0)
