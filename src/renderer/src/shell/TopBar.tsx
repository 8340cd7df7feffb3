/** The current screen's title, the connection state, and the way into the command palette. */
import { Search } from 'lucide-react'
import { paletteShortcut } from '../navigation/shortcuts'
import { Kbd } from '../ui/Kbd'
import { ConnectionIndicator } from './ConnectionIndicator'

export function TopBar({ title, onOpenPalette }: { title: string; onOpenPalette: () => void }) {
  return (
    <header className="topbar">
      <h1 className="topbar-title">{title}</h1>
      <div className="topbar-actions">
        <ConnectionIndicator />
        <button type="button" className="palette-trigger" onClick={onOpenPalette} aria-haspopup="dialog" aria-keyshortcuts="Control+K Meta+K">
          <Search size={13} aria-hidden="true" />
          <span>Search or jump to…</span>
          <Kbd combo={paletteShortcut} />
        </button>
      </div>
    </header>
  )
}
