/**
 * Sampled host metrics on disk, bounded: every sample for the last 7 days (40,320 points a host at
 * 15 s), then 5-minute averages for 90 days; older points are dropped. One JSON-lines file per host in
 * `<data>/metrics/`, appended per sample (a crash loses at most the line being written) and rewritten
 * when it is compacted (at load, then hourly), so it survives restarts without growing without end.
 */
import type { MetricPoint, MetricsRange } from '../../shared/contract/checks'
import { downsample } from './downsample'
import { HostLineFiles, type HostLineFormat } from './host-line-files'

const DAY = 86_400_000
export const RAW_KEEP_MS = 7 * DAY
export const OLD_KEEP_MS = 90 * DAY
export const OLD_STEP_MS = 5 * 60_000
/** Charts get at most about this many points per series: a host's chart is ~250 px wide, and recharts' cost grows with points. */
export const CHART_POINTS = 300

export const RANGE_MS: Record<MetricsRange, number> = { '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': DAY, '7d': 7 * DAY }

/** A range's chart step: whole 15 s samples, so that the range is at most ~CHART_POINTS steps. */
export function chartStepMs(range: MetricsRange): number {
  return Math.max(15_000, Math.ceil(RANGE_MS[range] / CHART_POINTS / 15_000) * 15_000)
}

interface HostSeries {
  points: MetricPoint[]
  /** The last answer per range, until a point is added (a chart refetches every 15 s; ten of them ask at once). */
  answers: Map<MetricsRange, { last: number; from: number; answer: { stepSeconds: number; points: MetricPoint[] } }>
}

const NUMBER_OR_NULL = ['cpu', 'rx', 'tx'] as const
const NUMBER = ['t', 'load1', 'mem', 'swap', 'disk'] as const

/** A line of the file as a point, or null (a line cut by a crash, or edited by hand). Cheaper than a schema per line. */
function toPoint(value: unknown): MetricPoint | null {
  if (!value || typeof value !== 'object') return null
  const v = value as Record<string, unknown>
  for (const k of NUMBER) if (typeof v[k] !== 'number') return null
  for (const k of NUMBER_OR_NULL) if (v[k] !== null && typeof v[k] !== 'number') return null
  return v as unknown as MetricPoint
}

/** A host's samples as one store line each. */
const hostSamples: HostLineFormat<HostSeries> = {
  folder: ['metrics'],
  label: (hostId) => hostId,
  empty: () => ({ points: [], answers: new Map() }),
  take(series, value) {
    const p = toPoint(value)
    if (p) series.points.push(p)
  },
  loaded: (series) => series.points.sort((a, b) => a.t - b.t),
  /** Keeps raw points for 7 days and 5-minute means for 90. */
  compact(series, now) {
    const rawFrom = now - RAW_KEEP_MS
    const old = series.points.filter((p) => p.t < rawFrom && p.t >= now - OLD_KEEP_MS)
    const raw = series.points.filter((p) => p.t >= rawFrom)
    const oldDown = downsample(old, OLD_STEP_MS)
    const compacted = [...oldDown, ...raw]
    if (compacted.length === series.points.length && old.length === oldDown.length) return null
    series.points = compacted
    series.answers.clear()
    return compacted.map((p) => JSON.stringify(p))
  }
}

export class MetricsStore {
  private readonly files: HostLineFiles<HostSeries>

  constructor(dataDir: string, log: (line: string) => void, private readonly now: () => number = Date.now) {
    this.files = new HostLineFiles(dataDir, hostSamples, log, now)
  }

  file(hostId: string): string {
    return this.files.file(hostId)
  }

  async append(hostId: string, point: MetricPoint): Promise<void> {
    const series = await this.files.state(hostId)
    series.points.push(point)
    await this.files.append(hostId, [JSON.stringify(point)])
  }

  /** The range's points, averaged down to at most ~CHART_POINTS. */
  async query(hostId: string, range: MetricsRange): Promise<{ stepSeconds: number; points: MetricPoint[] }> {
    const series = await this.files.state(hostId)
    const from = this.now() - RANGE_MS[range]
    const last = series.points.at(-1)?.t ?? 0
    const step = chartStepMs(range)
    const cached = series.answers.get(range)
    if (cached && cached.last === last && from - cached.from < step) return cached.answer
    const inRange = series.points.slice(firstAtOrAfter(series.points, from))
    const answer = { stepSeconds: step / 1000, points: inRange.length > CHART_POINTS ? downsample(inRange, step) : inRange }
    series.answers.set(range, { last, from, answer })
    return answer
  }

  /** The latest points for sparklines (the last hour, averaged to at most 60). */
  async recent(hostId: string): Promise<MetricPoint[]> {
    const series = await this.files.state(hostId)
    const pts = series.points.slice(firstAtOrAfter(series.points, this.now() - RANGE_MS['1h']))
    return pts.length > 60 ? downsample(pts, 60_000) : pts
  }

  flush(): Promise<void> {
    return this.files.flush()
  }
}

/** Points are in time order: the index of the first at or after `t`. */
function firstAtOrAfter(points: readonly MetricPoint[], t: number): number {
  let lo = 0
  let hi = points.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (points[mid].t < t) lo = mid + 1
    else hi = mid
  }
  return lo
}
