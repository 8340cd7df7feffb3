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
}

export const readOptions: Partial<Record<MethodName, ReadOptions>> = {
  'hosts.list': { staleTime: 30_000, refetchOnWindowFocus: true },
  'tunnels.list': { staleTime: 30_000 },
  'tunnels.presets': { staleTime: 60_000 }
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
  'tunnels.stop': ['tunnels.list']
}
