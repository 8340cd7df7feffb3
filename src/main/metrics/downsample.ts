/** Averaging buckets of metric points: for old history on disk and for charts (~500 points a series). */
import type { MetricPoint } from '../../shared/contract/checks'

const KEYS = ['cpu', 'load1', 'mem', 'swap', 'disk', 'rx', 'tx'] as const

/** One point per `stepMs` bucket (the bucket's start), each field the mean of the points that have it. */
export function downsample(points: readonly MetricPoint[], stepMs: number): MetricPoint[] {
  if (stepMs <= 0 || points.length === 0) return [...points]
  const out: MetricPoint[] = []
  let bucket = -1
  let sums: Record<string, number> = {}
  let counts: Record<string, number> = {}
  const flush = () => {
    if (bucket < 0) return
    const p: Record<string, number | null> = { t: bucket }
    for (const k of KEYS) p[k] = counts[k] ? round(sums[k] / counts[k]) : k === 'cpu' || k === 'rx' || k === 'tx' ? null : 0
    out.push(p as unknown as MetricPoint)
  }
  for (const p of points) {
    const b = Math.floor(p.t / stepMs) * stepMs
    if (b !== bucket) {
      flush()
      bucket = b
      sums = {}
      counts = {}
    }
    for (const k of KEYS) {
      const v = p[k]
      if (v === null || v === undefined) continue
      sums[k] = (sums[k] ?? 0) + v
      counts[k] = (counts[k] ?? 0) + 1
    }
  }
  flush()
  return out
}

const round = (v: number) => Math.round(v * 100) / 100
