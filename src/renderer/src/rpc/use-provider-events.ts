/**
 * Keeps the provider caches in step with what main pushes: accounts, actions, one droplet, one zone,
 * audit. What an event makes stale as a whole (every droplets.list, snapshots.list…) is in
 * method-options.ts staleOn.
 */
import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { recordAction } from '../activity/action-activity'
import { useApi } from './api-context'
import { providerKeys, type AuditEntry } from './provider-queries'

export function useProviderEvents(): void {
  const api = useApi()
  const client = useQueryClient()

  useEffect(() => {
    const offs = [
      api.on('accounts.changed', (states) => client.setQueryData(providerKeys.accounts, states)),
      api.on('droplets.actionProgress', (progress) => {
        recordAction(client, progress)
        if (progress.status !== 'in-progress' && progress.dropletId !== null) void client.invalidateQueries({ queryKey: providerKeys.droplet(progress.dropletId) })
        // A finished snapshot action adds a snapshot (or, errored, does not): either way the lists may differ.
        if (progress.status !== 'in-progress' && progress.type === 'snapshot') void client.invalidateQueries({ queryKey: providerKeys.snapshots })
      }),
      // the droplets it names (none: maybe any); the lists it makes stale are in staleOn
      api.on('droplets.changed', ({ ids }) => {
        if (ids.length === 0) void client.invalidateQueries({ queryKey: providerKeys.dropletDetails })
        for (const id of ids) void client.invalidateQueries({ queryKey: providerKeys.droplet(id) })
      }),
      api.on('dns.changed', ({ provider, zoneId }) => void client.invalidateQueries({ queryKey: providerKeys.records(provider, zoneId) })),
      api.on('audit.appended', (entry) =>
        client.setQueryData<AuditEntry[]>(providerKeys.audit, (old) => (old ? [entry, ...old.filter((existing) => existing.id !== entry.id)] : old))
      )
    ]
    return () => offs.forEach((off) => off())
  }, [api, client])
}
