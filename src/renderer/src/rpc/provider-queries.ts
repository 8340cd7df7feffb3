/**
 * The provider methods as react-query hooks. Keys are the method names (plus their params), like
 * queries.ts, so events and mutations update exactly the cache a method fills.
 *
 * Lists are cached across navigation (staleTime), refreshed on focus and on a schedule; the last
 * good data stays in the cache when a refresh fails, and the views mark it stale.
 */
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import type { Params, Provider, Result } from '../../../shared/contract'
import { useApi } from './api-context'

export type Droplet = Result<'droplets.list'>[number]
export type DropletDetail = Result<'droplets.get'>
export type DropletAction = Params<'droplets.action'>['action']
export type ActionState = Result<'droplets.action'>
export type AuditEntry = Result<'audit.list'>[number]
export type Zone = Result<'dns.zones.list'>['items'][number]
export type ProviderListError = Result<'dns.zones.list'>['errors'][number]
export type DnsRecord = Result<'dns.records.list'>[number]
export type DnsRecordInput = Params<'dns.records.create'>['record']
export type AccountState = Result<'accounts.status'>[number]
export type ProviderHealth = Result<'providers.health'>[number]
export type Snapshot = Result<'snapshots.list'>[number]
export type Firewall = Result<'firewalls.list'>[number]

export const providerKeys = {
  droplets: ['droplets.list'] as const,
  droplet: (id: number) => ['droplets.get', id] as const,
  dropletDetails: ['droplets.get'] as const,
  health: ['providers.health'] as const,
  audit: ['audit.list'] as const,
  zones: ['dns.zones.list'] as const,
  records: (provider: Provider, zoneId: string) => ['dns.records.list', provider, zoneId] as const,
  allRecords: ['dns.records.list'] as const,
  missing: ['dns.missing'] as const,
  accounts: ['accounts.status'] as const,
  contexts: ['accounts.contexts'] as const,
  /** Every snapshots.list cache: the whole team's (`['snapshots.list', 'all']`) and each droplet's. */
  snapshots: ['snapshots.list'] as const,
  snapshotsFor: (dropletId: number | 'all') => ['snapshots.list', dropletId] as const,
  firewalls: ['firewalls.list'] as const
}

const MINUTE = 60_000

export function useDroplets(options: { enabled?: boolean } = {}) {
  const api = useApi()
  return useQuery({
    queryKey: providerKeys.droplets,
    queryFn: () => api.call('droplets.list', {}),
    // Navigating back within half a minute shows the cache without a request.
    staleTime: 30_000,
    refetchInterval: MINUTE,
    refetchOnWindowFocus: true,
    enabled: options.enabled ?? true
  })
}

/** Ask the service to bypass its own cache; the result lands in the list's cache (or its error does). */
export function refreshDroplets(client: QueryClient, api: ReturnType<typeof useApi>): Promise<void> {
  return client
    .fetchQuery({ queryKey: providerKeys.droplets, queryFn: () => api.call('droplets.list', { refresh: true }), staleTime: 0 })
    .then(
      () => undefined,
      () => undefined
    )
}

export function useDroplet(id: number | undefined) {
  const api = useApi()
  return useQuery({
    queryKey: providerKeys.droplet(id ?? 0),
    queryFn: () => api.call('droplets.get', { id: id! }),
    enabled: id !== undefined,
    staleTime: 15_000
  })
}

/** The team's snapshots (`snapshots.list {}`), or one droplet's. */
export function useSnapshots(options: { dropletId?: number; enabled?: boolean } = {}) {
  const api = useApi()
  const { dropletId } = options
  return useQuery({
    queryKey: providerKeys.snapshotsFor(dropletId ?? 'all'),
    queryFn: () => api.call('snapshots.list', dropletId === undefined ? {} : { dropletId }),
    enabled: options.enabled ?? true,
    staleTime: MINUTE
  })
}

export function useFirewalls(enabled = true) {
  const api = useApi()
  return useQuery({ queryKey: providerKeys.firewalls, queryFn: () => api.call('firewalls.list'), enabled, staleTime: MINUTE })
}

export function useProviderHealth() {
  const api = useApi()
  return useQuery({ queryKey: providerKeys.health, queryFn: () => api.call('providers.health'), staleTime: 15_000, refetchInterval: 30_000, retry: false })
}

export function useAudit(enabled = true) {
  const api = useApi()
  return useQuery({ queryKey: providerKeys.audit, queryFn: () => api.call('audit.list', { limit: 500 }), enabled, staleTime: 5 * MINUTE })
}

export function useZones(enabled = true) {
  const api = useApi()
  return useQuery({ queryKey: providerKeys.zones, queryFn: () => api.call('dns.zones.list', {}), enabled, staleTime: 5 * MINUTE })
}

export function useRecords(zone: Zone | undefined) {
  const api = useApi()
  return useQuery({
    queryKey: providerKeys.records(zone?.provider ?? 'cloudflare', zone?.id ?? ''),
    queryFn: () => api.call('dns.records.list', { provider: zone!.provider, zoneId: zone!.id }),
    enabled: zone !== undefined,
    staleTime: MINUTE,
    refetchInterval: 5 * MINUTE
  })
}

/** Reads a zone's records past the service's own cache (`refresh: true`) into the cache useRecords reads; resolves either way. */
export function useRefreshRecords(): (zone: Zone) => Promise<void> {
  const api = useApi()
  const client = useQueryClient()
  return (zone) =>
    client
      .fetchQuery({ queryKey: providerKeys.records(zone.provider, zone.id), queryFn: () => api.call('dns.records.list', { provider: zone.provider, zoneId: zone.id, refresh: true }), staleTime: 0 })
      .then(
        () => undefined,
        () => undefined
      )
}

export function useMissingHostnames(enabled = true) {
  const api = useApi()
  return useQuery({ queryKey: providerKeys.missing, queryFn: () => api.call('dns.missing'), enabled, staleTime: 5 * MINUTE })
}

export function useAccounts() {
  const api = useApi()
  return useQuery({ queryKey: providerKeys.accounts, queryFn: () => api.call('accounts.status'), staleTime: 5 * MINUTE, retry: false })
}

export function useContexts(enabled = true) {
  const api = useApi()
  return useQuery({ queryKey: providerKeys.contexts, queryFn: () => api.call('accounts.contexts'), enabled, staleTime: 5 * MINUTE, retry: false })
}

/** Verify one provider's token now; the answer replaces that provider's entry in accounts.status. */
export function useVerifyAccount() {
  const api = useApi()
  const client = useQueryClient()
  return useMutation({
    mutationFn: (provider: Provider) => api.call('accounts.verify', { provider }),
    onSuccess: (state) => client.setQueryData<AccountState[]>(providerKeys.accounts, (old) => upsertAccount(old, state))
  })
}

export function upsertAccount(list: AccountState[] | undefined, state: AccountState): AccountState[] {
  const rest = (list ?? []).filter((entry) => entry.provider !== state.provider)
  return [...rest, state]
}

/** Switching team changes every DigitalOcean answer: drop those caches. */
export function useSwitchContext() {
  const api = useApi()
  const client = useQueryClient()
  return useMutation({
    mutationFn: (name: string) => api.call('accounts.useContext', { name }),
    onSuccess: () => {
      for (const key of [providerKeys.contexts, providerKeys.accounts, providerKeys.droplets, providerKeys.dropletDetails, providerKeys.snapshots, providerKeys.firewalls, providerKeys.zones, providerKeys.allRecords, providerKeys.missing, providerKeys.health]) {
        void client.invalidateQueries({ queryKey: key })
      }
    }
  })
}
