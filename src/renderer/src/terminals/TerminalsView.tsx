/**
 * Terminals: tabs of remote shells (a PTY per SSH channel on the host's pooled connection) and local
 * shells (node-pty). A tab outlives its shell: when the connection drops it keeps its scrollback and
 * offers "Reconnect" (the button, or Enter), which opens a new shell in the same xterm. Find with
 * Ctrl+Shift+F; the saved commands of the tab's host sit beside it, one click from running.
 */
import { ListChecks, Plus, RotateCw, X } from 'lucide-react'
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { LOCAL_COMMANDS_HOST } from '../../../shared/contract/terminals'
import { useApi } from '../rpc/api-context'
import { useContractCall } from '../rpc/contract-queries'
import { errorMessage } from '../rpc/errors'
import { streamClient } from '../rpc/stream-client'
import { useHosts } from '../ssh/ssh-queries'
import { useSshFlow } from '../ssh/use-ssh-flow'
import { ErrorNotice } from '../ui/ErrorNotice'
import { setActiveTerminal } from './active-terminal'
import { takeTerminalRequests } from './terminal-requests'
import { shellQuote } from '../files/files-links'
import type { XtermHandle } from './create-xterm'
import { FindBar } from './FindBar'
import { SavedCommands } from './SavedCommands'
import { TerminalPane } from './TerminalPane'

interface Tab {
  key: number
  kind: 'remote' | 'local' | 'container'
  /** The SSH host id; for a local shell, LOCAL_COMMANDS_HOST. */
  hostId: string
  /** For a shell inside a container: its name on the host. */
  container?: string
  /** A host folder the shell is taken to as it opens (Files' "Terminal here"). */
  cwd?: string
  /** The current shell. */
  id?: string
  connecting: boolean
  /** Why the shell is gone; `lost` when its connection dropped rather than the shell exiting. */
  ended?: { message: string; lost: boolean }
}

const INITIAL = { cols: 80, rows: 24 }
/**
 * The open tabs, per browser tab (sessionStorage), so a page reload opens them again (new shells in
 * the same tabs). Leaving the view closes its shells and forgets them.
 */
const SAVED_TABS = 'dropdeck.terminals.tabs'
type SavedTab = Pick<Tab, 'kind' | 'hostId' | 'container'>

function loadSavedTabs(): SavedTab[] {
  try {
    const saved: unknown = JSON.parse(sessionStorage.getItem(SAVED_TABS) ?? '[]')
    if (!Array.isArray(saved)) return []
    return saved.filter(
      (t): t is SavedTab =>
        typeof t === 'object' && t !== null && ['remote', 'local', 'container'].includes((t as SavedTab).kind) && typeof (t as SavedTab).hostId === 'string' && ((t as SavedTab).kind !== 'container' || typeof (t as SavedTab).container === 'string')
    )
  } catch {
    return []
  }
}
const LOCAL_LABEL = 'local shell'
let nextKey = 1

const titleOf = (tab: Pick<Tab, 'kind' | 'hostId' | 'container'>) => (tab.kind === 'local' ? LOCAL_LABEL : tab.kind === 'container' ? `${tab.container ?? ''} on ${tab.hostId}` : tab.hostId)

export function TerminalsView() {
  const api = useApi()
  const terminals = streamClient(api, 'terminals')
  const write = useContractCall('terminals.write')
  const containerShell = useContractCall('containers.shell')
  const hosts = useHosts()
  const [tabs, setTabs] = useState<Tab[]>([])
  const [restore] = useState(loadSavedTabs)
  const [active, setActive] = useState<number | null>(null)
  const [pick, setPick] = useState('')
  const [failure, setFailure] = useState<unknown>(null)
  const [findOpen, setFindOpen] = useState(false)
  const [savedOpen, setSavedOpen] = useState(true)
  const [handles, setHandles] = useState<ReadonlyMap<number, XtermHandle>>(() => new Map())
  const flow = useSshFlow((error) => setFailure(error))
  const hostList = hosts.data ?? []
  const chosen = pick || hostList[0]?.id || LOCAL_COMMANDS_HOST

  const patch = (key: number, change: Partial<Tab>) => setTabs((old) => old.map((t) => (t.key === key ? { ...t, ...change } : t)))

  useEffect(() => terminals.listenAll({ state: (p) => {
    setTabs((old) => old.map((t) => {
      if (t.id !== p.id) return t
      if (p.reason) return { ...t, ended: { message: `Connection to ${t.hostId} lost`, lost: true } }
      const how = p.signal ? `killed by ${p.signal}` : `exited${p.code !== null ? ` with code ${p.code}` : ''}`
      return { ...t, ended: { message: `The shell ${how}`, lost: false } }
    }))
  } }), [terminals])

  const connect = (tab: Pick<Tab, 'key' | 'kind' | 'hostId' | 'container' | 'cwd'>) => {
    setFailure(null)
    patch(tab.key, { connecting: true, ended: undefined })
    const term = handles.get(tab.key)?.term
    const size = term ? { cols: term.cols, rows: term.rows } : INITIAL
    const opened = (id: string) => {
      // A reconnect: mark in the scrollback where the old shell ended.
      if (term && term.buffer.active.length > 1) term.write('\r\n\x1b[2m── new shell ──\x1b[0m\r\n')
      patch(tab.key, { id, connecting: false, ended: undefined })
    }
    if (tab.kind === 'local') {
      terminals.open({ kind: 'local', ...size }).then(
        ({ id }) => opened(id),
        (error: unknown) => {
          setFailure(error)
          patch(tab.key, { connecting: false, ended: { message: `No local shell: ${errorMessage(error)}`, lost: false } })
        }
      )
      return
    }
    void flow.run(tab.hostId, async () => {
      // A container's shell is a terminal like any other once open (containers.shell returns its id).
      const { id } = tab.kind === 'container' && tab.container ? await containerShell({ hostId: tab.hostId, id: tab.container, ...size }) : await terminals.open({ hostId: tab.hostId, ...size })
      opened(id)
      // Typed as the operator would, so it shows in the scrollback and the shell's history.
      if (tab.kind === 'remote' && tab.cwd) void write({ id, data: `cd ${shellQuote(tab.cwd)}\r` }).catch((error: unknown) => setFailure(error))
    }).then((ok) => {
      // Failed, or waiting on a host-key or passphrase dialog (whose retry replaces this).
      if (!ok) setTabs((old) => old.map((t) => (t.key === tab.key && t.connecting ? { ...t, connecting: false, ended: { message: `Not connected to ${t.hostId}`, lost: true } } : t)))
    })
  }

  const openTab = (tab: Tab) => {
    setTabs((old) => [...old, tab])
    setActive(tab.key)
    setFindOpen(false)
    connect(tab)
  }
  const add = () => {
    const key = nextKey++
    openTab(chosen === LOCAL_COMMANDS_HOST ? { key, kind: 'local', hostId: LOCAL_COMMANDS_HOST, connecting: true } : { key, kind: 'remote', hostId: chosen, connecting: true })
  }
  // Tabs asked for from elsewhere (a container's Shell button).
  const openRequested = useRef(openTab)
  useEffect(() => {
    openRequested.current = openTab
  })
  useEffect(() => {
    for (const t of restore) openRequested.current({ ...t, key: nextKey++, connecting: true })
  }, [restore])
  useEffect(() => {
    sessionStorage.setItem(SAVED_TABS, JSON.stringify(tabs.map(({ kind, hostId, container }) => ({ kind, hostId, ...(container ? { container } : {}) }))))
  }, [tabs])
  useEffect(
    () =>
      takeTerminalRequests((r) =>
        openRequested.current(r.container ? { key: nextKey++, kind: 'container', hostId: r.hostId, container: r.container, connecting: true } : { key: nextKey++, kind: 'remote', hostId: r.hostId, ...(r.cwd ? { cwd: r.cwd } : {}), connecting: true })
      ),
    []
  )

  const close = (tab: Tab) => {
    if (tab.id && !tab.ended) void terminals.close(tab.id).catch(() => undefined)
    setTabs((old) => old.filter((t) => t.key !== tab.key))
    if (active === tab.key) setActive(tabs.find((t) => t.key !== tab.key)?.key ?? null)
  }

  // Leaving the view takes its tabs with it: end their shells rather than leave them running unseen.
  const live = useRef(tabs)
  useEffect(() => {
    live.current = tabs
  })
  useEffect(() => () => {
    sessionStorage.removeItem(SAVED_TABS)
    for (const t of live.current) if (t.id && !t.ended) void terminals.close(t.id).catch(() => undefined)
  }, [terminals])

  const current = tabs.find((t) => t.key === active)
  const currentHandle = current ? handles.get(current.key) : undefined
  const canRun = !!current?.id && !current.ended && !current.connecting
  const currentId = current?.id
  /** Types a saved command into the front tab's shell and runs it. */
  const typeInto = (id: string, handle: XtermHandle | undefined, command: string) => {
    void write({ id, data: command + '\r' }).catch((error: unknown) => setFailure(error))
    handle?.term.focus()
  }

  // The palette offers the front tab's saved commands while it has a live shell.
  const currentTitle = current ? titleOf(current) : ''
  const currentScope = current?.hostId
  useEffect(() => {
    if (!canRun || !currentId || !currentScope) return setActiveTerminal(null)
    setActiveTerminal({
      scope: currentScope,
      title: currentTitle,
      run: (command) => {
        void write({ id: currentId, data: command + '\r' }).catch(() => undefined)
        currentHandle?.term.focus()
      }
    })
  }, [write, canRun, currentId, currentScope, currentTitle, currentHandle])
  useEffect(() => () => setActiveTerminal(null), [])

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.ctrlKey && e.shiftKey && !e.altKey && e.key.toLowerCase() === 'f' && currentHandle) {
      e.preventDefault()
      setFindOpen(true)
    }
  }

  const setHandle = useCallback((key: number, handle: XtermHandle | null) => {
    setHandles((old) => {
      const next = new Map(old)
      if (handle) next.set(key, handle)
      else next.delete(key)
      return next
    })
  }, [])

  return (
    <div className="fleet-view ssh-view term-view" onKeyDown={onKeyDown}>
      <div className="toolbar">
        <h2 className="zone-title">Terminals</h2>
        <div className="term-tabs" role="tablist" aria-label="Terminals">
          {tabs.map((t) => (
            <div key={t.key} className={`term-tab${t.key === active ? ' is-active' : ''}${t.ended ? ' is-ended' : ''}`}>
              <button type="button" role="tab" aria-selected={t.key === active} className="term-tab-label" onClick={() => setActive(t.key)}>
                {titleOf(t)}
              </button>
              <button type="button" className="term-tab-close" aria-label={`Close ${titleOf(t)}`} onClick={() => close(t)}>
                <X size={12} aria-hidden="true" />
              </button>
            </div>
          ))}
        </div>
        <div className="toolbar-spacer" />
        <select className="input term-host" aria-label="Host" value={chosen} onChange={(e) => setPick(e.target.value)}>
          {hostList.map((h) => <option key={h.id} value={h.id}>{h.id}</option>)}
          <option value={LOCAL_COMMANDS_HOST}>This machine (local shell)</option>
        </select>
        <button type="button" className="button button-small button-primary" onClick={add} aria-label="New terminal" title="New terminal">
          <Plus size={14} aria-hidden="true" />
        </button>
        <button type="button" className={`button button-small${savedOpen ? ' is-on' : ''}`} aria-pressed={savedOpen} onClick={() => setSavedOpen((v) => !v)} title="Saved commands">
          <ListChecks size={14} aria-hidden="true" />
          Saved commands
        </button>
      </div>
      {failure ? <div className="inline-notice"><ErrorNotice error={failure} title="The terminal could not be opened" /></div> : null}
      <div className="term-main">
        <div className="term-body">
          {tabs.length === 0 && (
            <p className="term-empty">
              {hostList.length ? 'Pick a host (or this machine) and press + to open a shell.' : 'No SSH hosts yet: add one under Hosts, or open a local shell with +.'}
            </p>
          )}
          {findOpen && currentHandle && <FindBar key={current?.key} handle={currentHandle} onClose={() => setFindOpen(false)} />}
          {tabs.map((t) => (
            <TerminalPane
              key={t.key}
              id={t.id}
              active={t.key === active}
              ended={!!t.ended}
              onReconnect={() => connect(t)}
              onFind={() => setFindOpen(true)}
              onHandle={(h) => setHandle(t.key, h)}
            />
          ))}
          {current?.connecting && <p className="term-connecting" role="status">{current.kind === 'local' ? 'Starting a local shell…' : `Connecting to ${titleOf(current)}…`}</p>}
          {current?.ended && (
            <div className="term-ended" role="status">
              <span>{current.ended.message} —</span>
              <button type="button" className="button button-small" onClick={() => connect(current)}>
                <RotateCw size={13} aria-hidden="true" />
                {current.ended.lost ? 'Reconnect' : 'Start a new shell'}
              </button>
              <span className="faint">or press Enter in the terminal</span>
            </div>
          )}
        </div>
        {savedOpen && current && <SavedCommands scope={current.hostId} title={titleOf(current)} onRun={canRun && currentId ? (command) => typeInto(currentId, currentHandle, command) : undefined} />}
      </div>
      {flow.dialog}
    </div>
  )
}
