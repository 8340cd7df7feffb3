/**
 * Deploys: every connected host's deployable services (Compose services and plain containers, found
 * from their containers), with health-gated deploys and rollbacks locked on the host (./HostDeploys.tsx).
 */
import { Rocket } from 'lucide-react'
import { EmptyState } from '../areas/EmptyState'
import { useHosts } from '../ssh/ssh-queries'
import { ErrorNotice } from '../ui/ErrorNotice'
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
          {!hosts.data ? (
            hosts.isError ? <div className="fleet-message"><ErrorNotice error={hosts.error} title="Hosts could not be loaded" /></div> : <p className="fleet-loading" role="status">Loading hosts…</p>
          ) : connected.length === 0 ? (
            <EmptyState icon={Rocket} title="No connected hosts">
              Connect a host in Hosts to deploy its services here.
            </EmptyState>
          ) : (
            connected.map((h) => <HostDeploys key={h.id} hostId={h.id} />)
          )}
        </div>
      </div>
    </div>
  )
}
