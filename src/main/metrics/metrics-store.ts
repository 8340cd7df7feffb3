/**
 * Sampled host metrics on disk, bounded: every sample for the last 7 days (40,320 points a host at
 * 15 s), then 5-minute averages for 90 days; older points are dropped. One JSON-lines file per host in
 * `<data>/metrics/`, appended per sample (a crash loses at most the line being written) and rewritten
 * when it is compacted (at load, then hourly), so it survives restarts without growing without end.
 */
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { MetricPoint, MetricsRange } from '../../shared/contract/checks'
import { downsample } from './downsample'

const DAY = 86_400_000
export const RAW_KEEP_MS = 7 * DAY
export const OLD_KEEP_MS = 90 * DAY
export const OLD_STEP_MS = 5 * 60_000
const COMPACT_EVERY_MS = 60 * 60_000
/** Charts get at most about this many points per series: a host's chart is ~250 px wide, and recharts' cost grows with points. */
export const CHART_POINTS = 300

export const RANGE_MS: Record<MetricsRange, number> = { '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': DAY, '7d': 7 * DAY }

interface HostSeries {
  points: MetricPoint[]
  compactedAt: number
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

export class MetricsStore {
  private readonly hosts = new Map<string, Promise<HostSeries>>()
  private readonly writes = new Map<string, Promise<void>>()

  constructor(private readonly dataDir: string, private readonly log: (line: string) => void, private readonly now: () => number = Date.now) {}

  private dir(): string {
    return join(this.dataDir, 'metrics')
  }

  file(hostId: string): string {
    return join(this.dir(), `${encodeURIComponent(hostId)}.jsonl`)
  }

  async append(hostId: string, point: MetricPoint): Promise<void> {
    const series = await this.series(hostId)
    series.points.push(point)
    await this.queue(hostId, async () => {
      await mkdir(this.dir(), { recursive: true, mode: 0o700 })
      await appendFile(this.file(hostId), `${JSON.stringify(point)}\n`, { mode: 0o600 })
    })
    if (this.now() - series.compactedAt > COMPACT_EVERY_MS) await this.compact(hostId, series)
  }

  /** The range's points, averaged down to at most ~CHART_POINTS. */
  async query(hostId: string, range: MetricsRange): Promise<{ stepSeconds: number; points: MetricPoint[] }> {
    const series = await this.series(hostId)
    const span = RANGE_MS[range]
    const from = this.now() - span
    const last = series.points.at(-1)?.t ?? 0
    const step = Math.max(15_000, Math.ceil(span / CHART_POINTS / 15_000) * 15_000)
    const cached = series.answers.get(range)
    if (cached && cached.last === last && from - cached.from < step) return cached.answer
    const inRange = series.points.slice(firstAtOrAfter(series.points, from))
    const answer = { stepSeconds: step / 1000, points: inRange.length > CHART_POINTS ? downsample(inRange, step) : inRange }
    series.answers.set(range, { last, from, answer })
    return answer
  }

  /** The latest points for sparklines (the last hour, averaged to at most 60). */
  async recent(hostId: string): Promise<MetricPoint[]> {
    const series = await this.series(hostId)
    const pts = series.points.slice(firstAtOrAfter(series.points, this.now() - RANGE_MS['1h']))
    return pts.length > 60 ? downsample(pts, 60_000) : pts
  }

  async flush(): Promise<void> {
    await Promise.allSettled([...this.writes.values()])
  }

  private series(hostId: string): Promise<HostSeries> {
    let s = this.hosts.get(hostId)
    if (!s) {
      s = this.load(hostId)
      this.hosts.set(hostId, s)
    }
    return s
  }

  private async load(hostId: string): Promise<HostSeries> {
    let text: string
    try {
      text = await readFile(this.file(hostId), 'utf8')
    } catch {
      return { points: [], compactedAt: this.now(), answers: new Map() }
    }
    const points: MetricPoint[] = []
    for (const line of text.split('\n')) {
      if (!line) continue
      try {
        const p = toPoint(JSON.parse(line))
        if (p) points.push(p)
      } catch {
        // a line cut by a crash: skip it
      }
    }
    points.sort((a, b) => a.t - b.t)
    const series: HostSeries = { points, compactedAt: 0, answers: new Map() }
    await this.compact(hostId, series)
    return series
  }

  /** Keeps raw points for 7 days, 5-minute means for 90, and rewrites the file when that changed it. */
  private async compact(hostId: string, series: HostSeries): Promise<void> {
    const now = this.now()
    series.compactedAt = now
    const rawFrom = now - RAW_KEEP_MS
    const old = series.points.filter((p) => p.t < rawFrom && p.t >= now - OLD_KEEP_MS)
    const raw = series.points.filter((p) => p.t >= rawFrom)
    const oldDown = downsample(old, OLD_STEP_MS)
    const compacted = [...oldDown, ...raw]
    if (compacted.length === series.points.length && old.length === oldDown.length) return
    series.points = compacted
    series.answers.clear()
    const text = compacted.map((p) => JSON.stringify(p)).join('\n') + (compacted.length ? '\n' : '')
    await this.queue(hostId, async () => {
      await mkdir(this.dir(), { recursive: true, mode: 0o700 })
      const tmp = `${this.file(hostId)}.${process.pid}.tmp`
      await writeFile(tmp, text, { mode: 0o600 })
      await rename(tmp, this.file(hostId))
    })
    this.log(`metrics: ${hostId} compacted to ${compacted.length} points`)
  }

  private queue(hostId: string, fn: () => Promise<void>): Promise<void> {
    const next = (this.writes.get(hostId) ?? Promise.resolve()).then(fn).catch((err: Error) => this.log(`metrics: ${hostId}: ${err.message}`))
    this.writes.set(hostId, next)
    return next
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
