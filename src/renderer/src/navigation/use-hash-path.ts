/**
 * What an area has selected lives after its id in the hash (#/droplets/3164444, #/dns/cloudflare/<zone>),
 * so a reload, the palette and the back button all reach the same selection.
 */
import { useCallback, useSyncExternalStore } from 'react'
import type { Route } from './route'

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener)
  return () => window.removeEventListener('hashchange', listener)
}

function readPath(): string[] {
  return window.location.hash
    .replace(/^#\/?/, '')
    .split('?')[0]
    .split('/')
    .slice(1)
    .filter(Boolean)
    .map((part) => decodeURIComponent(part))
}

/** What follows `?` in the hash (#/containers?host=web-1): a filter a link from another area sets. */
function readQuery(): string {
  const hash = window.location.hash
  const at = hash.indexOf('?')
  return at === -1 ? '' : hash.slice(at + 1)
}

export type HashQuery = Record<string, string | number | undefined>

export function hashFor(route: Route, path: Array<string | number> = [], query: HashQuery = {}): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') search.set(key, String(value))
  const text = search.toString()
  return `#/${[route, ...path.map((part) => encodeURIComponent(String(part)))].join('/')}${text ? `?${text}` : ''}`
}

export function goTo(route: Route, path: Array<string | number> = [], query: HashQuery = {}): void {
  const hash = hashFor(route, path, query)
  if (window.location.hash !== hash) window.location.hash = hash
}

/** The segments after the area id, and a setter that keeps the area. */
export function useHashPath(route: Route): [string[], (path: Array<string | number>) => void] {
  const joined = useSyncExternalStore(subscribe, () => readPath().join('\u0000'))
  const path = joined ? joined.split('\u0000') : []
  const set = useCallback((next: Array<string | number>) => goTo(route, next), [route])
  return [path, set]
}

/** The hash's `?key=value` pairs (a host filter set by a link from another area), read live. */
export function useHashQuery(): URLSearchParams {
  const query = useSyncExternalStore(subscribe, readQuery)
  return new URLSearchParams(query)
}
