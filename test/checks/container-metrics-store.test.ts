/**
 * The containers' metrics file on a real disk: bounded (raw samples for 24 h, 5-minute means to 7 days,
 * nothing older), read back after a restart, a line cut by a crash skipped, and queries capped at ~300
 * points whatever the range.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ContainerMetricsStore, downsampleContainer } from '../../src/main/metrics/container-metrics-store'

const HOUR = 3_600_000
const ID = 'a'.repeat(64)

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dd-h3-cstore-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('container metrics store', () => {
  it('keeps 24 h of samples and 5-minute means to 7 days across a restart, drops older ones', async () => {
    let now = Date.UTC(2026, 11, 6, 12)
    const store = new ContainerMetricsStore(dir, () => undefined, () => now)
    // 8 days of samples every 15 s as the sampler leaves them (46,080 lines), then a crash mid-line
    const lines: string[] = []
    for (let t = now - 8 * 24 * HOUR; t < now; t += 15_000) lines.push(JSON.stringify({ c: ID, n: 'api', t, cpu: (t / 15_000) % 2 ? 10 : 30, mem: 1000 }))
    await mkdir(join(dir, 'metrics', 'containers'), { recursive: true })
    await writeFile(store.file('web-1'), lines.join('\n') + '\n{"c":"' + ID + '","t":')

    // loading (a restart) compacts: raw for a day, 5-minute means for the 6 days before, nothing older
    const day = await store.query('web-1', ID, '24h')
    expect(day.length).toBeLessThanOrEqual(300)
    expect(day.length).toBeGreaterThan(250)
    expect(day.every((p) => p.cpu === 20 && p.mem === 1000)).toBe(true) // 10 and 30 alternate: means of 20
    const week = await store.query('web-1', 'api', '7d') // by name
    expect(week.length).toBeLessThanOrEqual(300)
    expect(week[0].t).toBeGreaterThanOrEqual(now - 7 * 24 * HOUR - HOUR) // its bucket's start
    await store.flush()
    const file = (await readFile(store.file('web-1'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { t: number })
    expect(file.length).toBe(24 * 240 + 6 * 288) // 5,760 samples and 1,728 means, from 46,080
    expect(Math.min(...file.map((p) => p.t))).toBeGreaterThanOrEqual(now - 7 * 24 * HOUR)
    const old = file.filter((p) => p.t < now - 24 * HOUR)
    expect(old.every((p, i) => i === 0 || p.t - old[i - 1].t === 5 * 60_000)).toBe(true)
    expect((await store.query('web-1', ID.slice(0, 12), '1h')).length).toBe(240) // by short id
    expect(await store.query('web-1', 'no-such', '1h')).toEqual([])

    // a new round appended, then another restart: it is there
    now += 15_000
    await store.append('web-1', [{ id: ID, name: 'api', point: { t: now, cpu: 55, mem: 2048 } }])
    await store.flush()
    const again = new ContainerMetricsStore(dir, () => undefined, () => now)
    expect((await again.query('web-1', ID, '1h')).at(-1)).toEqual({ t: now, cpu: 55, mem: 2048 })
  })

  it('averages a bucket, keeping cpu null only where no sample had it', () => {
    expect(downsampleContainer([{ t: 0, cpu: null, mem: 10 }, { t: 1000, cpu: 4, mem: 20 }, { t: 300_000, cpu: null, mem: 5 }], 300_000)).toEqual([
      { t: 0, cpu: 4, mem: 15 },
      { t: 300_000, cpu: null, mem: 5 }
    ])
  })
})
