/**
 * Samples the CPU and memory of each running container on every connected host every 15 s, with the
 * Engine API's one-shot stats (`stream=false&one-shot=true`: one reading, no second-long wait), over
 * the host's kept-open Engine session: one list and at most `maxPerHost` stats requests a round, one
 * after another on the one channel. One-shot readings carry no previous sample, so CPU % comes from
 * this round's counters against the last round's, as `docker stats` does between its own readings.
 * A host that is not connected is not sampled: sampling never opens a connection.
 */
import type { ContainerMetricPoint } from '../../shared/contract/metrics'
import type { EngineSession } from '../docker/engine'
import type { ContainerMetricsStore } from './container-metrics-store'
import { PeriodicTask } from './periodic-task'

export const CONTAINER_SAMPLE_MS = 15_000
/** The most containers sampled per host a round (the busiest hosts run dozens; a round must stay short). */
export const MAX_CONTAINERS_PER_HOST = 25

export interface ContainerSamplerDeps {
  store: ContainerMetricsStore
  connected(): string[]
  /** Runs `work` on the host's kept-open Engine session (session-cache.ts). */
  withSession<T>(hostId: string, work: (session: EngineSession) => Promise<T>): Promise<T>
  log: (line: string) => void
  intervalMs?: number
  maxPerHost?: number
}

interface ListEntry {
  Id: string
  Names?: string[]
  Created?: number
}

interface OneShot {
  read?: string
  cpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number; online_cpus?: number }
  memory_stats?: { usage?: number; stats?: Record<string, number> }
}

interface Counters {
  cpu: number
  system: number
}

/** CPU % (100 = one core) between two readings, as `docker stats`; null without a usable previous one. */
export function cpuBetween(prev: Counters | undefined, cur: Counters, cpus: number): number | null {
  if (!prev || cur.system <= prev.system || cur.cpu < prev.cpu) return null
  return Math.round(((cur.cpu - prev.cpu) / (cur.system - prev.system)) * cpus * 100 * 100) / 100
}

/** Memory in use, page cache left out (cgroup v2 `inactive_file`, v1 `total_inactive_file`), as `docker stats`. */
export function memoryUsed(s: OneShot): number {
  const usage = s.memory_stats?.usage ?? 0
  const cache = s.memory_stats?.stats?.inactive_file ?? s.memory_stats?.stats?.total_inactive_file ?? 0
  return Math.max(0, usage - (cache < usage ? cache : 0))
}

export class ContainerSampler extends PeriodicTask {
  private readonly last = new Map<string, Map<string, Counters>>()
  /** Hosts whose last rounds failed (no docker, a daemon down): skipped until `until`, the wait doubling to 10 minutes. */
  private readonly failing = new Map<string, { until: number; failures: number }>()

  constructor(private readonly deps: ContainerSamplerDeps) {
    super()
  }

  protected intervalMs(): number {
    return this.deps.intervalMs ?? CONTAINER_SAMPLE_MS
  }

  /** One round over the connected hosts (tick() runs one now; a round still running when the next is due is skipped). */
  protected async round(): Promise<void> {
    const hosts = this.deps.connected()
    for (const id of this.last.keys()) if (!hosts.includes(id)) this.last.delete(id)
    for (const id of this.failing.keys()) if (!hosts.includes(id)) this.failing.delete(id)
    const now = Date.now()
    const due = hosts.filter((id) => (this.failing.get(id)?.until ?? 0) <= now)
    await Promise.all(
      due.map((id) =>
        this.sample(id).then(
          () => this.failing.delete(id),
          (err: Error) => {
            // a host without docker fails every round: say so once per wait, not every 15 s
            const failures = (this.failing.get(id)?.failures ?? 0) + 1
            const waitMs = Math.min(10 * 60_000, (this.deps.intervalMs ?? CONTAINER_SAMPLE_MS) * 2 ** failures)
            this.failing.set(id, { until: Date.now() + waitMs, failures })
            this.deps.log(`metrics: ${id} containers: ${err.message} (next try in ${Math.round(waitMs / 1000)} s)`)
          }
        )
      )
    )
  }

  /** One round on one host: the points appended, by container id. */
  async sample(hostId: string): Promise<Map<string, ContainerMetricPoint>> {
    const max = this.deps.maxPerHost ?? MAX_CONTAINERS_PER_HOST
    const readings = await this.deps.withSession(hostId, async (session) => {
      const running = (await session.request('GET', '/containers/json', { timeoutMs: 15_000 })).json<ListEntry[]>()
      // newest first: the containers an operator just started are the ones watched
      const picked = [...running].sort((a, b) => (b.Created ?? 0) - (a.Created ?? 0)).slice(0, max)
      const out: Array<{ entry: ListEntry; stats: OneShot }> = []
      for (const entry of picked) {
        try {
          out.push({ entry, stats: (await session.request('GET', `/containers/${encodeURIComponent(entry.Id)}/stats?stream=false&one-shot=true`, { timeoutMs: 15_000 })).json<OneShot>() })
        } catch (err) {
          // stopped between the list and its stats: next round will not list it
          if (!session.open) throw err
        }
      }
      return out
    })
    const prevByContainer = this.last.get(hostId) ?? new Map<string, Counters>()
    const next = new Map<string, Counters>()
    const points = new Map<string, ContainerMetricPoint>()
    const samples: Array<{ id: string; name: string; point: ContainerMetricPoint }> = []
    const now = Date.now()
    for (const { entry, stats } of readings) {
      const cpu = stats.cpu_stats?.cpu_usage?.total_usage
      const system = stats.cpu_stats?.system_cpu_usage
      const counters = cpu !== undefined && system !== undefined ? { cpu, system } : undefined
      if (counters) next.set(entry.Id, counters)
      const point: ContainerMetricPoint = { t: now, cpu: counters ? cpuBetween(prevByContainer.get(entry.Id), counters, stats.cpu_stats?.online_cpus || 1) : null, mem: memoryUsed(stats) }
      points.set(entry.Id, point)
      samples.push({ id: entry.Id, name: (entry.Names?.[0] ?? '').replace(/^\//, ''), point })
    }
    this.last.set(hostId, next)
    await this.deps.store.append(hostId, samples)
    return points
  }
}
