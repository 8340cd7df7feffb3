/** The centred block an area shows when it has nothing to list: what it is and the next step. */
import type { LucideIcon } from 'lucide-react'
import type { ReactNode } from 'react'

interface EmptyStateProps {
  icon: LucideIcon
  title: string
  badge?: string
  children: ReactNode
  actions?: ReactNode
  footer?: ReactNode
}

export function EmptyState({ icon: Icon, title, badge, children, actions, footer }: EmptyStateProps) {
  return (
    <section className="empty-state" aria-labelledby="empty-state-title">
      <span className="empty-state-icon" aria-hidden="true">
        <Icon size={18} strokeWidth={1.75} />
      </span>
      <h2 className="empty-state-title" id="empty-state-title">
        {title}
        {badge && <span className="badge">{badge}</span>}
      </h2>
      <p className="empty-state-body">{children}</p>
      {actions && <div className="empty-state-actions">{actions}</div>}
      {footer}
    </section>
  )
}
