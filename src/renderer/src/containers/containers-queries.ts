/** Query keys and the live watch that keeps a host's container list current from Docker's events. */
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import type { EventPayload, Result } from '../../../shared/contract'
import { useApi } from '../rpc/api-context'

export type Container = Result<'containers.list'>[number]
export type WatchStatus = EventPayload<'containers.watchState'>

export const containersKeys = {
  list: (hostId: string) => ['containers', hostId] as const,
  health: (hostId: string, id: string) => ['containers', hostId, 'health', id] as const,
  df: (hostId: string) => ['containers', hostId, 'df'] as const
}

/** Sorted as containers.list sorts: by project (none last), then name. */
function sorted(list: Container[]): Container[] {
  return [...list].sort((a, b) => (a.project ?? '\uffff').localeCompare(b.project ?? '\uffff') || a.name.localeCompare(b.name))
}

/**
 * The host's containers, kept live: a containers.watch for as long as the component is mounted,
 * whose synced/changed events rewrite the list's cache. Also refreshes an open health detail.
 */
export function useLiveContainers(hostId: string) {
  const api = useApi()
  const client = useQueryClient()
  const [status, setStatus] = useState<WatchStatus | null>(null)
  const list = useQuery({ queryKey: containersKeys.list(hostId), queryFn: () => api.call('containers.list', { hostId }), staleTime: status?.state === 'live' ? Infinity : 10_000 })

  useEffect(() => {
    let watchId: string | null = null
    let gone = false
    const offs = [
      api.on('containers.watchState', (s) => {
        if (s.hostId === hostId) setStatus(s)
      }),
      api.on('containers.synced', ({ hostId: h, containers }) => {
        if (h === hostId) client.setQueryData(containersKeys.list(hostId), sorted(containers))
      }),
      api.on('containers.changed', ({ hostId: h, container }) => {
        if (h !== hostId) return
        client.setQueryData<Container[]>(containersKeys.list(hostId), (old) => {
          if (!old) return old // the first sync fills it
          const rest = old.filter((c) => c.id !== container.id)
          return 'removed' in container ? rest : sorted([...rest, container])
        })
        if (!('removed' in container)) void client.invalidateQueries({ queryKey: containersKeys.health(hostId, container.id) })
      })
    ]
    api.call('containers.watch', { hostId }).then(
      (w) => {
        if (gone) void api.call('containers.unwatch', { id: w.id }).catch(() => undefined)
        else {
          watchId = w.id
          setStatus((s) => s ?? w.status)
        }
      },
      () => setStatus({ hostId, state: 'reconnecting', message: 'Live updates could not start; the list refreshes when you reload it.', attempt: 0, retryInMs: null })
    )
    return () => {
      gone = true
      for (const off of offs) off()
      if (watchId) void api.call('containers.unwatch', { id: watchId }).catch(() => undefined)
    }
  }, [api, client, hostId])

  return { list, status }
}
