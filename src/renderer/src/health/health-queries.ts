/**
 * The Health area's reads as react-query caches: facts, units and containers per connected host,
 * refreshed every REFRESH_MS while the area is on screen (react-query pauses intervals in a hidden
 * window) and all at once by the Refresh button.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { Result } from '../../../shared/contract'
import { useApi } from '../rpc/api-context'
import { useContractQuery } from '../rpc/contract-queries'
import { containersListQuery } from '../containers/containers-queries'

export type HostFacts = Result<'hosts.facts'>
export type Unit = Result<'units.list'>[number]
export type Container = Result<'containers.list'>[number]

export const REFRESH_MS = 30_000

export const healthKeys = {
  all: ['health'] as const,
  facts: (hostId: string) => ['health', 'facts', hostId] as const,
  units: (hostId: string) => ['health', 'units', hostId] as const
}

const live = { refetchInterval: REFRESH_MS, staleTime: 5_000, retry: false } as const

export function useFacts(hostId: string) {
  const api = useApi()
  return useQuery({ queryKey: healthKeys.facts(hostId), queryFn: () => api.call('hosts.facts', { hostId }), ...live })
}

export function useUnits(hostId: string) {
  const api = useApi()
  return useQuery({ queryKey: healthKeys.units(hostId), queryFn: () => api.call('units.list', { hostId }), ...live })
}

export function usePickedUnits(hostId: string, enabled: boolean) {
  return useContractQuery('units.picked', { hostId }, { enabled })
}

export function useHostContainers(hostId: string) {
  const api = useApi()
  // the Containers area's cache, so both views share it
  return useQuery({ ...containersListQuery(api, hostId), ...live })
}

/** Refetches everything the Health area shows, for every host. */
export function useRefreshHealth() {
  const client = useQueryClient()
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: healthKeys.all }),
      // the area's contract caches (not DigitalOcean's history: its refreshes are rationed)
      ...(['metrics.host', 'checks.list', 'alerts.list', 'units.picked'] as const).map((method) => client.invalidateQueries({ queryKey: [method] })),
      client.invalidateQueries({ queryKey: ['containers.list'] })
    ])
}
