/**
 * One place for what each contract method means to the renderer's cache: how long a read stays fresh,
 * and which reads a successful write makes stale. Views never write these at a call site, so two
 * views reading one method read the same cache with the same options.
 */
import type { EventName, MethodName } from '../../../shared/contract'

/** A cached read as react-query holds it (what an option computed from the last answer reads). */
type CachedRead = { state: { data: unknown } }

export interface ReadOptions {
  staleTime?: number | ((query: CachedRead) => number)
  refetchOnWindowFocus?: boolean
  refetchInterval?: number | ((query: CachedRead) => number | false)
  /** false: a failure is shown at once (a missing path, a refused read), never retried. */
  retry?: false
  /** 0: the answer is a one-off preview, not kept once nobody shows it. */
  gcTime?: number
}

/**
 * metrics.droplet answers when DigitalOcean may be asked again (nextRefreshAt): the answer stays fresh
 * until then and is refetched no sooner (at least a minute apart; every 5 minutes when it says nothing).
 */
const untilNextRefresh = (query: CachedRead): number => {
  const next = (query.state.data as { nextRefreshAt?: string | null } | undefined)?.nextRefreshAt
  return next ? Math.max(60_000, Date.parse(next) - Date.now()) : 300_000
}

export const readOptions: Partial<Record<MethodName, ReadOptions>> = {
  'hosts.list': { staleTime: 30_000, refetchOnWindowFocus: true },
  'tunnels.list': { staleTime: 30_000 },
  'tunnels.presets': { staleTime: 60_000 },
  'app.info': { staleTime: Infinity },
  // the probe writes to the keychain; do not repeat it on every focus
  'secrets.keychain': { staleTime: 5 * 60_000 },
  'terminals.commands.list': { staleTime: 60_000 },
  'containers.list': { staleTime: 10_000 },
  // the host's service units, offered by the pick form: read when it opens, a failure (no systemd) shown at once
  'units.available': { staleTime: 60_000, retry: false },
  'containers.df': { staleTime: 30_000 },
  // Live CPU and memory: one Engine API reading every few seconds while shown.
  'containers.stats': { refetchInterval: 5000 },
  // What a prune would delete right now: never a cached answer.
  'containers.prunePreview': { staleTime: 0, gcTime: 0 },
  'files.home': { retry: false },
  'files.list': { retry: false },
  'files.bookmarks.list': { retry: false },
  'checks.list': { staleTime: 30_000 },
  'alerts.list': { staleTime: 30_000 },
  // a sample every 15 s: a chart refetches at that pace while shown
  'metrics.host': { refetchInterval: 15_000, staleTime: 10_000, retry: false },
  'metrics.droplet': { staleTime: untilNextRefresh, refetchInterval: untilNextRefresh, retry: false },
  'deploys.services': { staleTime: 15_000 }
}

/**
 * The reads (every cache of that method, whatever its params) a successful call makes stale. Events
 * (hosts.changed, tunnels.changed) usually update them first; the refetch is the backstop for a
 * client that missed the event.
 */
export const invalidates: Partial<Record<MethodName, MethodName[]>> = {
  'hosts.add': ['hosts.list'],
  'hosts.remove': ['hosts.list'],
  'tunnels.start': ['tunnels.list'],
  'tunnels.stop': ['tunnels.list'],
  // what a prune freed shows in Docker's disk use and the host's list at once (the watch may be down)
  'containers.prune': ['containers.df', 'containers.list'],
  // any change may touch every host's list (`*` commands, hidden built-ins)
  'terminals.commands.add': ['terminals.commands.list'],
  'terminals.commands.remove': ['terminals.commands.list'],
  'checks.create': ['checks.list'],
  'checks.update': ['checks.list'],
  'checks.delete': ['checks.list'],
  'checks.run': ['checks.list'],
  'alerts.acknowledge': ['alerts.list'],
  'alerts.webhook.set': ['alerts.webhook.get'],
  'units.pick': ['units.picked'],
  // a deploy that starts shows in the host's services and running deploys (deploys.changed usually first)
  'deploys.start': ['deploys.services', 'deploys.active'],
  'deploys.rollback': ['deploys.services', 'deploys.active'],
  'deploys.takeover': ['deploys.services', 'deploys.history']
}

/**
 * The reads an event makes stale (every cache of that method), for events that say what changed
 * without carrying the new state. Events that carry it (hosts.changed, tunnels.changed,
 * settings.changed) write the cache in their area's hook instead; so do the ones that name one
 * droplet or one zone.
 */
export const staleOn: Partial<Record<EventName, MethodName[]>> = {
  'terminals.commands.changed': ['terminals.commands.list'],
  // a token stored or removed changes which teams have one
  'secrets.changed': ['accounts.contexts'],
  // snapshots taken or deleted, firewalls attached, and the addresses records point at (dangling or
  // not) all arrive as droplets.changed
  'droplets.changed': ['droplets.list', 'snapshots.list', 'firewalls.list', 'dns.records.list'],
  'dns.changed': ['dns.missing']
}
