/**
 * Logs: follow containers, systemd units and files on any host, several at once, in one merged,
 * time-ordered, virtualized list with the source on each line. Follow (stick to the bottom), pause,
 * filter by text or regex, jump to a time, copy or export what the filter shows. Memory is bounded
 * by the store's ring buffer, whose limit is shown.
 */
import { useVirtualizer } from '@tanstack/react-virtual'
import { ArrowDownToLine, Clipboard, Download, Pause, Play, ScrollText, Search, Trash2 } from 'lucide-react'
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { EmptyState } from '../areas/EmptyState'
import { useApi } from '../rpc/api-context'
import { ErrorNotice } from '../ui/ErrorNotice'
import { AddSourceForm } from './AddSourceForm'
import { LogRow, formatLine, ROW_HEIGHT } from './LogRow'
import { SourceChips } from './SourceChips'
import { compileFilter } from './log-store'
import { useLogSession } from './use-log-session'

export function LogsView() {
  const api = useApi()
  const session = useLogSession(api)
  const version = useSyncExternalStore(
    useCallback((l: () => void) => session.subscribe(l), [session]),
    () => session.version
  )
  const [failure, setFailure] = useState<unknown>(null)
  // kept on the session, so the filter survives switching areas along with the lines
  const [filterText, setFilterText] = useState(session.filter.text)
  const [regex, setRegex] = useState(session.filter.regex)
  const [follow, setFollow] = useState(true)
  const [jump, setJump] = useState('')
  const [status, setStatus] = useState('')
  const [target, setTarget] = useState<number | null>(null)
  const scroller = useRef<HTMLDivElement>(null)
  const filterRef = useRef<HTMLInputElement>(null)

  const [filterError, setFilterError] = useState(() => compileFilter(session.filter.text, session.filter.regex).error)
  // Applied in the event itself, so the render that follows already shows the filtered list.
  const applyFilter = (text: string, asRegex: boolean) => {
    setFilterText(text)
    setRegex(asRegex)
    session.filter = { text, regex: asRegex }
    const compiled = compileFilter(text, asRegex)
    setFilterError(compiled.error)
    if (!compiled.error) session.store.setFilter(compiled.matcher) // a bad regex keeps the last good filter
    setTarget(null)
  }

  const store = session.store
  const count = store.length
  // While following, the virtualizer is given no rows: it would lay out every line's position (O(lines)) each
  // time the count changes, which is every update while the list fills or a filter is set.
  // eslint-disable-next-line react-hooks/incompatible-library -- read during render only, never memoized
  const virtualizer = useVirtualizer({ count: follow ? 0 : count, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 30 })

  // Following: the rows are the newest ones, worked out here from the row height and the viewport the
  // virtualizer already observes, so the render that takes new lines in already shows the bottom. (Left
  // to the virtualizer, it would render the old range, scroll, then render again: two layouts per update.)
  const viewport = virtualizer.scrollRect?.height ?? 0
  const rows = follow ? followRows(count, viewport) : virtualizer.getVirtualItems()

  // Stay on the newest line after every change: a write only (the browser clamps it), never a read of
  // scrollHeight after React wrote the rows, which would force a layout of its own. The write forces a
  // layout too, there and then, inside the task that took the lines in: skipped when it would not move
  // anything (the same list height and viewport as last time, as once the list is full at its capacity
  // and new lines only replace old ones); the frame's own layout then does that work.
  const lastFollow = useRef<{ el: HTMLDivElement | null; top: number; viewport: number }>({ el: null, top: -1, viewport: -1 })
  useLayoutEffect(() => {
    const el = scroller.current
    const last = lastFollow.current
    if (!follow || !el) {
      last.el = null
      return
    }
    const top = count * ROW_HEIGHT
    if (last.el === el && last.top === top && last.viewport === viewport) return
    lastFollow.current = { el, top, viewport }
    el.scrollTop = top
  }, [follow, version, count, viewport])

  const onScroll = () => {
    // Whoever moved it (the operator, or a write of ours that moved it), the next update writes again.
    lastFollow.current.el = null
    const el = scroller.current
    if (!el || !follow) return
    const atBottom = count * ROW_HEIGHT - el.scrollTop - el.clientHeight < ROW_HEIGHT
    if (!atBottom) setFollow(false)
  }

  // `/` or Ctrl+F: filter; End: follow again.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && (e.target.closest('input, textarea, select, [contenteditable="true"]') !== null)
      if ((e.key === 'f' && (e.ctrlKey || e.metaKey) && !e.altKey) || (e.key === '/' && !typing)) {
        e.preventDefault()
        filterRef.current?.focus()
        filterRef.current?.select()
      } else if (e.key === 'End' && !typing) {
        e.preventDefault()
        setFollow(true)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const labels = useMemo(() => new Map(session.sources.map((s) => [s.index, s.label])), [session.sources, version]) // eslint-disable-line react-hooks/exhaustive-deps

  const exportText = () => store.viewLines().map((l) => formatLine(l, labels.get(l.source) ?? '?')).join('\n') + '\n'

  const copy = async () => {
    const n = store.length
    try {
      await navigator.clipboard.writeText(exportText())
      setStatus(`Copied ${n.toLocaleString()} lines.`)
    } catch (err) {
      setStatus(`Copying failed (${(err as Error).message}); use Export instead.`)
    }
  }

  const download = () => {
    const blob = new Blob([exportText()], { type: 'text/plain' })
    const url = URL.createObjectURL(blob)
    const a = document.createElement('a')
    a.href = url
    a.download = `dropdeck-logs-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}.log`
    a.click()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
    setStatus(`Exported ${store.length.toLocaleString()} lines.`)
  }

  const jumpTo = () => {
    const at = parseJumpTime(jump, store.length ? store.at(store.length - 1)!.ts : Date.now())
    if (at === undefined) {
      setStatus('Type a time as HH:MM or HH:MM:SS.')
      return
    }
    const index = Math.min(store.indexAtTime(at), Math.max(0, store.length - 1))
    setFollow(false)
    setTarget(index)
    // the row's top at the top (rows are all ROW_HEIGHT high); the virtualizer takes over from the scroll event
    if (scroller.current) scroller.current.scrollTop = index * ROW_HEIGHT
    setStatus(store.length ? `Showing lines from ${new Date(at).toLocaleTimeString()}.` : '')
  }

  const togglePause = () => (session.paused ? session.resume() : session.pause())

  const kept = store.kept
  const limitText = `${kept.toLocaleString()} ${kept === 1 ? 'line' : 'lines'} · keeps the newest ${store.capacity.toLocaleString()}${store.dropped ? `; ${store.dropped.toLocaleString()} older dropped` : ''}`

  return (
    <div className="fleet-view ssh-view logs-view">
      <div className="toolbar">
        <h2 className="zone-title">Logs</h2>
        <AddSourceForm onAdd={(hostId, source) => session.add(hostId, source).then(() => setFailure(null))} onError={setFailure} />
      </div>
      {failure ? (
        <div className="inline-notice">
          <ErrorNotice error={failure} title="The log could not be followed" onDismiss={() => setFailure(null)} />
        </div>
      ) : null}
      {session.sources.length > 0 && <SourceChips sources={session.sources} onRemove={(id) => void session.remove(id)} />}
      <div className="logs-controls">
        <div className="filter logs-filter">
          <Search size={13} className="filter-icon" aria-hidden="true" />
          <input
            ref={filterRef}
            className="input filter-input"
            placeholder={regex ? 'Filter by regex  ( / )' : 'Filter  ( / )'}
            aria-label="Filter lines"
            aria-invalid={filterError ? true : undefined}
            aria-describedby={filterError ? 'logs-filter-error' : undefined}
            value={filterText}
            onChange={(e) => applyFilter(e.target.value, regex)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                applyFilter('', regex)
                scroller.current?.focus()
              }
            }}
          />
        </div>
        <label className="logs-check">
          <input type="checkbox" checked={regex} onChange={(e) => applyFilter(filterText, e.target.checked)} />
          Regex
        </label>
        <div className="toolbar-spacer" />
        <form
          className="logs-jump"
          onSubmit={(e) => {
            e.preventDefault()
            jumpTo()
          }}
        >
          <input className="input logs-jump-input" type="time" step={1} aria-label="Jump to time" value={jump} onChange={(e) => setJump(e.target.value)} />
          <button type="submit" className="button button-small" disabled={!jump}>
            Jump
          </button>
        </form>
        <button type="button" className={`button button-small${follow ? ' is-on' : ''}`} aria-pressed={follow} onClick={() => setFollow(!follow)} title="Stick to the newest line (End)">
          <ArrowDownToLine size={13} aria-hidden="true" />
          Follow
        </button>
        <button type="button" className="button button-small" onClick={togglePause} aria-pressed={session.paused}>
          {session.paused ? <Play size={13} aria-hidden="true" /> : <Pause size={13} aria-hidden="true" />}
          {session.paused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" className="button button-small" onClick={() => void copy()} disabled={count === 0} aria-label="Copy the filtered lines">
          <Clipboard size={13} aria-hidden="true" />
          Copy
        </button>
        <button type="button" className="button button-small" onClick={download} disabled={count === 0} aria-label="Export the filtered lines as a .log file">
          <Download size={13} aria-hidden="true" />
          Export
        </button>
        <button type="button" className="button button-small" onClick={() => session.clear()} disabled={kept === 0} aria-label="Clear the list">
          <Trash2 size={13} aria-hidden="true" />
        </button>
      </div>
      <div className="logs-status" aria-live="polite">
        {filterError && (
          <span id="logs-filter-error" className="logs-filter-error" role="alert" title={filterError}>
            Not a valid regex: {filterError.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')} (the last good filter still applies) ·
          </span>
        )}
        <span className="logs-limit">{limitText}</span>
        {store.filtering && <span>· {count.toLocaleString()} match</span>}
        {session.paused && (
          <span className="logs-paused">
            · Paused: {session.heldLines.toLocaleString()} new {session.heldLines === 1 ? 'line' : 'lines'} waiting{session.heldDropped ? `, ${session.heldDropped.toLocaleString()} dropped` : ''}
          </span>
        )}
        {status && <span>· {status}</span>}
      </div>
      {session.sources.length === 0 && kept === 0 ? (
        <EmptyState icon={ScrollText} title="No logs followed">
          Pick a host and a container, a systemd unit or a file above, then Add. Add several to see them merged by time.
        </EmptyState>
      ) : (
        <div className="logs-list" ref={scroller} onScroll={onScroll} tabIndex={0} role="log" aria-label="Log lines" aria-live="off">
          <div style={{ height: count * ROW_HEIGHT, position: 'relative' }}>
            {rows.map((row) => {
              const line = store.at(row.index)
              if (!line) return null
              return <LogRow key={row.key} line={line} label={labels.get(line.source) ?? '?'} top={row.start} target={row.index === target} />
            })}
          </div>
          {count === 0 && <p className="logs-empty faint">{store.filtering ? 'No line matches the filter.' : 'Waiting for lines…'}</p>}
        </div>
      )}
    </div>
  )
}

/** Rows above the viewport kept while following, so a small scroll up shows lines at once. */
const FOLLOW_OVERSCAN = 10

/**
 * The rows of the newest lines that fill `viewport` px. Keyed by position in the window, not by
 * line: as lines arrive every row shows a newer line in the same element, so following updates
 * text in place instead of removing and creating every row ten times a second.
 */
function followRows(count: number, viewport: number): { key: string; index: number; start: number }[] {
  const shown = Math.min(count, Math.ceil(viewport / ROW_HEIGHT) + 1 + FOLLOW_OVERSCAN)
  const first = count - shown
  const rows = new Array<{ key: string; index: number; start: number }>(shown)
  for (let k = 0; k < shown; k++) rows[k] = { key: `f${k}`, index: first + k, start: (first + k) * ROW_HEIGHT }
  return rows
}

/** HH:MM[:SS] on the day of `reference` (the newest line), local time. */
export function parseJumpTime(value: string, reference: number): number | undefined {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim())
  if (!m) return undefined
  const d = new Date(reference)
  d.setHours(Number(m[1]), Number(m[2]), Number(m[3] ?? 0), 0)
  return d.getTime()
}
