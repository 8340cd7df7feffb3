/**
 * Start a tunnel: host, remote host and port, local port (optional). A connected host's published
 * container ports are offered to pick from. A taken local port shows who holds it and offers the free
 * port the service suggests.
 */
import * as Dialog from '@radix-ui/react-dialog'
import { useQuery } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { errorData, type ErrorData } from '../../../shared/error-data'
import { useContractMutation } from '../rpc/contract-queries'
import { useApi } from '../rpc/api-context'
import { errorMessage } from '../rpc/errors'
import { containersListQuery } from '../containers/containers-queries'
import { useHosts } from '../ssh/ssh-queries'
import { useSshFlow } from '../ssh/use-ssh-flow'
import { DialogActions } from '../ui/DialogActions'
import { hostPorts } from './host-ports'

export interface TunnelDraft {
  hostId: string
  remoteHost: string
  remotePort: string
  localPort: string
}

export function portInUse(error: unknown): ErrorData<'PORT_IN_USE'> | undefined {
  return errorData(error, 'PORT_IN_USE')
}

export function NewTunnelDialog({ initial, initialError, title, onClose }: { initial: Partial<TunnelDraft>; initialError?: unknown; title?: string; onClose: () => void }) {
  const startTunnel = useContractMutation('tunnels.start')
  const hosts = useHosts().data ?? []
  const id = useId()
  const [draft, setDraft] = useState<TunnelDraft>({ hostId: hosts[0]?.id ?? '', remoteHost: 'localhost', remotePort: '', localPort: '', ...initial })
  const [error, setError] = useState<unknown>(initialError ?? null)
  const [busy, setBusy] = useState(false)
  const [startOnLaunch, setStartOnLaunch] = useState(false)
  const flow = useSshFlow((e) => setError(e))
  const hostId = draft.hostId || hosts[0]?.id || ''
  // Only a connected host's containers are read: listing must not connect a host by itself.
  const api = useApi()
  const connected = hosts.some((h) => h.id === hostId && h.state === 'connected')
  const containers = useQuery({ ...containersListQuery(api, hostId), enabled: connected })
  const ports = connected ? hostPorts(containers.data ?? []) : []
  const set = (key: keyof TunnelDraft, value: string) => {
    setDraft((d) => ({ ...d, [key]: value }))
    setError(null)
  }

  const start = (localPort: string) => {
    const remotePort = Number(draft.remotePort.trim())
    if (!hostId || !Number.isInteger(remotePort) || remotePort < 1) return setError(new Error('Enter the remote port.'))
    if (localPort.trim() && !/^\d+$/.test(localPort.trim())) return setError(new Error('The local port is a number (or empty for any).'))
    setBusy(true)
    setError(null)
    const params = { hostId, remoteHost: draft.remoteHost.trim() || 'localhost', remotePort, ...(localPort.trim() ? { localPort: Number(localPort.trim()) } : {}), ...(startOnLaunch ? { startOnLaunch } : {}) }
    void flow
      .run(hostId, async () => {
        await startTunnel.mutateAsync(params)
        onClose()
      })
      .finally(() => setBusy(false))
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    start(draft.localPort)
  }
  const taken = portInUse(error)

  return (
    <>
      <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
        <Dialog.Portal>
          <Dialog.Overlay className="dialog-overlay" />
          <Dialog.Content className="dialog-content dialog-form">
            <form onSubmit={onSubmit} noValidate>
              <Dialog.Title className="dialog-title">{title ?? 'New tunnel'}</Dialog.Title>
              <Dialog.Description className="dialog-description">Like ssh -L: a port on this machine that reaches a port behind the host. It stays up through reconnects.</Dialog.Description>
              <div className="form-grid form-grid-tunnel">
                <div className="form-field form-field-host">
                  <label className="dialog-label" htmlFor={`${id}-host`}>
                    Host
                  </label>
                  <select id={`${id}-host`} className="input" value={hostId} onChange={(e) => set('hostId', e.target.value)}>
                    {hosts.map((h) => (
                      <option key={h.id} value={h.id}>
                        {h.id} ({h.user}@{h.hostname})
                      </option>
                    ))}
                  </select>
                </div>
                <div className="form-field">
                  <label className="dialog-label" htmlFor={`${id}-rhost`}>
                    Remote host <span className="faint">(seen from the host)</span>
                  </label>
                  <input id={`${id}-rhost`} className="input input-mono" value={draft.remoteHost} spellCheck={false} onChange={(e) => set('remoteHost', e.target.value)} />
                </div>
                <div className="form-field">
                  <label className="dialog-label" htmlFor={`${id}-rport`}>
                    Remote port
                  </label>
                  <input id={`${id}-rport`} className="input input-mono" inputMode="numeric" value={draft.remotePort} autoFocus={!draft.remotePort} onChange={(e) => set('remotePort', e.target.value)} />
                </div>
                <div className="form-field">
                  <label className="dialog-label" htmlFor={`${id}-lport`}>
                    Local port <span className="faint">(optional)</span>
                  </label>
                  <input id={`${id}-lport`} className="input input-mono" inputMode="numeric" placeholder="same, or any free" value={draft.localPort} onChange={(e) => set('localPort', e.target.value)} />
                </div>
              </div>
              {ports.length > 0 && (
                <div className="tunnel-ports" role="group" aria-label={`Ports published on ${hostId}`}>
                  <span className="faint small">Published on {hostId}:</span>
                  {ports.map((p) => (
                    <button
                      key={p.port}
                      type="button"
                      className={`button button-small mono${draft.remotePort === String(p.port) ? ' is-active' : ''}`}
                      aria-pressed={draft.remotePort === String(p.port)}
                      title={`${p.containers.join(', ')} on ${hostId}'s 127.0.0.1:${p.port}`}
                      onClick={() => {
                        setDraft((d) => ({ ...d, remoteHost: '127.0.0.1', remotePort: String(p.port) }))
                        setError(null)
                      }}
                    >
                      {p.port} <span className="faint">{p.containers.join(', ')}</span>
                    </button>
                  ))}
                </div>
              )}
              <label className="checkbox-row tunnel-launch-row">
                <input type="checkbox" checked={startOnLaunch} onChange={(e) => setStartOnLaunch(e.target.checked)} />
                Start on launch <span className="faint">(keeps running when this window closes)</span>
              </label>
              {taken ? (
                <div className="port-in-use" role="alert">
                  <p className="port-in-use-title">Port {taken.port} is already in use</p>
                  <p className="port-in-use-detail">
                    {taken.tunnel?.hostId ? (
                      <>
                        Dropdeck’s tunnel to <span className="mono">{taken.tunnel.hostId} {taken.tunnel.remoteHost}:{taken.tunnel.remotePort}</span> holds it.
                      </>
                    ) : taken.holder?.pid || taken.holder?.command ? (
                      <>
                        Held by <span className="mono">{taken.holder.command ?? 'a process'}</span>
                        {taken.holder.pid !== undefined && <span className="mono"> (pid {taken.holder.pid})</span>}.
                      </>
                    ) : (
                      'Another program is listening on it.'
                    )}
                  </p>
                  {taken.suggestion !== undefined && (
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() => {
                        const port = String(taken.suggestion)
                        setDraft((d) => ({ ...d, localPort: port }))
                        start(port)
                      }}
                    >
                      Use port {taken.suggestion}
                    </button>
                  )}
                </div>
              ) : (
                error !== null && (
                  <p className="field-error dialog-error" role="alert">
                    {errorMessage(error)}
                  </p>
                )
              )}
              <DialogActions label="Start tunnel" busyLabel="Starting…" busy={busy} disabled={busy || !hostId || !draft.remotePort.trim()} />
            </form>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
      {flow.dialog}
    </>
  )
}
