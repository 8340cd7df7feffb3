/**
 * Containers: every container on each connected host, grouped by Compose project, kept live from
 * Docker's events stream (./HostContainers.tsx). Read through the Engine API over SSH. With more
 * than one host connected, a filter by host and by Compose project. The host filter lives in the hash
 * (#/containers?host=<id>), so a link from a host opens its containers alone.
 */
import { useQueries } from '@tanstack/react-query'
import { Container as ContainerIcon } from 'lucide-react'
import { useState } from 'react'
import { goTo, useHashQuery } from '../navigation/use-hash-path'
import { useHosts } from '../ssh/ssh-queries'
import { ConnectedHostsState } from '../ui/ConnectedHostsState'
import type { Container } from './containers-queries'
import { contractKey } from '../rpc/contract-queries'
import { HostContainers } from './HostContainers'

const ALL = '\u0000all'
const NO_PROJECT = ''

export function ContainersView() {
  const hosts = useHosts()
  const connected = (hosts.data ?? []).filter((h) => h.state === 'connected')
  const routed = useHashQuery().get('host')
  // A host that is not (or no longer) connected filters nothing rather than showing an empty list.
  const host = routed && connected.some((h) => h.id === routed) ? routed : ALL
  const setHost = (next: string) => goTo('containers', [], next === ALL ? {} : { host: next })
  const [project, setProject] = useState(ALL)
  // The projects come from the lists the host sections keep live (read from the cache, never fetched here).
  const lists = useQueries({ queries: connected.map((h) => ({ queryKey: contractKey('containers.list', { hostId: h.id }), queryFn: (): Container[] => [], enabled: false })) })
  const projects = [...new Set(lists.flatMap((l, i) => (host === ALL || connected[i]?.id === host ? (l.data ?? []).map((c) => c.project ?? NO_PROJECT) : [])))].sort()
  const filtering = connected.length > 1
  const shown = connected.filter((h) => host === ALL || h.id === host)
  return (
    <div className="fleet-view ssh-view">
      <div className="toolbar">
        <h2 className="zone-title">Containers</h2>
        {filtering && (
          <div className="cfilter" role="group" aria-label="Filter containers">
            <select className="input" aria-label="Host" value={host} onChange={(e) => setHost(e.target.value)}>
              <option value={ALL}>All hosts ({connected.length})</option>
              {connected.map((h) => <option key={h.id} value={h.id}>{h.id}</option>)}
            </select>
            <select className="input" aria-label="Compose project" value={project} onChange={(e) => setProject(e.target.value)}>
              <option value={ALL}>All projects</option>
              {projects.map((p) => <option key={p} value={p}>{p === NO_PROJECT ? 'No Compose project' : p}</option>)}
            </select>
          </div>
        )}
      </div>
      <div className="fleet-body">
        <div className="fleet-main">
          <ConnectedHostsState hosts={hosts} icon={ContainerIcon} hint="Connect a host in Hosts to see its Docker containers here.">
            {() => shown.map((h) => <HostContainers key={h.id} hostId={h.id} project={filtering && project !== ALL ? project : undefined} />)}
          </ConnectedHostsState>
        </div>
      </div>
    </div>
  )
}
