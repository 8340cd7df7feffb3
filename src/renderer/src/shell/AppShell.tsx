/** The frame the operator lives in: rail, top bar, the current screen, and the command palette. */
import { useCallback, useEffect, useMemo, useState } from 'react'
import { ActivityDrawer } from '../activity/ActivityDrawer'
import { AreaView } from '../areas/AreaView'
import { findArea } from '../navigation/areas'
import { useRoute } from '../navigation/route'
import { useGlobalShortcuts } from '../navigation/use-global-shortcuts'
import { FirewallsDrawer } from '../firewalls/FirewallsDrawer'
import { CommandPalette } from '../palette/CommandPalette'
import { useContractEvents } from '../rpc/use-contract-events'
import { SettingsView } from '../settings/SettingsView'
import { SnapshotsDrawer } from '../snapshots/SnapshotsDrawer'
import { TerminalsView } from '../terminals/TerminalsView'
import { useThemeFromSettings } from '../theme/use-theme-from-settings'
import { ConnectionBanner } from './ConnectionBanner'
import { ShellUiContext, type ShellDrawer } from './shell-ui'
import { Sidebar } from './Sidebar'
import { TopBar } from './TopBar'

export function AppShell() {
  const [route, navigate] = useRoute()
  const [paletteOpen, setPaletteOpen] = useState(false)
  const togglePalette = useCallback(() => setPaletteOpen((open) => !open), [])
  // One drawer at a time: opening another (from the palette) replaces it.
  const [drawer, setDrawer] = useState<ShellDrawer | null>(null)
  const shellUi = useMemo(() => ({ openActivity: () => setDrawer('activity'), openSnapshots: () => setDrawer('snapshots'), openFirewalls: () => setDrawer('firewalls') }), [])
  const drawerProps = (name: ShellDrawer) => ({ open: drawer === name, onOpenChange: (open: boolean) => setDrawer(open ? name : null) })

  useContractEvents()
  useThemeFromSettings()
  useGlobalShortcuts(navigate, togglePalette)

  const area = route === 'settings' ? undefined : findArea(route)
  const title = area?.label ?? 'Settings'
  // Terminal tabs are live shells with scrollback: once opened, the view stays mounted (hidden) while
  // the operator looks at another area, so going back finds every tab as it was.
  const showTerminals = area?.id === 'terminals'
  const [keepTerminals, setKeepTerminals] = useState(showTerminals)
  if (showTerminals && !keepTerminals) setKeepTerminals(true)

  useEffect(() => {
    document.title = `${title} · Dropdeck`
  }, [title])

  return (
    <ShellUiContext.Provider value={shellUi}>
      <div className="shell">
        <Sidebar route={route} />
        <div className="shell-main">
          <TopBar title={title} onOpenPalette={() => setPaletteOpen(true)} />
          <ConnectionBanner />
          <main className="content" aria-label={title}>
            {keepTerminals && (
              <div className="kept-area" hidden={!showTerminals}>
                <TerminalsView />
              </div>
            )}
            {showTerminals ? null : area ? <AreaView key={area.id} area={area} onOpenSettings={() => navigate('settings')} /> : <SettingsView />}
          </main>
        </div>
        <CommandPalette open={paletteOpen} onOpenChange={setPaletteOpen} route={route} navigate={navigate} />
        <ActivityDrawer {...drawerProps('activity')} />
        <SnapshotsDrawer {...drawerProps('snapshots')} />
        <FirewallsDrawer {...drawerProps('firewalls')} />
      </div>
    </ShellUiContext.Provider>
  )
}
