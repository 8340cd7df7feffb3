/**
 * The body of an area over every connected host (Containers, Deploys):
 * hosts.list loading or failed, the area's empty state while no host is connected, then the area's
 * blocks for the hosts given.
 */
import type { LucideIcon } from 'lucide-react'
import type { ReactNode } from 'react'
import { EmptyState } from '../areas/EmptyState'
import { useHosts, type Host } from '../ssh/ssh-queries'
import { QueryState } from './QueryState'

export function ConnectedHostsState({ hosts, icon, title = 'No connected hosts', hint, children }: { hosts: ReturnType<typeof useHosts>; icon: LucideIcon; title?: string; hint: ReactNode; children: (connected: Host[]) => ReactNode }) {
  const connected = (hosts.data ?? []).filter((h) => h.state === 'connected')
  return (
    <QueryState
      query={hosts}
      layout="view"
      loading="Loading hosts…"
      failed="Hosts could not be loaded"
      isEmpty={() => connected.length === 0}
      empty={
        <EmptyState icon={icon} title={title}>
          {hint}
        </EmptyState>
      }
    >
      {() => children(connected)}
    </QueryState>
  )
}
