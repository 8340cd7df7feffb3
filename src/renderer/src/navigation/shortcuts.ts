/**
 * Keyboard shortcuts, one table for the handler and for what the UI shows: Alt+1…9 and Alt+0 for the
 * areas in rail order (like browser tabs: 0 is the tenth), Mod+, for Settings, Mod+K for the palette.
 */
import { areas } from './areas'
import type { Route } from './route'

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent)

/** Keys as shown in <kbd>, e.g. ['Alt', '1'] or ['⌘', 'K']. */
export type KeyCombo = string[]

export const modKey = isMac ? '⌘' : 'Ctrl'
const altKey = isMac ? '⌥' : 'Alt'

export const paletteShortcut: KeyCombo = [modKey, 'K']

export function routeShortcut(route: Route): KeyCombo {
  if (route === 'settings') return [modKey, ',']
  const n = areas.findIndex((area) => area.id === route) + 1
  return [altKey, n === 10 ? '0' : String(n)]
}

/** Which route a keydown asks for, if any. Uses `code` because Option+digit types a symbol on macOS. */
export function routeForKey(event: KeyboardEvent): Route | undefined {
  const mod = isMac ? event.metaKey : event.ctrlKey
  if (mod && !event.altKey && !event.shiftKey && event.key === ',') return 'settings'
  const digit = /^Digit([0-9])$/.exec(event.code)
  if (digit && event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey) return areas[(Number(digit[1]) || 10) - 1]?.id
  return undefined
}

export function isPaletteKey(event: KeyboardEvent): boolean {
  const mod = isMac ? event.metaKey : event.ctrlKey
  return mod && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k'
}

/** Whether a key is one of the app's own shortcuts: a focused terminal lets these through to the app. */
export function isAppShortcut(event: KeyboardEvent): boolean {
  return isPaletteKey(event) || routeForKey(event) !== undefined
}
