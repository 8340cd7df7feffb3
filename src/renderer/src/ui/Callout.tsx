/** A boxed message for a state that blocks something, with what to do about it. */
import { CircleAlert, Info, TriangleAlert } from 'lucide-react'
import type { ReactNode } from 'react'

const icons = { info: Info, warning: TriangleAlert, danger: CircleAlert }

export function Callout({ tone, title, children, actions }: { tone: keyof typeof icons; title: string; children?: ReactNode; actions?: ReactNode }) {
  const Icon = icons[tone]
  return (
    <div className={`callout callout-${tone}`} role={tone === 'info' ? 'note' : 'alert'}>
      <Icon className="callout-icon" size={16} aria-hidden="true" />
      <div className="callout-body">
        <p className="callout-title">{title}</p>
        {children && <div className="callout-text">{children}</div>}
        {actions && <div className="callout-actions">{actions}</div>}
      </div>
    </div>
  )
}
