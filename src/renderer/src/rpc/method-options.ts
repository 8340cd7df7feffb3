/**
 * One place for what each contract method means to the renderer's cache: how long a read stays fresh,
 * and which reads a successful write makes stale. Views never write these at a call site, so two
 * views reading one method read the same cache with the same options.
 */
import type { MethodName } from '../../../shared/contract'

export interface ReadOptions {
  staleTime?: number
  refetchOnWindowFocus?: boolean
  refetchInterval?: number
  /** false: a failure is shown at once (a missing path, a refused read), never retried. */
  retry?: false
  /** 0: the answer is a one-off preview, not kept once nobody shows it. */
  gcTime?: number
}

export const readOptions: Partial<Record<MethodName, ReadOptions>> = {
  'hosts.list': { staleTime: 30_000, refetchOnWindowFocus: true },
  'tunnels.list': { staleTime: 30_000 },
  'tunnels.presets': { staleTime: 60_000 },
  'app.info': { staleTime: Infinity },
  'containers.list': { staleTime: 10_000 },
  'containers.df': { staleTime: 30_000 },
  // Live CPU and memory: one Engine API reading every few seconds while shown.
  'containers.stats': { refetchInterval: 5000 },
  // What a prune would delete right now: never a cached answer.
  'containers.prunePreview': { staleTime: 0, gcTime: 0 },
  'files.home': { retry: false },
  'files.list': { retry: false },
  'files.bookmarks.list': { retry: false }
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
  'containers.prune': ['containers.df', 'containers.list']
}
