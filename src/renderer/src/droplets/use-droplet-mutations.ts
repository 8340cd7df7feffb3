/** Droplet actions and tags, with the read-only guard's `unlock` and the typed `confirm`. */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { recordAction } from '../activity/action-activity'
import { useApi } from '../rpc/api-context'
import { providerKeys, type Droplet, type DropletAction, type DropletDetail } from '../rpc/provider-queries'

export interface Guard {
  confirm?: string
  unlock?: boolean
}

export function useDropletAction(droplet: Pick<Droplet, 'id' | 'name'>) {
  const api = useApi()
  const client = useQueryClient()
  return useMutation({
    mutationFn: ({ action, confirm, unlock }: { action: DropletAction } & Guard) =>
      api.call('droplets.action', { id: droplet.id, action, ...(confirm === undefined ? {} : { confirm }), ...(unlock ? { unlock: true } : {}) }),
    onSuccess: (result) => recordAction(client, { ...result, dropletId: result.dropletId ?? droplet.id, dropletName: droplet.name })
  })
}

export function useDropletTag(droplet: Pick<Droplet, 'id'>) {
  const api = useApi()
  const client = useQueryClient()
  return useMutation({
    mutationFn: ({ tag, remove, unlock }: { tag: string; remove?: boolean } & Guard) =>
      api.call('droplets.tag', { id: droplet.id, tag, ...(remove ? { remove: true } : {}), ...(unlock ? { unlock: true } : {}) }),
    // The answer is the droplet's tags as the provider now has them: safe to write into both caches.
    onSuccess: ({ tags }) => {
      client.setQueryData<Droplet[]>(providerKeys.droplets, (old) => old?.map((entry) => (entry.id === droplet.id ? { ...entry, tags } : entry)))
      client.setQueryData<DropletDetail>(providerKeys.droplet(droplet.id), (old) => (old ? { ...old, tags } : old))
    }
  })
}
