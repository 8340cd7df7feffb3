/**
 * Containers' sampled CPU and memory on disk, bounded: every 15 s sample for the last 24 hours, then
 * 5-minute means for 7 days; a container not sampled for 7 days is gone. One JSON-lines file per host
 * in `<data>/metrics/containers/`, appended per round (a crash loses at most the lines being
 * written) and rewritten when compacted (at load, then hourly), so it survives restarts and stays small.
 */
import type { MetricsRange } from '../../shared/contract/checks'
import type { ContainerMetricPoint } from '../../shared/contract/metrics'
import { HostLineFiles, type HostLineFormat } from './host-line-files'
import { CHART_POINTS, chartStepMs, RANGE_MS } from './metrics-store'

const HOUR = 3_600_000
export const CONTAINER_RAW_KEEP_MS = 24 * HOUR
export const CONTAINER_KEEP_MS = 7 * 24 * HOUR
const OLD_STEP_MS = 5 * 60_000

/** A line of the file: the container's id and name with one sample. */
interface Line extends ContainerMetricPoint {
  c: string
  n: string
}

interface HostContainers {
  /** By full container id, in time order. */
  points: Map<string, ContainerMetricPoint[]>
  names: Map<string, string>
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

/** A host's containers' samples, one store line per container and sample. */
const containerSamples: HostLineFormat<HostContainers> = {
  folder: ['metrics', 'containers'],
  label: (hostId) => `${hostId}'s containers`,
  empty: () => ({ points: new Map(), names: new Map() }),
  take(host, value) {
    const line = toLine(value)
    if (!line) return
    const list = host.points.get(line.c) ?? []
    list.push({ t: line.t, cpu: line.cpu, mem: line.mem })
    host.points.set(line.c, list)
    if (line.n) host.names.set(line.c, line.n)
  },
  loaded(host) {
    for (const list of host.points.values()) list.sort((a, b) => a.t - b.t)
  },
  /** Keeps raw samples for 24 h and 5-minute means for 7 days. */
  compact(host, now) {
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
    if (!changed) return null
    const lines: string[] = []
    for (const [id, list] of host.points) for (const p of list) lines.push(JSON.stringify({ c: id, n: host.names.get(id) ?? '', ...p }))
    return lines
  }
}

export class ContainerMetricsStore {
  private readonly files: HostLineFiles<HostContainers>

  constructor(dataDir: string, log: (line: string) => void, private readonly now: () => number = Date.now) {
    this.files = new HostLineFiles(dataDir, containerSamples, log, now)
  }

  file(hostId: string): string {
    return this.files.file(hostId)
  }

  /** One round's samples of a host's containers. */
  async append(hostId: string, samples: Array<{ id: string; name: string; point: ContainerMetricPoint }>): Promise<void> {
    if (!samples.length) return
    const host = await this.files.state(hostId)
    for (const s of samples) {
      const list = host.points.get(s.id) ?? []
      list.push(s.point)
      host.points.set(s.id, list)
      host.names.set(s.id, s.name)
    }
    await this.files.append(hostId, samples.map((s) => JSON.stringify({ c: s.id, n: s.name, ...s.point })))
  }

  /** The range's points for a container (by id, a 12+ character id prefix, or name), at most ~CHART_POINTS. */
  async query(hostId: string, containerId: string, range: MetricsRange): Promise<ContainerMetricPoint[]> {
    const host = await this.files.state(hostId)
    const id = idOf(host, containerId)
    const all = id ? (host.points.get(id) ?? []) : []
    const from = this.now() - RANGE_MS[range]
    const inRange = all.filter((p) => p.t >= from)
    return inRange.length > CHART_POINTS ? downsampleContainer(inRange, chartStepMs(range)) : inRange
  }

  flush(): Promise<void> {
    return this.files.flush()
  }
}

function idOf(host: HostContainers, ref: string): string | undefined {
  if (host.points.has(ref)) return ref
  if (ref.length >= 12) for (const id of host.points.keys()) if (id.startsWith(ref)) return id
  for (const [id, name] of host.names) if (name === ref || name === `/${ref}`) return id
  return undefined
}
