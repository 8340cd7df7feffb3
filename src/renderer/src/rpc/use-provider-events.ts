/** Keeps the provider caches in step with what main pushes: accounts, actions, droplets, DNS, audit. */
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
      // A token stored or removed changes which teams have one.
      api.on('secrets.changed', () => void client.invalidateQueries({ queryKey: providerKeys.contexts })),
      api.on('droplets.actionProgress', (progress) => {
        recordAction(client, progress)
        if (progress.status !== 'in-progress' && progress.dropletId !== null) void client.invalidateQueries({ queryKey: providerKeys.droplet(progress.dropletId) })
        // A finished snapshot action adds a snapshot (or, errored, does not): either way the lists may differ.
        if (progress.status !== 'in-progress' && progress.type === 'snapshot') void client.invalidateQueries({ queryKey: providerKeys.snapshots })
      }),
      api.on('droplets.changed', ({ ids }) => {
        void client.invalidateQueries({ queryKey: providerKeys.droplets })
        if (ids.length === 0) void client.invalidateQueries({ queryKey: providerKeys.dropletDetails })
        for (const id of ids) void client.invalidateQueries({ queryKey: providerKeys.droplet(id) })
        // Snapshots taken or deleted, firewalls attached: all arrive as droplets.changed.
        void client.invalidateQueries({ queryKey: providerKeys.snapshots })
        void client.invalidateQueries({ queryKey: providerKeys.firewalls })
        // Records point at droplets by IP; a new address can make one dangling or not.
        void client.invalidateQueries({ queryKey: providerKeys.allRecords })
      }),
      api.on('dns.changed', ({ provider, zoneId }) => {
        void client.invalidateQueries({ queryKey: providerKeys.records(provider, zoneId) })
        void client.invalidateQueries({ queryKey: providerKeys.missing })
      }),
      api.on('audit.appended', (entry) =>
        client.setQueryData<AuditEntry[]>(providerKeys.audit, (old) => (old ? [entry, ...old.filter((existing) => existing.id !== entry.id)] : old))
      )
    ]
    return () => offs.forEach((off) => off())
  }, [api, client])
}
