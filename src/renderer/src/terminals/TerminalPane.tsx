/**
 * One remote terminal in xterm.js. Output is acknowledged only once xterm has drawn it
 * (`term.write(data, ack)`), so main pauses the SSH channel while the renderer is behind.
 */
import { FitAddon } from '@xterm/addon-fit'
import { Terminal } from '@xterm/xterm'
import '@xterm/xterm/css/xterm.css'
import { useEffect, useRef } from 'react'
import { useApi } from '../rpc/api-context'

export function TerminalPane({ id, active }: { id: string; active: boolean }) {
  const api = useApi()
  const host = useRef<HTMLDivElement>(null)
  const fitRef = useRef<FitAddon | null>(null)

  useEffect(() => {
    const el = host.current
    if (!el) return
    const styles = getComputedStyle(document.documentElement)
    const term = new Terminal({
      fontFamily: styles.getPropertyValue('--font-mono').trim() || 'monospace',
      fontSize: 13,
      scrollback: 5000,
      cursorBlink: true,
      theme: { background: '#16161a', foreground: '#e4e4e8' }
    })
    const fit = new FitAddon()
    fitRef.current = fit
    term.loadAddon(fit)
    term.open(el)
    const ignore = () => undefined
    const offData = api.on('terminals.data', (p) => {
      if (p.id !== id) return
      term.write(p.data, () => {
        if (p.bytes > 0) api.call('terminals.ack', { id, bytes: p.bytes }).catch(ignore)
      })
    })
    const input = term.onData((data) => void api.call('terminals.write', { id, data }).catch(ignore))
    let last = ''
    const resize = () => {
      if (el.clientWidth === 0 || el.clientHeight === 0) return // hidden tab
      fit.fit()
      const size = `${term.cols}x${term.rows}`
      if (size === last) return
      last = size
      api.call('terminals.resize', { id, cols: term.cols, rows: term.rows }).catch(ignore)
    }
    const observer = new ResizeObserver(resize)
    observer.observe(el)
    resize()
    return () => {
      observer.disconnect()
      offData()
      input.dispose()
      term.dispose()
      fitRef.current = null
    }
  }, [api, id])

  useEffect(() => {
    if (active) fitRef.current?.fit()
  }, [active])

  return <div className="term-pane" ref={host} hidden={!active} data-terminal={id} />
}
