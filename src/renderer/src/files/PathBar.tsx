/** Back, forward, up, and the path as text to type into (Enter goes there). */
import { ArrowLeft, ArrowRight, ArrowUp, RefreshCw } from 'lucide-react'
import { useState } from 'react'

interface PathBarProps {
  path: string
  canBack: boolean
  canForward: boolean
  onBack: () => void
  onForward: () => void
  onUp: () => void
  onGo: (path: string) => void
  onRefresh: () => void
  refreshing?: boolean
}

export function PathBar({ path, canBack, canForward, onBack, onForward, onUp, onGo, onRefresh, refreshing }: PathBarProps) {
  // The parent remounts it per path (key), so what is typed starts from the folder shown.
  const [typed, setTyped] = useState(path)
  return (
    <form
      className="files-pathbar"
      onSubmit={(e) => {
        e.preventDefault()
        const p = typed.trim()
        if (p.startsWith('/')) onGo(p.length > 1 ? p.replace(/\/+$/, '') : p)
      }}
    >
      <button type="button" className="icon-button" aria-label="Back" disabled={!canBack} onClick={onBack}>
        <ArrowLeft size={15} aria-hidden="true" />
      </button>
      <button type="button" className="icon-button" aria-label="Forward" disabled={!canForward} onClick={onForward}>
        <ArrowRight size={15} aria-hidden="true" />
      </button>
      <button type="button" className="icon-button" aria-label="Up one folder" disabled={path === '/'} onClick={onUp}>
        <ArrowUp size={15} aria-hidden="true" />
      </button>
      <input className="input input-mono files-path-input" aria-label="Path" value={typed} spellCheck={false} onChange={(e) => setTyped(e.target.value)} />
      <button type="button" className="icon-button" aria-label="Refresh" onClick={onRefresh}>
        <RefreshCw size={14} aria-hidden="true" className={refreshing ? 'spin' : undefined} />
      </button>
    </form>
  )
}
