/** Shell-level panels that any view or the palette can open (today: the activity drawer). */
import { createContext, useContext } from 'react'

export interface ShellUi {
  openActivity: () => void
}

export const ShellUiContext = createContext<ShellUi>({ openActivity: () => {} })

export function useShellUi(): ShellUi {
  return useContext(ShellUiContext)
}
