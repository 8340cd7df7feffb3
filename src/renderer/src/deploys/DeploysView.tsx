/**
 * Deploys: every connected host's deployable services (Compose services and plain containers, found
 * from their containers), with health-gated deploys and rollbacks locked on the host (./HostDeploys.tsx).
 */
import { Rocket } from 'lucide-react'
import { EmptyState } from '../areas/EmptyState'
import { useHosts } from '../ssh/ssh-queries'
import { QueryState } from '../ui/QueryState'
import { HostDeploys } from './HostDeploys'

export function DeploysView() {
  const hosts = useHosts()
  const connected = (hosts.data ?? []).filter((h) => h.state === 'connected')
  return (
    <div className="fleet-view ssh-view">
      <div className="toolbar">
        <h2 className="zone-title">Deploys</h2>
      </div>
      <div className="fleet-body">
        <div className="fleet-main">
          <QueryState
            query={hosts}
            layout="view"
            loading="Loading hosts…"
            failed="Hosts could not be loaded"
            isEmpty={() => connected.length === 0}
            empty={
              <EmptyState icon={Rocket} title="No connected hosts">
                Connect a host in Hosts to deploy its services here.
              </EmptyState>
            }
          >
            {() => connected.map((h) => <HostDeploys key={h.id} hostId={h.id} />)}
          </QueryState>
        </div>
      </div>
    </div>
  )
}
