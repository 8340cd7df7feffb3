/** Droplet actions as they progress: a spinner while in progress, then completed or errored. */
import { CircleCheck, CircleX, LoaderCircle } from 'lucide-react'
import type { ActionActivity } from '../activity/action-activity'
import { actionLabel, formatTime } from '../fleet/format'

export function ActionProgressList({ actions, showDroplet = false, label }: { actions: ActionActivity[]; showDroplet?: boolean; label: string }) {
  if (actions.length === 0) return null
  return (
    <ul className="progress-list" aria-label={label}>
      {actions.map((action) => (
        <li key={action.id} className={`progress-item progress-${action.status}`}>
          {action.status === 'in-progress' ? (
            <LoaderCircle size={13} className="spin" aria-hidden="true" />
          ) : action.status === 'completed' ? (
            <CircleCheck size={13} aria-hidden="true" />
          ) : (
            <CircleX size={13} aria-hidden="true" />
          )}
          <span className="progress-type">{actionLabel(action.type)}</span>
          {showDroplet && <span className="progress-droplet">{action.dropletName}</span>}
          <span className="progress-status">{action.status}</span>
          <span className="progress-time">{formatTime(action.completedAt ?? action.startedAt ?? action.seenAt)}</span>
        </li>
      ))}
    </ul>
  )
}
