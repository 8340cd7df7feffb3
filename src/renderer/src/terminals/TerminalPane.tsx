/**
 * One terminal tab's xterm.js, kept for the life of the tab: when its shell is replaced (Reconnect),
 * the same xterm goes on with the new shell, scrollback intact. Output is acknowledged only once xterm
 * has parsed it (terminal-output.ts), so main pauses the shell while the renderer is behind.
 * While the shell is gone, Enter in the terminal asks for a new one.
 */
import { useEffect, useRef, useState } from 'react'
import { useApi } from '../rpc/api-context'
import { useContractCall } from '../rpc/contract-queries'
import { useSettings } from '../rpc/queries'
import { createXterm, type RendererKind, type XtermHandle } from './create-xterm'
import { pipeTerminalOutput } from './terminal-output'

interface Props {
  /** The current shell, absent while (re)connecting. */
  id?: string
  active: boolean
  /** Set while the shell is gone: typing Enter then asks for a new shell. */
  ended: boolean
  onReconnect: () => void
  onFind: () => void
  onHandle: (handle: XtermHandle | null) => void
}

export function TerminalPane({ id, active, ended, onReconnect, onFind, onHandle }: Props) {
  const api = useApi()
  const write = useContractCall('terminals.write')
  const resizeShell = useContractCall('terminals.resize')
  const host = useRef<HTMLDivElement>(null)
  const [handle, setHandle] = useState<XtermHandle | null>(null)
  const [renderer, setRenderer] = useState<RendererKind>('dom')
  const shortcutsToShell = useSettings().data?.terminalShortcutsToShell === true
  const live = useRef({ id, ended, onReconnect, onFind, shortcutsToShell })
  useEffect(() => {
    live.current = { id, ended, onReconnect, onFind, shortcutsToShell }
  })

  // The xterm itself: once per tab.
  useEffect(() => {
    const el = host.current
    if (!el) return
    const h = createXterm(el, { shortcutsToShell: () => live.current.shortcutsToShell })
    setRenderer(h.renderer())
    h.onRendererChange(setRenderer)
    h.onFindRequest(() => live.current.onFind())
    const ignore = () => undefined
    const input = h.term.onData((data) => {
      const { id: current, ended: gone } = live.current
      if (gone) {
        if (data.includes('\r')) live.current.onReconnect()
        return
      }
      if (current) write({ id: current, data }).catch(ignore)
    })
    setHandle(h)
    onHandle(h)
    return () => {
      input.dispose()
      onHandle(null)
      h.dispose()
    }
    // onHandle is the parent's stable setter; the xterm must not be rebuilt when it changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [write])

  // The shell behind it: output in, acks out, its size kept in step with the pane.
  useEffect(() => {
    const el = host.current
    if (!handle || !id || !el) return
    const { term, fit } = handle
    const ignore = () => undefined
    const offData = pipeTerminalOutput(api, term, id)
    let last = ''
    const resize = () => {
      if (el.clientWidth === 0 || el.clientHeight === 0) return // hidden tab
      fit.fit()
      const size = `${term.cols}x${term.rows}`
      if (size === last) return
      last = size
      resizeShell({ id, cols: term.cols, rows: term.rows }).catch(ignore)
    }
    const observer = new ResizeObserver(resize)
    observer.observe(el)
    resize()
    return () => {
      observer.disconnect()
      offData()
    }
  }, [api, resizeShell, handle, id])

  useEffect(() => {
    if (active && handle) {
      handle.fit.fit()
      handle.term.focus()
    }
  }, [active, handle])

  return <div className="term-pane" ref={host} hidden={!active} data-terminal={id ?? ''} data-renderer={renderer} />
}
