/**
 * The terminal tab in front, for the command palette: which saved commands apply to it (its host, or
 * local shells) and a way to type one into it. Set by the Terminals view while it shows a live shell.
 */
import { useSyncExternalStore } from 'react'

export interface ActiveTerminal {
  /** The saved-commands scope: the host id, or `local/`. */
  scope: string
  /** A label for the palette: the host id, or "local shell". */
  title: string
  /** Types the command into the shell and presses Enter. */
  run(command: string): void
}

let current: ActiveTerminal | null = null
const listeners = new Set<() => void>()

export function setActiveTerminal(next: ActiveTerminal | null): void {
  if (current === next) return
  current = next
  for (const listener of listeners) listener()
}

export function useActiveTerminal(): ActiveTerminal | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    () => current
  )
}
