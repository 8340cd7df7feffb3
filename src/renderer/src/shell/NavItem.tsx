/** One rail entry: a real link to its hash route, marked aria-current when it is the screen shown. */
import type { LucideIcon } from 'lucide-react'
import type { ReactNode } from 'react'
import type { Route } from '../navigation/route'
import type { KeyCombo } from '../navigation/shortcuts'
import { Kbd } from '../ui/Kbd'

interface NavItemProps {
  route: Route
  label: string
  icon: LucideIcon
  shortcut: KeyCombo
  active: boolean
  /** A count or state shown after the label (Health: alerts firing). */
  badge?: ReactNode
}

export function NavItem({ route, label, icon: Icon, shortcut, active, badge }: NavItemProps) {
  return (
    <li>
      <a className="nav-item" href={`#/${route}`} aria-current={active ? 'page' : undefined} aria-keyshortcuts={shortcut.join('+').replace('⌘', 'Meta').replace('⌥', 'Alt')}>
        <Icon className="nav-item-icon" size={15} strokeWidth={1.75} aria-hidden="true" />
        <span className="nav-item-label">{label}</span>
        {badge}
        <Kbd combo={shortcut} className="nav-item-kbd" />
      </a>
    </li>
  )
}
