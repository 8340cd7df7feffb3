/**
 * Containers: every container on each connected host, grouped by Compose project, kept live from
 * Docker's events stream (./HostContainers.tsx). Read through the Engine API over SSH.
 */
import { Container as ContainerIcon } from 'lucide-react'
import { EmptyState } from '../areas/EmptyState'
import { useHosts } from '../ssh/ssh-queries'
import { ErrorNotice } from '../ui/ErrorNotice'
import { HostContainers } from './HostContainers'

export function ContainersView() {
  const hosts = useHosts()
  const connected = (hosts.data ?? []).filter((h) => h.state === 'connected')
  return (
    <div className="fleet-view ssh-view">
      <div className="toolbar">
        <h2 className="zone-title">Containers</h2>
      </div>
      <div className="fleet-body">
        <div className="fleet-main">
          {!hosts.data ? (
            hosts.isError ? <div className="fleet-message"><ErrorNotice error={hosts.error} title="Hosts could not be loaded" /></div> : <p className="fleet-loading" role="status">Loading hosts…</p>
          ) : connected.length === 0 ? (
            <EmptyState icon={ContainerIcon} title="No connected hosts">
              Connect a host in Hosts to see its Docker containers here.
            </EmptyState>
          ) : (
            connected.map((h) => <HostContainers key={h.id} hostId={h.id} />)
          )}
        </div>
      </div>
    </div>
  )
}
