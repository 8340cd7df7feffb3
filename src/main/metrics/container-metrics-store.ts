/**
 * Containers' sampled CPU and memory on disk, bounded: every 15 s sample for the last 24 hours, then
 * 5-minute means for 7 days; a container not sampled for 7 days is gone. One JSON-lines file per host
 * in `<data>/metrics/containers/`, appended per round (a crash loses at most the lines being
 * written) and rewritten when compacted (at load, then hourly), so it survives restarts and stays small.
 */
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { MetricsRange } from '../../shared/contract/checks'
import type { ContainerMetricPoint } from '../../shared/contract/metrics'
import { CHART_POINTS, RANGE_MS } from './metrics-store'

const HOUR = 3_600_000
export const CONTAINER_RAW_KEEP_MS = 24 * HOUR
export const CONTAINER_KEEP_MS = 7 * 24 * HOUR
const OLD_STEP_MS = 5 * 60_000
const COMPACT_EVERY_MS = HOUR

/** A line of the file: the container's id and name with one sample. */
interface Line extends ContainerMetricPoint {
  c: string
  n: string
}

interface HostContainers {
  /** By full container id, in time order. */
  points: Map<string, ContainerMetricPoint[]>
  names: Map<string, string>
  compactedAt: number
}

function toLine(value: unknown): Line | null {
  if (!value || typeof value !== 'object') return null
  const v = value as Record<string, unknown>
  if (typeof v.c !== 'string' || typeof v.t !== 'number' || typeof v.mem !== 'number' || (v.cpu !== null && typeof v.cpu !== 'number')) return null
  return { c: v.c, n: typeof v.n === 'string' ? v.n : '', t: v.t, cpu: v.cpu as number | null, mem: v.mem }
}

/** Means per `stepMs` bucket (its start); cpu null only when no sample in the bucket had it. */
export function downsampleContainer(points: readonly ContainerMetricPoint[], stepMs: number): ContainerMetricPoint[] {
  const out: ContainerMetricPoint[] = []
  let bucket = -1
  let cpu = 0
  let cpuN = 0
  let mem = 0
  let memN = 0
  const flush = () => {
    if (bucket >= 0 && memN > 0) out.push({ t: bucket, cpu: cpuN ? Math.round((cpu / cpuN) * 100) / 100 : null, mem: Math.round(mem / memN) })
  }
  for (const p of points) {
    const b = Math.floor(p.t / stepMs) * stepMs
    if (b !== bucket) {
      flush()
      bucket = b
      cpu = cpuN = mem = memN = 0
    }
    if (p.cpu !== null) {
      cpu += p.cpu
      cpuN++
    }
    mem += p.mem
    memN++
  }
  flush()
  return out
}

export class ContainerMetricsStore {
  private readonly hosts = new Map<string, Promise<HostContainers>>()
  private readonly writes = new Map<string, Promise<void>>()

  constructor(private readonly dataDir: string, private readonly log: (line: string) => void, private readonly now: () => number = Date.now) {}

  private dir(): string {
    return join(this.dataDir, 'metrics', 'containers')
  }

  file(hostId: string): string {
    return join(this.dir(), `${encodeURIComponent(hostId)}.jsonl`)
  }

  /** One round's samples of a host's containers. */
  async append(hostId: string, samples: Array<{ id: string; name: string; point: ContainerMetricPoint }>): Promise<void> {
    if (!samples.length) return
    const host = await this.host(hostId)
    for (const s of samples) {
      const list = host.points.get(s.id) ?? []
      list.push(s.point)
      host.points.set(s.id, list)
      host.names.set(s.id, s.name)
    }
    const text = samples.map((s) => JSON.stringify({ c: s.id, n: s.name, ...s.point })).join('\n') + '\n'
    await this.queue(hostId, async () => {
      await mkdir(this.dir(), { recursive: true, mode: 0o700 })
      await appendFile(this.file(hostId), text, { mode: 0o600 })
    })
    if (this.now() - host.compactedAt > COMPACT_EVERY_MS) await this.compact(hostId, host)
  }

  /** The range's points for a container (by id, a 12+ character id prefix, or name), at most ~CHART_POINTS. */
  async query(hostId: string, containerId: string, range: MetricsRange): Promise<ContainerMetricPoint[]> {
    const host = await this.host(hostId)
    const id = this.idOf(host, containerId)
    const all = id ? (host.points.get(id) ?? []) : []
    const span = RANGE_MS[range]
    const from = this.now() - span
    const inRange = all.filter((p) => p.t >= from)
    const step = Math.max(15_000, Math.ceil(span / CHART_POINTS / 15_000) * 15_000)
    return inRange.length > CHART_POINTS ? downsampleContainer(inRange, step) : inRange
  }

  private idOf(host: HostContainers, ref: string): string | undefined {
    if (host.points.has(ref)) return ref
    if (ref.length >= 12) for (const id of host.points.keys()) if (id.startsWith(ref)) return id
    for (const [id, name] of host.names) if (name === ref || name === `/${ref}`) return id
    return undefined
  }

  async flush(): Promise<void> {
    await Promise.allSettled([...this.writes.values()])
  }

  private host(hostId: string): Promise<HostContainers> {
    let h = this.hosts.get(hostId)
    if (!h) {
      h = this.load(hostId)
      this.hosts.set(hostId, h)
    }
    return h
  }

  private async load(hostId: string): Promise<HostContainers> {
    const host: HostContainers = { points: new Map(), names: new Map(), compactedAt: 0 }
    let text: string
    try {
      text = await readFile(this.file(hostId), 'utf8')
    } catch {
      host.compactedAt = this.now()
      return host
    }
    for (const raw of text.split('\n')) {
      if (!raw) continue
      let line: Line | null = null
      try {
        line = toLine(JSON.parse(raw))
      } catch {
        // a line cut by a crash: skip it
      }
      if (!line) continue
      const list = host.points.get(line.c) ?? []
      list.push({ t: line.t, cpu: line.cpu, mem: line.mem })
      host.points.set(line.c, list)
      if (line.n) host.names.set(line.c, line.n)
    }
    for (const list of host.points.values()) list.sort((a, b) => a.t - b.t)
    await this.compact(hostId, host)
    return host
  }

  /** Keeps raw samples for 24 h and 5-minute means for 7 days, and rewrites the file when that changed it. */
  private async compact(hostId: string, host: HostContainers): Promise<void> {
    const now = this.now()
    host.compactedAt = now
    let changed = false
    for (const [id, list] of host.points) {
      const old = list.filter((p) => p.t < now - CONTAINER_RAW_KEEP_MS && p.t >= now - CONTAINER_KEEP_MS)
      const raw = list.filter((p) => p.t >= now - CONTAINER_RAW_KEEP_MS)
      const oldDown = downsampleContainer(old, OLD_STEP_MS)
      const next = [...oldDown, ...raw]
      if (next.length !== list.length || oldDown.length !== old.length) changed = true
      if (next.length) host.points.set(id, next)
      else {
        host.points.delete(id)
        host.names.delete(id)
      }
    }
    if (!changed) return
    const lines: string[] = []
    for (const [id, list] of host.points) for (const p of list) lines.push(JSON.stringify({ c: id, n: host.names.get(id) ?? '', ...p }))
    const text = lines.join('\n') + (lines.length ? '\n' : '')
    await this.queue(hostId, async () => {
      await mkdir(this.dir(), { recursive: true, mode: 0o700 })
      const tmp = `${this.file(hostId)}.${process.pid}.tmp`
      await writeFile(tmp, text, { mode: 0o600 })
      await rename(tmp, this.file(hostId))
    })
    this.log(`metrics: ${hostId}'s containers compacted to ${lines.length} points`)
  }

  private queue(hostId: string, fn: () => Promise<void>): Promise<void> {
    const next = (this.writes.get(hostId) ?? Promise.resolve()).then(fn).catch((err: Error) => this.log(`metrics: ${hostId} containers: ${err.message}`))
    this.writes.set(hostId, next)
    return next
  }
}
