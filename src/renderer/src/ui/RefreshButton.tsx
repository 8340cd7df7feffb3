/** The small Refresh button of a toolbar: disabled, its icon turning, while a refetch runs. */
import { RefreshCw } from 'lucide-react'

export function RefreshButton({ busy, onRefresh, label, iconOnly }: { busy: boolean; onRefresh: () => void; label?: string; iconOnly?: boolean }) {
  return (
    <button type="button" className="button button-small" onClick={onRefresh} disabled={busy} aria-label={label}>
      <RefreshCw size={13} className={busy ? 'spin' : undefined} aria-hidden="true" />
      {!iconOnly && 'Refresh'}
    </button>
  )
}
