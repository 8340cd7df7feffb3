/**
 * bench:fleet: list 1,000 droplets from the DigitalOcean stub with 50 ms added latency per request,
 * through the real droplets service (router, settings, provider HTTP layer), against the floor:
 * one page round trip (GET /v2/droplets?per_page=200) with the same fetch. Prints medians, the
 * ratio to the floor and the requests made, in three cases:
 * - first list ever (new install): page 1 says how many pages there are, then the rest together;
 * - first list after a launch: the fleet size remembered from last time predicts the pages, all at once;
 * - refresh: the cached list predicts the pages, all at once.
 *
 * Tokens go through an in-memory keychain: the bench measures HTTP, not the OS keychain.
 *
 * Then the renderer half (test/bench/renderer-bench.ts): time to first row and scroll frame times
 * for 5,000 droplets in Chromium. BENCH_RENDERER=0 skips it.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createCallContext } from '../../src/main/rpc/context'
import { EventBus } from '../../src/main/rpc/event-bus'
import type { Keychain } from '../../src/main/secrets/keychain'
import { SecretsService } from '../../src/main/secrets/secrets-service'
import { SettingsStore } from '../../src/main/settings/settings-store'
import { createProviderHandlers } from '../../src/main/providers/provider-handlers'
import { startDigitalOceanStub } from '../fleet/provider-stubs'
import { runRendererBench } from './renderer-bench'

const DROPLETS = 1000
const LATENCY_MS = 50
const RUNS = Number(process.env.BENCH_RUNS ?? 7)

function memoryKeychain(): Keychain {
  const store = new Map<string, string>()
  return {
    backend: 'memory (bench)',
    get: async (account) => store.get(account) ?? null,
    set: async (account, value) => void store.set(account, value),
    delete: async (account) => void store.delete(account)
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const ms = (x: number) => `${x.toFixed(1)} ms`

async function main(): Promise<void> {
  const stub = await startDigitalOceanStub({ droplets: DROPLETS, latencyMs: LATENCY_MS })
  const dataDir = await mkdtemp(join(tmpdir(), 'dropdeck-bench-'))
  try {
    const bus = new EventBus()
    const settings = new SettingsStore(dataDir, bus)
    const secrets = new SecretsService(memoryKeychain(), bus)
    await secrets.set('digitalocean', stub.token)

    const floorOnce = async () => {
      const t0 = performance.now()
      const res = await fetch(`${stub.url}/v2/droplets?page=1&per_page=200`, { headers: { authorization: `Bearer ${stub.token}`, accept: 'application/json' } })
      const body = (await res.json()) as { droplets: unknown[] }
      if (body.droplets.length !== 200) throw new Error(`floor: expected 200 droplets, got ${body.droplets.length}`)
      return performance.now() - t0
    }

    type Mode = 'first-ever' | 'after-launch' | 'refresh'
    const listOnce = async (mode: Mode) => {
      // fresh services each time, as after a launch; a new data folder for a new install
      const dir = mode === 'first-ever' ? await mkdtemp(join(tmpdir(), 'dropdeck-bench-new-')) : dataDir
      const providers = createProviderHandlers({ dataDir: dir, secrets, settings, bus, env: { DROPDECK_DO_API: stub.url }, log: () => {} })
      const ctx = createCallContext('bench', bus)
      try {
        if (mode === 'refresh') await providers.handlers['droplets.list']({ refresh: true }, ctx)
        const before = stub.requests.length
        const t0 = performance.now()
        const list = await providers.handlers['droplets.list']({ refresh: true }, ctx)
        const elapsed = performance.now() - t0
        if (list.length !== DROPLETS) throw new Error(`expected ${DROPLETS} droplets, got ${list.length}`)
        return { elapsed, requests: stub.requests.length - before }
      } finally {
        await providers.dispose()
        if (dir !== dataDir) await rm(dir, { recursive: true, force: true })
      }
    }

    // warm up the connection pool and the JIT
    await floorOnce()
    await listOnce('after-launch')

    const modes: Mode[] = ['first-ever', 'after-launch', 'refresh']
    const floors: number[] = []
    const runs = new Map<Mode, { elapsed: number; requests: number }[]>(modes.map((m) => [m, []]))
    for (let i = 0; i < RUNS; i++) {
      floors.push(await floorOnce())
      for (const mode of modes) runs.get(mode)!.push(await listOnce(mode))
    }
    const floor = median(floors)
    console.log(`bench:fleet  ${DROPLETS} droplets, ${LATENCY_MS} ms added latency per request, ${RUNS} runs (medians)`)
    console.log(`  floor: one page of 200 (GET /v2/droplets?per_page=200)   ${ms(floor)}`)
    for (const mode of modes) {
      const rs = runs.get(mode)!
      const t = median(rs.map((r) => r.elapsed))
      console.log(`  droplets.list, ${mode.padEnd(13)} ${ms(t).padStart(9)}  ${(t / floor).toFixed(2)}x floor  ${median(rs.map((r) => r.requests))} requests  ${t <= 2 * floor ? '(within 2x)' : '(NOT within 2x)'}`)
    }
  } finally {
    await stub.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
}

main()
  .then(() => (process.env.BENCH_RENDERER === '0' ? undefined : runRendererBench()))
  .catch((err: unknown) => {
    console.error(err)
    process.exitCode = 1
  })
