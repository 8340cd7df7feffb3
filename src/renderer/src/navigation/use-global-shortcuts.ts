/** Window-level keys: area navigation and the command palette, wherever focus is. */
import { useEffect } from 'react'
import { isPaletteKey, routeForKey } from './shortcuts'
import type { Route } from './route'

export function useGlobalShortcuts(navigate: (to: Route) => void, togglePalette: () => void): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return
      if (isPaletteKey(event)) {
        event.preventDefault()
        togglePalette()
        return
      }
      const route = routeForKey(event)
      if (route) {
        event.preventDefault()
        navigate(route)
      }
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [navigate, togglePalette])
}
