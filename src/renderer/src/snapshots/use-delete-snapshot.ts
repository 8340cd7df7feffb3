/** Deleting a snapshot, with its name typed as `confirm`; the caches drop it once the provider has. */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useApi } from '../rpc/api-context'
import { providerKeys, type DropletDetail, type Snapshot } from '../rpc/provider-queries'

export function useDeleteSnapshot() {
  const api = useApi()
  const client = useQueryClient()
  return useMutation({
    mutationFn: ({ snapshot, confirm, unlock }: { snapshot: Snapshot; confirm: string; unlock?: boolean }) => api.call('snapshots.delete', { id: snapshot.id, confirm, ...(unlock ? { unlock: true } : {}) }),
    onSuccess: (_result, { snapshot }) => {
      // The provider confirmed the delete: safe to drop it from every list now, then refetch.
      client.setQueriesData<Snapshot[]>({ queryKey: providerKeys.snapshots }, (old) => old?.filter((entry) => entry.id !== snapshot.id))
      client.setQueriesData<DropletDetail>({ queryKey: providerKeys.dropletDetails }, (old) =>
        old && old.snapshots.some((entry) => entry.id === snapshot.id) ? { ...old, snapshots: old.snapshots.filter((entry) => entry.id !== snapshot.id) } : old
      )
      void client.invalidateQueries({ queryKey: providerKeys.snapshots })
      if (snapshot.dropletId !== null) void client.invalidateQueries({ queryKey: providerKeys.droplet(snapshot.dropletId) })
    }
  })
}
