/** The live watch that keeps a host's container list current from Docker's events. */
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import type { DropdeckApi, EventPayload, Result } from '../../../shared/contract'
import { useApi } from '../rpc/api-context'
import { contractKey, contractKeyMatching } from '../rpc/contract-queries'
import { readOptions } from '../rpc/method-options'
import { streamClient } from '../rpc/stream-client'

export type Container = Result<'containers.list'>[number]
export type WatchStatus = Result<'containers.watch.open'>['status']

/**
 * containers.list for one host as react-query options: the one definition of its cache (key and
 * freshness from the data layer), which the Containers, Health and Logs views share. Callers add only
 * what is theirs (enabled, a live view's staleTime).
 */
export function containersListQuery(api: DropdeckApi, hostId: string) {
  return { queryKey: contractKey('containers.list', { hostId }), queryFn: () => api.call('containers.list', { hostId }), ...readOptions['containers.list'] }
}

/** Sorted as containers.list sorts: by project (none last), then name. */
function sorted(list: Container[]): Container[] {
  return [...list].sort((a, b) => (a.project ?? '\uffff').localeCompare(b.project ?? '\uffff') || a.name.localeCompare(b.name))
}

/**
 * The host's containers, kept live: a containers.watch stream for as long as the component is mounted,
 * whose synced/changed data rewrites the list's cache. Also refreshes an open health detail.
 */
export function useLiveContainers(hostId: string) {
  const api = useApi()
  const client = useQueryClient()
  const [status, setStatus] = useState<WatchStatus | null>(null)
  const list = useQuery({ ...containersListQuery(api, hostId), ...(status?.state === 'live' ? { staleTime: Infinity } : {}) })

  useEffect(() => {
    const watches = streamClient(api, 'containers.watch')
    let watchId: string | null = null
    let off: (() => void) | undefined
    let gone = false
    const onData = (data: EventPayload<'containers.watch.data'>) => {
      if (data.kind === 'synced') {
        client.setQueryData(contractKey('containers.list', { hostId }), sorted(data.containers))
        return
      }
      const { container } = data
      client.setQueryData<Container[]>(contractKey('containers.list', { hostId }), (old) => {
        if (!old) return old // the first sync fills it
        const rest = old.filter((c) => c.id !== container.id)
        return 'removed' in container ? rest : sorted([...rest, container])
      })
      if (!('removed' in container)) {
        // partial keys: the tail's cache also carries its line count
        const which = { hostId, id: container.id }
        void client.invalidateQueries({ queryKey: contractKeyMatching('containers.health', which) })
        void client.invalidateQueries({ queryKey: contractKeyMatching('containers.tail', which) })
        void client.invalidateQueries({ queryKey: contractKeyMatching('containers.inspect', which) })
      }
    }
    watches.open({ hostId }).then(
      (w) => {
        if (gone) {
          void watches.close(w.id).catch(() => undefined)
          return
        }
        watchId = w.id
        setStatus((s) => s ?? w.status)
        off = watches.listen(w.id, { data: onData, state: ({ id: _id, ...s }) => setStatus(s) })
      },
      () => setStatus({ hostId, state: 'reconnecting', message: 'Live updates could not start; the list refreshes when you reload it.', attempt: 0, retryInMs: null })
    )
    return () => {
      gone = true
      off?.()
      if (watchId) void watches.close(watchId).catch(() => undefined)
    }
  }, [api, client, hostId])

  return { list, status }
}
