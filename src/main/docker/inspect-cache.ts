/**
 * The containers a host's last list inspected, kept so a refresh inspects only what changed since.
 *
 * `GET /containers/json` lacks what a Container needs from the inspect (the exact creation, start and
 * finish times, the configured image name, exposed ports), but it says when a container changed: its
 * name, state, health and exit code (in Status: "Up 3 hours (healthy)", "Exited (1) 5 minutes ago")
 * and its ports. A cached inspect is reused only when all of those are as they were and the time in
 * Status (since the last start, or the last exit) is longer than the cache entry's age, so the last
 * start or exit happened before the inspect was sent: a restart that leaves Status looking the same
 * ("Up 2 hours" before and after) cannot hide behind it. A Status whose time cannot be read (a wording
 * this code does not know) always re-inspects.
 */
import type { Container } from '../../shared/contract/containers'

/** The part of one `GET /containers/json?all=1` entry the cache reads. */
export interface ListEntry {
  Id: string
  Names?: string[] | null
  State?: string
  Status?: string
  Ports?: unknown[] | null
}

interface Cached {
  signature: string
  container: Container
  /** performance.now() when the inspect was sent. */
  sentAt: number
}

export class InspectCache {
  private readonly hosts = new Map<string, Map<string, Cached>>()

  /** The container as last inspected, if the list entry (answered at `listedAt`) shows nothing could have changed since. */
  get(hostId: string, entry: ListEntry, listedAt: number): Container | undefined {
    const cached = this.hosts.get(hostId)?.get(entry.Id)
    if (!cached || cached.signature !== signature(entry)) return undefined
    const unchangedFor = stableForMs(entry.Status ?? '')
    return unchangedFor !== undefined && listedAt - cached.sentAt < unchangedFor ? { ...cached.container, ports: [...cached.container.ports] } : undefined
  }

  /**
   * Keeps an inspect sent at `sentAt` for `entry`, unless the container changed between the list and
   * the inspect (the entry would then describe a different container than the one cached).
   */
  put(hostId: string, entry: ListEntry, container: Container, sentAt: number): void {
    if (!agrees(entry, container)) return
    let host = this.hosts.get(hostId)
    if (!host) this.hosts.set(hostId, (host = new Map()))
    host.set(entry.Id, { signature: signature(entry), container, sentAt })
  }

  /** Forgets the host's containers that are no longer listed (removed). */
  keepOnly(hostId: string, ids: Iterable<string>): void {
    const host = this.hosts.get(hostId)
    if (!host) return
    const keep = new Set(ids)
    for (const id of [...host.keys()]) if (!keep.has(id)) host.delete(id)
    if (host.size === 0) this.hosts.delete(hostId)
  }

  clear(): void {
    this.hosts.clear()
  }
}

function signature(e: ListEntry): string {
  // The time in Status changes every second; the rest of it (health, exit code) is what matters here.
  // Docker lists a container's ports in no fixed order (a map's): sorted, they compare.
  const ports = Array.isArray(e.Ports) ? e.Ports.map((p) => JSON.stringify(p)).sort() : null
  return JSON.stringify([e.Names ?? null, e.State ?? null, (e.Status ?? '').replace(DURATION, '#'), ports])
}

/** Whether the inspected container is the one the list entry describes (same name, state, health and exit code). */
function agrees(e: ListEntry, c: Container): boolean {
  if (e.State !== c.state || e.Names?.[0]?.replace(/^\//, '') !== c.name) return false
  const status = e.Status ?? ''
  const health = /\(healthy\)/.test(status) ? 'healthy' : /\(unhealthy\)/.test(status) ? 'unhealthy' : /\(health: starting\)/.test(status) ? 'starting' : null
  // Status shows health only while the container runs; a stopped one keeps its last in the inspect.
  if (status.startsWith('Up ') && health !== c.health) return false
  const exit = /^(?:Exited|Restarting) \((-?\d+)\)/.exec(status)
  return !exit || c.exitCode === null || Number(exit[1]) === c.exitCode
}

// Docker's wording of a duration (go-units HumanDuration), as Status shows it after "Up " or before " ago".
const DURATION = /Less than a second|About a minute|About an hour|\d+ (?:second|minute|hour|day|week|month|year)s?/
const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/**
 * How long (at least, in ms) the container has been as it is, from its Status. Created and dead
 * containers have no time there and cannot change without their State changing; any other Status
 * without a time it can read gives undefined (re-inspect).
 */
export function stableForMs(status: string): number | undefined {
  if (status === 'Created' || status === 'Dead') return Number.POSITIVE_INFINITY
  if (!/^(Up |Exited \(-?\d+\) |Restarting \(-?\d+\) )/.test(status)) return undefined
  const m = DURATION.exec(status)
  if (!m) return undefined
  const text = m[0]
  if (text === 'Less than a second') return 0
  if (text === 'About a minute') return MINUTE
  if (text === 'About an hour') return HOUR // under 60 minutes reads "N minutes"
  const [n, unit] = [Number(text.split(' ')[0]), text.split(' ')[1].replace(/s$/, '')]
  // go-units floors seconds and minutes, rounds hours to the nearest and derives days, weeks, months
  // and years from the rounded hours: take the smallest time each could stand for, less the rounding.
  switch (unit) {
    case 'second':
      return n * SECOND
    case 'minute':
      return n * MINUTE
    case 'hour':
      return n * HOUR - HOUR / 2
    case 'day':
      return n * DAY - HOUR / 2
    case 'week':
      return n * 7 * DAY - HOUR / 2
    case 'month':
      return n * 30 * DAY - HOUR / 2
    case 'year':
      return n * 365 * DAY
    default:
      return undefined
  }
}
