/**
 * Themes are CSS variables switched by `data-theme` on <html>. 'system' follows the OS. The last
 * resolved choice is remembered locally so the first paint after a launch is not the wrong colour.
 */
import type { Settings } from '../../../shared/contract'

export type ThemeChoice = Settings['theme']
export type ResolvedTheme = 'light' | 'dark'

const STORAGE_KEY = 'dropdeck.theme'
const darkQuery = () => window.matchMedia?.('(prefers-color-scheme: dark)')

export function resolveTheme(choice: ThemeChoice): ResolvedTheme {
  if (choice !== 'system') return choice
  return darkQuery()?.matches ? 'dark' : 'light'
}

export function applyTheme(choice: ThemeChoice): void {
  const resolved = resolveTheme(choice)
  document.documentElement.dataset.theme = resolved
  try {
    localStorage.setItem(STORAGE_KEY, choice)
  } catch {
    // Storage can be unavailable (privacy modes); the theme still applies for this session.
  }
}

/** The choice to paint with before settings arrive. */
export function rememberedTheme(): ThemeChoice {
  try {
    const stored = localStorage.getItem(STORAGE_KEY)
    if (stored === 'light' || stored === 'dark' || stored === 'system') return stored
  } catch {
    // fall through
  }
  return 'system'
}

export function onSystemThemeChange(listener: () => void): () => void {
  const query = darkQuery()
  if (!query) return () => {}
  query.addEventListener('change', listener)
  return () => query.removeEventListener('change', listener)
}
