/** The left rail: the areas in groups, Settings at the bottom, each with its shortcut. */
import { Settings } from 'lucide-react'
import { areas, type Area, type AreaId } from '../navigation/areas'
import type { Route } from '../navigation/route'
import { routeShortcut } from '../navigation/shortcuts'
import { useContractQuery } from '../rpc/contract-queries'
import { BrandMark } from './BrandMark'
import { NavItem } from './NavItem'
import { AlertsBadge } from '../health/AlertsBadge'

// Grouped the way an operator's day goes: what exists, what runs on it, what is shipped to it.
const groups: Array<{ label: string; ids: AreaId[] }> = [
  { label: 'Infrastructure', ids: ['droplets', 'dns', 'hosts'] },
  { label: 'Operate', ids: ['containers', 'logs', 'files', 'terminals', 'tunnels'] },
  { label: 'Ship', ids: ['health', 'deploys'] }
]

const byId = new Map<AreaId, Area>(areas.map((area) => [area.id, area]))

export function Sidebar({ route }: { route: Route }) {
  const info = useContractQuery('app.info')

  return (
    <aside className="sidebar">
      <div className="sidebar-brand">
        <BrandMark />
        <span className="sidebar-brand-name">Dropdeck</span>
      </div>
      <nav className="sidebar-nav" aria-label="Areas">
        {groups.map((group) => (
          <div className="nav-group" key={group.label}>
            <p className="nav-group-label" id={`nav-${group.label}`}>
              {group.label}
            </p>
            <ul aria-labelledby={`nav-${group.label}`}>
              {group.ids.map((id) => {
                const area = byId.get(id)!
                return <NavItem key={id} route={id} label={area.label} icon={area.icon} shortcut={routeShortcut(id)} active={route === id} badge={id === 'health' ? <AlertsBadge /> : undefined} />
              })}
            </ul>
          </div>
        ))}
      </nav>
      <div className="sidebar-footer">
        <ul>
          <NavItem route="settings" label="Settings" icon={Settings} shortcut={routeShortcut('settings')} active={route === 'settings'} />
        </ul>
        <p className="sidebar-version">{info.data ? `${info.data.name} ${info.data.version}` : '\u00a0'}</p>
      </div>
    </aside>
  )
}
