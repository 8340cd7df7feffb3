/** The followed sources: colour tag, host/name, state (following, reconnecting, ended, error), close. */
import { X } from 'lucide-react'
import { tagColour } from './LogRow'
import type { FollowedSource } from './log-session'

const STATE_TEXT: Record<FollowedSource['state'], string> = {
  opening: 'opening',
  following: 'following',
  reconnecting: 'reconnecting',
  gap: 'following',
  dropped: 'following',
  ended: 'ended',
  error: 'error'
}

export function SourceChips({ sources, onRemove }: { sources: FollowedSource[]; onRemove: (id: string) => void }) {
  return (
    <ul className="logs-sources" aria-label="Followed logs">
      {sources.map((s) => (
        <li key={s.id} className={`logs-source state-${s.state}`} title={s.message ?? undefined}>
          <span className="logs-source-dot" style={{ background: tagColour(s.index) }} aria-hidden="true" />
          <span className="logs-source-label">{s.label}</span>
          <span className="logs-source-state">{STATE_TEXT[s.state]}</span>
          <span className="logs-source-count">{s.lines.toLocaleString()}</span>
          <button type="button" className="logs-source-close" aria-label={`Stop following ${s.label}`} onClick={() => onRemove(s.id)}>
            <X size={12} aria-hidden="true" />
          </button>
        </li>
      ))}
    </ul>
  )
}
