/**
 * Terminals: remote shells in tabs, one PTY per SSH channel on the host's pooled connection.
 * A tab whose connection dropped (or whose shell exited) stays, offering to reconnect.
 */
import { Plus, RotateCw, X } from 'lucide-react'
import { useEffect, useState } from 'react'
import { useApi } from '../rpc/api-context'
import { useHosts } from '../ssh/ssh-queries'
import { useSshFlow } from '../ssh/use-ssh-flow'
import { ErrorNotice } from '../ui/ErrorNotice'
import { TerminalPane } from './TerminalPane'

interface Tab {
  key: number
  hostId: string
  id?: string
  exited?: string
}

const INITIAL = { cols: 80, rows: 24 }
let nextKey = 1

export function TerminalsView() {
  const api = useApi()
  const hosts = useHosts()
  const [tabs, setTabs] = useState<Tab[]>([])
  const [active, setActive] = useState<number | null>(null)
  const [pick, setPick] = useState('')
  const [failure, setFailure] = useState<unknown>(null)
  const flow = useSshFlow((error) => setFailure(error))
  const hostList = hosts.data ?? []
  const chosen = pick || hostList[0]?.id || ''

  useEffect(() => api.on('terminals.exit', (p) => {
    const why = p.reason ?? (p.signal ? `killed by ${p.signal}` : `exited${p.code !== null ? ` with ${p.code}` : ''}`)
    setTabs((old) => old.map((t) => (t.id === p.id ? { ...t, exited: why } : t)))
  }), [api])

  const connect = (key: number, hostId: string) => {
    setFailure(null)
    void flow.run(hostId, async () => {
      const { id } = await api.call('terminals.open', { hostId, ...INITIAL })
      setTabs((old) => old.map((t) => (t.key === key ? { key, hostId, id } : t)))
    }).then((ok) => {
      // Failed, or waiting on a host-key or passphrase dialog (whose retry replaces this).
      if (!ok) setTabs((old) => old.map((t) => (t.key === key && !t.id ? { ...t, exited: 'not connected' } : t)))
    })
  }

  const add = () => {
    if (!chosen) return
    const key = nextKey++
    setTabs((old) => [...old, { key, hostId: chosen }])
    setActive(key)
    connect(key, chosen)
  }

  const close = (tab: Tab) => {
    if (tab.id && !tab.exited) void api.call('terminals.close', { id: tab.id }).catch(() => undefined)
    setTabs((old) => old.filter((t) => t.key !== tab.key))
    if (active === tab.key) setActive(tabs.find((t) => t.key !== tab.key)?.key ?? null)
  }

  const current = tabs.find((t) => t.key === active)

  return (
    <div className="fleet-view ssh-view term-view">
      <div className="toolbar">
        <h2 className="zone-title">Terminals</h2>
        <div className="term-tabs" role="tablist" aria-label="Terminals">
          {tabs.map((t) => (
            <div key={t.key} className={`term-tab${t.key === active ? ' is-active' : ''}${t.exited ? ' is-exited' : ''}`}>
              <button type="button" role="tab" aria-selected={t.key === active} className="term-tab-label" onClick={() => setActive(t.key)}>
                {t.hostId}
              </button>
              <button type="button" className="term-tab-close" aria-label={`Close ${t.hostId}`} onClick={() => close(t)}>
                <X size={12} aria-hidden="true" />
              </button>
            </div>
          ))}
        </div>
        <div className="toolbar-spacer" />
        <select className="input term-host" aria-label="Host" value={chosen} onChange={(e) => setPick(e.target.value)} disabled={hostList.length === 0}>
          {hostList.map((h) => <option key={h.id} value={h.id}>{h.id}</option>)}
        </select>
        <button type="button" className="button button-small button-primary" onClick={add} disabled={!chosen} aria-label="New terminal">
          <Plus size={14} aria-hidden="true" />
        </button>
      </div>
      {failure ? <div className="inline-notice"><ErrorNotice error={failure} title="The terminal could not be opened" /></div> : null}
      <div className="term-body">
        {tabs.length === 0 && <p className="term-empty faint">{hostList.length ? 'Pick a host and press + to open a shell.' : 'No SSH hosts yet: add one under Hosts.'}</p>}
        {tabs.map((t) => t.id && <TerminalPane key={t.id} id={t.id} active={t.key === active} />)}
        {current && !current.id && !current.exited && <p className="term-empty faint" role="status">Connecting to {current.hostId}…</p>}
        {current?.exited && (
          <div className="term-exit" role="status">
            <span>Disconnected — {current.exited}</span>
            <button type="button" className="button button-small" onClick={() => connect(current.key, current.hostId)}>
              <RotateCw size={13} aria-hidden="true" />
              Reconnect
            </button>
          </div>
        )}
      </div>
      {flow.dialog}
    </div>
  )
}
