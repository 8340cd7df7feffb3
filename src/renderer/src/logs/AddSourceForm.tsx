/**
 * Picks what to follow: a host, then a container (names offered from containers.list), a systemd unit
 * or a file path. Opening connects the host if needed; an unknown host key or a passphrase opens the
 * usual SSH dialogs, then the add is tried again.
 */
import { useQuery } from '@tanstack/react-query'
import { Plus } from 'lucide-react'
import { useId, useState, type FormEvent } from 'react'
import type { LogSource } from '../../../shared/contract/logs'
import { useApi } from '../rpc/api-context'
import { useHosts } from '../ssh/ssh-queries'
import { containersListQuery } from '../containers/containers-queries'
import { useSshFlow } from '../ssh/use-ssh-flow'

type Kind = LogSource['kind']

const PLACEHOLDER: Record<Kind, string> = {
  container: 'container name or id',
  unit: 'e2i-api.service',
  file: '/var/log/nginx/error.log'
}

export function AddSourceForm({ onAdd, onError }: { onAdd: (hostId: string, source: LogSource) => Promise<unknown>; onError: (error: unknown) => void }) {
  const api = useApi()
  const hosts = useHosts()
  const flow = useSshFlow((error) => onError(error))
  const hostList = hosts.data ?? []
  const [pick, setPick] = useState('')
  const hostId = pick || hostList[0]?.id || ''
  const [kind, setKind] = useState<Kind>('container')
  const [target, setTarget] = useState('')
  const [busy, setBusy] = useState(false)
  const listId = useId()
  const connected = hostList.find((h) => h.id === hostId)?.state === 'connected'
  const containers = useQuery({
    ...containersListQuery(api, hostId),
    enabled: kind === 'container' && connected,
    retry: false
  })

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const value = target.trim()
    if (!hostId || !value) return
    const source: LogSource = kind === 'container' ? { kind, id: value } : kind === 'unit' ? { kind, unit: value } : { kind, path: value }
    setBusy(true)
    void flow
      .run(hostId, () => onAdd(hostId, source))
      .then((ok) => {
        if (ok) setTarget('')
      })
      .finally(() => setBusy(false))
  }

  return (
    <>
    <form className="logs-add" onSubmit={submit} aria-label="Follow a log">
      <select className="input logs-host" aria-label="Host" value={hostId} onChange={(e) => setPick(e.target.value)} disabled={hostList.length === 0}>
        {hostList.length === 0 && <option value="">No SSH hosts</option>}
        {hostList.map((h) => (
          <option key={h.id} value={h.id}>
            {h.id}
          </option>
        ))}
      </select>
      <select className="input logs-kind" aria-label="Kind of log" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
        <option value="container">Container</option>
        <option value="unit">Systemd unit</option>
        <option value="file">File</option>
      </select>
      <input
        className="input logs-target"
        aria-label={kind === 'container' ? 'Container' : kind === 'unit' ? 'Unit' : 'File path'}
        placeholder={PLACEHOLDER[kind]}
        list={kind === 'container' ? listId : undefined}
        value={target}
        onChange={(e) => setTarget(e.target.value)}
      />
      {kind === 'container' && (
        <datalist id={listId}>
          {(containers.data ?? []).map((c) => (
            <option key={c.id} value={c.name}>
              {c.state}
            </option>
          ))}
        </datalist>
      )}
      <button type="submit" className="button button-small button-primary" disabled={!hostId || !target.trim() || busy}>
        <Plus size={13} aria-hidden="true" />
        {busy ? 'Adding…' : 'Add'}
      </button>
    </form>
    {/* outside the form: a dialog's own submit must not bubble (through the portal) into this one */}
    {flow.dialog}
    </>
  )
}
