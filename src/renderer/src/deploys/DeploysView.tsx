/**
 * Deploys: every connected host's deployable services (Compose services and plain containers, found
 * from their containers), with health-gated deploys and rollbacks locked on the host (./HostDeploys.tsx).
 */
import { Rocket } from 'lucide-react'
import { useHosts } from '../ssh/ssh-queries'
import { ConnectedHostsState } from '../ui/ConnectedHostsState'
import { HostDeploys } from './HostDeploys'

export function DeploysView() {
  const hosts = useHosts()
  return (
    <div className="fleet-view ssh-view">
      <div className="toolbar">
        <h2 className="zone-title">Deploys</h2>
      </div>
      <div className="fleet-body">
        <div className="fleet-main">
          <ConnectedHostsState hosts={hosts} icon={Rocket} hint="Connect a host in Hosts to deploy its services here.">
            {(connected) => connected.map((h) => <HostDeploys key={h.id} hostId={h.id} />)}
          </ConnectedHostsState>
        </div>
      </div>
    </div>
  )
}
