/**
 * Hosts: every SSH host (ssh_config, droplets, added by hand) with its pooled connection's state,
 * live through hosts.changed. Connect walks through host-key trust and key unlocking.
 */
import { useQueryClient } from '@tanstack/react-query'
import { Plug, Plus, Search, Server, Trash2, Unplug } from 'lucide-react'
import { useMemo, useState } from 'react'
import { EmptyState } from '../areas/EmptyState'
import { useContractFetch, useContractMutation } from '../rpc/contract-queries'
import { ConfirmDialog } from '../ui/ConfirmDialog'
import { ErrorNotice } from '../ui/ErrorNotice'
import { QueryState } from '../ui/QueryState'
import { AddHostDialog } from './AddHostDialog'
import { upsertHost, useHosts, type Host } from './ssh-queries'
import { useSshFlow } from './use-ssh-flow'
import { ConnectionState } from './ConnectionState'
import { HostLinks } from './HostLinks'
import { RetryNote } from './RetryNote'

const sourceLabels: Record<Host['source'], string> = { 'ssh-config': 'ssh-config', droplet: 'droplet', manual: 'manual' }

export function hostAddress(host: Host): string {
  return `${host.user}@${host.hostname}${host.port === 22 ? '' : `:${host.port}`}`
}

export function HostsView() {
  const hosts = useHosts()
  const client = useQueryClient()
  const fetchHosts = useContractFetch('hosts.list')
  const connect = useContractMutation('hosts.connect', { onSuccess: (host) => upsertHost(client, host) })
  const disconnect = useContractMutation('hosts.disconnect', { onSuccess: (host) => upsertHost(client, host) })
  const removeHost = useContractMutation('hosts.remove')
  const [query, setQuery] = useState('')
  const [adding, setAdding] = useState(false)
  const [removing, setRemoving] = useState<Host | null>(null)
  /** A host something still uses (tunnels, terminals, log follows): Disconnect asks first. */
  const [disconnecting, setDisconnecting] = useState<Host | null>(null)
  const [busy, setBusy] = useState<Record<string, boolean>>({})
  const [failure, setFailure] = useState<{ hostId: string; error: unknown } | null>(null)
  const flow = useSshFlow((error, hostId) => setFailure({ hostId, error }))

  const list = useMemo(() => [...(hosts.data ?? [])].sort((a, b) => a.id.localeCompare(b.id)), [hosts.data])
  const q = query.trim().toLowerCase()
  const shown = list.filter((h) => !q || `${h.id} ${h.hostname} ${h.user} ${h.source} ${h.proxyJump ?? ''}`.toLowerCase().includes(q))

  const act = (host: Host, what: 'connect' | 'disconnect') => {
    setFailure(null)
    setBusy((b) => ({ ...b, [host.id]: true }))
    const action = () => (what === 'connect' ? connect : disconnect).mutateAsync({ hostId: host.id })
    void flow.run(host.id, action).finally(() => setBusy((b) => ({ ...b, [host.id]: false })))
  }

  // What uses the connection changes without a hosts.changed (a tunnel or a log follow starting), so the
  // cached inUse may be old: ask the host service now, and ask the operator when anything still uses it.
  const askOrDisconnect = async (host: Host) => {
    setBusy((b) => ({ ...b, [host.id]: true }))
    const now = await fetchHosts()
      .then((listed) => listed.find((h) => h.id === host.id) ?? host)
      .catch(() => host)
      .finally(() => setBusy((b) => ({ ...b, [host.id]: false })))
    if ((now.inUse ?? 0) > 0) setDisconnecting(now)
    else act(now, 'disconnect')
  }

  const remove = () => {
    if (!removing) return
    const id = removing.id
    void removeHost.mutateAsync({ hostId: id }).then(
      () => setRemoving(null),
      (error: unknown) => {
        setRemoving(null)
        setFailure({ hostId: id, error })
      }
    )
  }

  if (!hosts.data) return <QueryState query={hosts} layout="view" loading="Loading hosts…" failed="Hosts could not be loaded">{() => null}</QueryState>

  return (
    <div className="fleet-view ssh-view">
      {list.length === 0 ? (
        <EmptyState
          icon={Server}
          title="No hosts yet"
          actions={
            <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
              <Plus size={14} aria-hidden="true" />
              Add host
            </button>
          }
        >
          Hosts come from ~/.ssh/config (DROPDECK_SSH_CONFIG), droplets, or Add host.
        </EmptyState>
      ) : (
        <>
          <div className="toolbar">
            <div className="filter filter-narrow">
              <Search size={13} className="filter-icon" aria-hidden="true" />
              <input className="input filter-input" placeholder="Filter hosts" aria-label="Filter hosts" value={query} spellCheck={false} onChange={(e) => setQuery(e.target.value)} />
            </div>
            <span className="summary faint">
              {list.length} host{list.length === 1 ? '' : 's'}
              {' · '}
              {list.filter((h) => h.state === 'connected').length} connected
            </span>
            <div className="toolbar-spacer" />
            <button type="button" className="button button-small button-primary" onClick={() => setAdding(true)}>
              <Plus size={13} aria-hidden="true" />
              Add host
            </button>
          </div>
          {failure && (
            <div className="inline-notice">
              <ErrorNotice error={failure.error} title={`${failure.hostId}: ${errorTitle(failure.error)}`} onDismiss={() => setFailure(null)} />
            </div>
          )}
          {shown.length === 0 ? (
            <p className="table-empty">No host matches.</p>
          ) : (
            <div className="rtable-scroll">
              <table className="rtable stable" aria-label="Hosts">
                <colgroup>
                  <col style={{ width: '18%' }} />
                  <col style={{ width: '26%' }} />
                  <col style={{ width: 96 }} />
                  <col style={{ width: '14%' }} />
                  <col />
                  {/* The host's links (terminal, containers, health, deploys, tunnel) and Connect/Disconnect. */}
                  <col style={{ width: 280 }} />
                </colgroup>
                <thead>
                  <tr>
                    <th scope="col">Alias</th>
                    <th scope="col">Address</th>
                    <th scope="col">Source</th>
                    <th scope="col">ProxyJump</th>
                    <th scope="col">Connection</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((host) => {
                    const live = host.state === 'connected' || host.state === 'reconnecting' || host.state === 'connecting'
                    return (
                      <tr key={host.id} data-host={host.id} className={host.state === 'error' ? 'is-error' : undefined}>
                        <td className="strong" title={host.id}>
                          <span className="truncate-block">{host.id}</span>
                        </td>
                        <td className="mono" title={hostAddress(host)}>
                          <span className="truncate-block">{hostAddress(host)}</span>
                        </td>
                        <td>
                          <span className={`chip source-${host.source}`}>{sourceLabels[host.source]}</span>
                        </td>
                        <td className="mono faint" title={host.proxyJump}>
                          <span className="truncate-block">{host.proxyJump ?? '—'}</span>
                        </td>
                        <td title={host.error?.message}>
                          <span className="sstate-cell">
                            <ConnectionState state={host.state} error={host.error} />
                            {host.error && host.state !== 'connected' && <span className="sstate-error">{host.error.message}</span>}
                            {host.retry && host.state !== 'connected' && <RetryNote retry={host.retry} />}
                          </span>
                        </td>
                        <td className="row-actions">
                          {live && <HostLinks hostId={host.id} />}
                          {live ? (
                            <button type="button" className="button button-small" disabled={busy[host.id]} onClick={() => void askOrDisconnect(host)} aria-label={`Disconnect ${host.id}`}>
                              <Unplug size={12} aria-hidden="true" />
                              Disconnect
                            </button>
                          ) : (
                            <button type="button" className="button button-small" disabled={busy[host.id]} onClick={() => act(host, 'connect')} aria-label={`${host.retry?.gaveUp ? 'Retry' : 'Connect'} ${host.id}`}>
                              <Plug size={12} aria-hidden="true" />
                              {busy[host.id] ? 'Connecting…' : host.retry?.gaveUp ? 'Retry' : 'Connect'}
                            </button>
                          )}
                          {host.source === 'manual' && (
                            <button type="button" className="icon-button icon-button-danger" aria-label={`Remove ${host.id}`} onClick={() => setRemoving(host)}>
                              <Trash2 size={13} aria-hidden="true" />
                            </button>
                          )}
                        </td>
                      </tr>
                    )
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      {adding && <AddHostDialog onClose={() => setAdding(false)} />}
      <ConfirmDialog
        open={disconnecting !== null}
        onOpenChange={(open) => !open && setDisconnecting(null)}
        title={disconnecting ? `Disconnect ${disconnecting.id}?` : ''}
        description={
          disconnecting
            ? `${disconnecting.inUse === 1 ? 'One tunnel, terminal or log follow uses' : `${disconnecting.inUse} tunnels, terminals and log follows use`} this connection. Its tunnels stop (they stay listed and start again when you connect), terminals and log follows pause, and it stays disconnected until you connect it again.`
            : ''
        }
        confirmLabel="Disconnect"
        onConfirm={() => {
          if (disconnecting) act(disconnecting, 'disconnect')
          setDisconnecting(null)
        }}
      />
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title={removing ? `Remove the host ${removing.id}?` : ''}
        description={removing ? `${hostAddress(removing)} leaves the list; its tunnels stop and its connection closes. Nothing changes on the server.` : ''}
        confirmLabel="Remove host"
        onConfirm={remove}
      />
      {flow.dialog}
    </div>
  )
}

function errorTitle(error: unknown): string {
  const code = (error as { code?: string }).code
  if (code === 'TIMEOUT') return 'no answer in time'
  if (code === 'AUTH_FAILED') return 'the server refused the login'
  if (code === 'UPSTREAM') return 'could not connect'
  return 'the action failed'
}
