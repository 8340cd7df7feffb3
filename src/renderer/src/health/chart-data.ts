/**
 * What the host charts draw, computed once per answer and chart width rather than by recharts on every
 * render: points thinned to the chart's pixels (min/max per column, so a spike survives), time ticks on
 * round hours or days, value ticks, and the chart column width from one measurement of the grid.
 */
import type { MetricsRange } from '../../../shared/contract'

/** A point as the charts read it: metrics.host's points, or metrics.droplet's (where any series may be missing). */
export interface ChartPoint {
  t: number
  cpu: number | null
  load1: number | null
  mem: number | null
  swap: number | null
  disk: number | null
  rx: number | null
  tx: number | null
}
export type MetricKey = Exclude<keyof ChartPoint, 't'>

export const RANGE_MS: Record<MetricsRange, number> = { '1h': 3_600_000, '6h': 21_600_000, '24h': 86_400_000, '7d': 604_800_000 }

/**
 * At most two points per `buckets` column of time: the lowest and the highest of `keys` in it, in time
 * order, so a one-sample spike is still drawn. The points are the answer's own objects (the tooltip reads
 * every field of them). A point whose values are all null is left out (the line joins over it).
 */
export function thinToColumns(points: readonly ChartPoint[], keys: readonly MetricKey[], buckets: number): ChartPoint[] {
  if (points.length <= buckets * 2 || points.length < 3) return points.filter((p) => keys.some((k) => p[k] !== null))
  const t0 = points[0].t
  const span = Math.max(1, points[points.length - 1].t - t0)
  const out: ChartPoint[] = []
  let bucket = -1
  let lo: number[] = []
  let hi: number[] = []
  const flush = () => {
    for (const i of [...new Set([...lo, ...hi])].filter((x) => x >= 0).sort((a, b) => a - b)) out.push(points[i])
  }
  for (let i = 0; i < points.length; i++) {
    const b = Math.min(buckets - 1, Math.floor(((points[i].t - t0) / span) * buckets))
    if (b !== bucket) {
      flush()
      bucket = b
      lo = keys.map(() => -1)
      hi = keys.map(() => -1)
    }
    keys.forEach((k, j) => {
      const v = points[i][k]
      if (v === null) return
      if (lo[j] < 0 || v < (points[lo[j]][k] as number)) lo[j] = i
      if (hi[j] < 0 || v > (points[hi[j]][k] as number)) hi[j] = i
    })
  }
  flush()
  return out
}

const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000
const STEPS = [MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY]

/**
 * Time ticks on round local times (a round minute count, a round hour, midnight) across [from, to], as
 * many as fit `plotWidth` at ~`spacing` px each: given to recharts so it does not measure every label.
 */
export function timeTicks(from: number, to: number, plotWidth: number, spacing = 64): number[] {
  const most = Math.max(2, Math.floor(plotWidth / spacing))
  const step = STEPS.find((s) => (to - from) / s <= most) ?? Math.ceil((to - from) / most / DAY) * DAY
  // local time: the zone's offset at the start (a DST change inside the range moves ticks by an hour)
  const offset = new Date(from).getTimezoneOffset() * MINUTE
  const first = Math.ceil((from - offset) / step) * step + offset
  const ticks: number[] = []
  for (let t = first; t <= to; t += step) ticks.push(t)
  // a span shorter than a round minute still says when it is
  return ticks.length ? ticks : [to]
}

/** A round top for a value axis (1, 2, 2.5 or 5 times a power of ten) at or above `max`, with 3 ticks. */
export function valueTicks(max: number): number[] {
  if (!(max > 0)) return [0, 0.5, 1]
  const p = 10 ** Math.floor(Math.log10(max))
  const top = [1, 2, 2.5, 5, 10].map((m) => m * p).find((v) => v >= max) ?? 10 * p
  return [0, top / 2, top]
}

/** The largest value of `keys` over the points (0 for none). */
export function maxOf(points: readonly ChartPoint[], keys: readonly MetricKey[]): number {
  let max = 0
  for (const p of points) for (const k of keys) if ((p[k] ?? 0) > max) max = p[k] as number
  return max
}

export const GRID_GAP = 14
export const MIN_COLUMN = 220

/** Columns and the width of one for a grid `width` px wide: as `repeat(auto-fill, minmax(220px, 1fr))` lays it out. */
export function columnsFor(width: number): { columns: number; columnWidth: number } {
  const columns = Math.max(1, Math.floor((width + GRID_GAP) / (MIN_COLUMN + GRID_GAP)))
  return { columns, columnWidth: Math.max(120, Math.floor((width - GRID_GAP * (columns - 1)) / columns)) }
}
