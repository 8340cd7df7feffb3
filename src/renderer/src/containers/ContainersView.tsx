/**
 * Containers: every container on each connected host, grouped by Compose project, with state and
 * health chips and a Restart button. Read through containers.list (the Engine API over SSH).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { Container as ContainerIcon, RotateCw } from 'lucide-react'
import { useState } from 'react'
import type { Result } from '../../../shared/contract'
import { EmptyState } from '../areas/EmptyState'
import { useApi } from '../rpc/api-context'
import { useHosts } from '../ssh/ssh-queries'
import { ErrorNotice } from '../ui/ErrorNotice'

type Container = Result<'containers.list'>[number]

const containersKey = (hostId: string) => ['containers', hostId] as const

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

function HostContainers({ hostId }: { hostId: string }) {
  const api = useApi()
  const client = useQueryClient()
  const list = useQuery({ queryKey: containersKey(hostId), queryFn: () => api.call('containers.list', { hostId }), staleTime: 10_000 })
  const [busy, setBusy] = useState<string | null>(null)
  const [failure, setFailure] = useState<unknown>(null)

  const restart = (c: Container) => {
    setBusy(c.id)
    setFailure(null)
    api
      .call('containers.action', { hostId, id: c.id, action: 'restart' })
      .then(
        () => void client.invalidateQueries({ queryKey: containersKey(hostId) }),
        (error: unknown) => setFailure(error)
      )
      .finally(() => setBusy(null))
  }

  const groups = new Map<string, Container[]>()
  for (const c of list.data ?? []) {
    const key = c.project ?? ''
    groups.set(key, [...(groups.get(key) ?? []), c])
  }

  return (
    <section className="containers-host" aria-label={`Containers on ${hostId}`}>
      <h3>{hostId}</h3>
      {failure !== null && <ErrorNotice error={failure} title="The container did not restart" onDismiss={() => setFailure(null)} />}
      {!list.data ? (
        list.isError ? <ErrorNotice error={list.error} title={`Containers on ${hostId} could not be loaded`} /> : <p className="fleet-loading" role="status">Loading containers…</p>
      ) : list.data.length === 0 ? (
        <p className="faint">No containers on {hostId}.</p>
      ) : (
        [...groups.entries()].map(([project, items]) => (
          <div key={project} role="group" aria-label={project ? `Project ${project}` : 'No project'}>
            <h4>{project || 'No Compose project'}</h4>
            <table className="rtable">
              <tbody>
                {items.map((c) => (
                  <tr key={c.id}>
                    <td>{c.name}</td>
                    <td className="faint">{c.image}</td>
                    <td>
                      <span className={`sstate sstate-c-${c.state}`}>
                        {c.state}
                        {c.exitCode !== null && c.state !== 'running' ? ` (${c.exitCode})` : ''}
                      </span>{' '}
                      {c.health && <span className={`sstate sstate-h-${c.health}`}>{c.health}</span>}
                    </td>
                    <td>
                      <button type="button" className="button button-small" aria-label={`Restart ${c.name}`} disabled={busy === c.id} onClick={() => restart(c)}>
                        <RotateCw size={13} aria-hidden="true" />
                        Restart
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))
      )}
    </section>
  )
}
