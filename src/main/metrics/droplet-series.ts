/**
 * DigitalOcean's monitoring series (Prometheus matrices) turned into the points charts draw: the same
 * fields as the host sampler's (metrics-sampler.ts), averaged into one point per step.
 */
import type { DropletMetricPoint } from '../../shared/contract/metrics'

export interface MatrixSeries {
  metric: Record<string, string>
  values: Array<[number, string | number]>
}

export interface Matrix {
  resultType: string
  result: MatrixSeries[]
}

/** The series a refresh fetches, in the order it fetches them (cpu first: a refused token stops there). */
export interface DropletSeries {
  cpu: Matrix
  load1: Matrix
  memAvailable: Matrix
  fsFree: Matrix
  rxMbps: Matrix
  txMbps: Matrix
}

/** Sizes change only on a resize: fetched apart, less often. */
export interface DropletSizes {
  memTotal: number | null
  fsSize: number | null
}

/** DigitalOcean reports bandwidth in megabits per second; charts use bytes per second. */
export const BYTES_PER_SECOND_PER_MBPS = 1_000_000 / 8

const num = (v: string | number): number => (typeof v === 'number' ? v : Number(v))

/** True when DigitalOcean has nothing at all for the droplet: no agent reporting. */
export function allEmpty(series: DropletSeries): boolean {
  return Object.values(series).every((m: Matrix) => m.result.every((s) => s.values.length === 0))
}

/**
 * CPU % per sample from the per-mode time counters: busy time over total time between two samples, idle
 * and iowait counted as not busy (as the host sampler reads /proc/stat). A counter that went back (a
 * reboot) gives no figure for that interval.
 */
export function cpuPercent(matrix: Matrix): Array<[number, number]> {
  const byTime = new Map<number, { total: number; idle: number; modes: number }>()
  const modes = new Set<string>()
  for (const s of matrix.result) {
    const mode = s.metric.mode ?? ''
    modes.add(mode)
    for (const [t, v] of s.values) {
      const x = num(v)
      if (!Number.isFinite(x)) continue
      const e = byTime.get(t) ?? { total: 0, idle: 0, modes: 0 }
      e.total += x
      if (mode === 'idle' || mode === 'iowait') e.idle += x
      e.modes++
      byTime.set(t, e)
    }
  }
  // only instants where every mode reported, or sums would jump
  const times = [...byTime.entries()].filter(([, e]) => e.modes === modes.size).sort((a, b) => a[0] - b[0])
  const out: Array<[number, number]> = []
  for (let i = 1; i < times.length; i++) {
    const [t, cur] = times[i]
    const prev = times[i - 1][1]
    const total = cur.total - prev.total
    const idle = cur.idle - prev.idle
    if (total <= 0 || idle < 0 || idle > total) continue
    out.push([t, (100 * (total - idle)) / total])
  }
  return out
}

/** A gauge's samples, summed over its series (e.g. two public interfaces). */
export function gauge(matrix: Matrix, pick: (labels: Record<string, string>) => boolean = () => true): Array<[number, number]> {
  const sums = new Map<number, number>()
  for (const s of matrix.result) {
    if (!pick(s.metric)) continue
    for (const [t, v] of s.values) {
      const x = num(v)
      if (Number.isFinite(x)) sums.set(t, (sums.get(t) ?? 0) + x)
    }
  }
  return [...sums.entries()].sort((a, b) => a[0] - b[0])
}

/** The root filesystem only (the agent also reports /boot/efi and other mounts). */
export const rootMount = (labels: Record<string, string>) => labels.mountpoint === '/'

/** The latest value of a gauge, for sizes. */
export function latest(matrix: Matrix, pick?: (labels: Record<string, string>) => boolean): number | null {
  const g = gauge(matrix, pick)
  return g.length ? g[g.length - 1][1] : null
}

const KEYS = ['cpu', 'load1', 'mem', 'disk', 'rx', 'tx'] as const
type Key = (typeof KEYS)[number]

/** One point per `stepSeconds` bucket (its start, in ms), each field the mean of its samples, null where DigitalOcean had none. */
export function toPoints(series: DropletSeries, sizes: DropletSizes, stepSeconds: number): DropletMetricPoint[] {
  const percentUsed = (free: number, size: number | null) => (size && size > 0 ? Math.min(100, Math.max(0, 100 * (1 - free / size))) : NaN)
  const fields: Record<Key, Array<[number, number]>> = {
    cpu: cpuPercent(series.cpu),
    load1: gauge(series.load1),
    mem: gauge(series.memAvailable).map(([t, v]) => [t, percentUsed(v, sizes.memTotal)]),
    disk: gauge(series.fsFree, rootMount).map(([t, v]) => [t, percentUsed(v, sizes.fsSize)]),
    rx: gauge(series.rxMbps).map(([t, v]) => [t, v * BYTES_PER_SECOND_PER_MBPS]),
    tx: gauge(series.txMbps).map(([t, v]) => [t, v * BYTES_PER_SECOND_PER_MBPS])
  }
  const buckets = new Map<number, Partial<Record<Key, { sum: number; n: number }>>>()
  for (const key of KEYS) {
    for (const [t, v] of fields[key]) {
      if (!Number.isFinite(v)) continue
      const b = Math.floor(t / stepSeconds) * stepSeconds
      const bucket = buckets.get(b) ?? {}
      const acc = (bucket[key] ??= { sum: 0, n: 0 })
      acc.sum += v
      acc.n++
      buckets.set(b, bucket)
    }
  }
  const mean = (a: { sum: number; n: number } | undefined, digits: number) => (a ? Math.round((a.sum / a.n) * 10 ** digits) / 10 ** digits : null)
  return [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([b, f]) => ({
      t: b * 1000,
      cpu: mean(f.cpu, 2),
      load1: mean(f.load1, 2),
      mem: mean(f.mem, 2),
      swap: null,
      disk: mean(f.disk, 2),
      rx: mean(f.rx, 0),
      tx: mean(f.tx, 0)
    }))
}
