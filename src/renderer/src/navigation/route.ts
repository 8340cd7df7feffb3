/**
 * The current screen lives in the URL hash (#/droplets), so a reload keeps it and it works the same
 * from file:// in Electron and http:// in the headless host.
 */
import { useCallback, useSyncExternalStore } from 'react'
import { areas, type AreaId } from './areas'

export type Route = AreaId | 'settings'

const DEFAULT_ROUTE: Route = 'droplets'

export function parseRoute(hash: string): Route {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0]
  if (id === 'settings') return 'settings'
  return areas.some((area) => area.id === id) ? (id as AreaId) : DEFAULT_ROUTE
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener)
  return () => window.removeEventListener('hashchange', listener)
}

export function useRoute(): [Route, (to: Route) => void] {
  const route = useSyncExternalStore(subscribe, () => parseRoute(window.location.hash))
  const navigate = useCallback((to: Route) => {
    if (parseRoute(window.location.hash) !== to) window.location.hash = `#/${to}`
  }, [])
  return [route, navigate]
}
