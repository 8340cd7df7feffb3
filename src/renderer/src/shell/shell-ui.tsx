/** Shell-level panels that any view or the palette can open: the activity, snapshots and firewalls drawers. */
import { createContext, useContext } from 'react'

export type ShellDrawer = 'activity' | 'snapshots' | 'firewalls'

export interface ShellUi {
  openActivity: () => void
  openSnapshots: () => void
  openFirewalls: () => void
}

export const ShellUiContext = createContext<ShellUi>({ openActivity: () => {}, openSnapshots: () => {}, openFirewalls: () => {} })

export function useShellUi(): ShellUi {
  return useContext(ShellUiContext)
}
