/** Everything the palette offers, built from the areas and the current settings and secrets. */
import { KeyRound, Monitor, Moon, Settings as SettingsIcon, ShieldCheck, ShieldOff, Sun, type LucideIcon } from 'lucide-react'
import { areas } from '../navigation/areas'
import type { Route } from '../navigation/route'
import { routeShortcut, type KeyCombo } from '../navigation/shortcuts'
import { useSecretsStatus, useSettings, useUpdateSettings } from '../rpc/queries'
import { resolveTheme } from '../theme/apply-theme'

export interface PaletteCommand {
  id: string
  group: 'Go to' | 'Preferences' | 'Tokens'
  label: string
  icon: LucideIcon
  shortcut?: KeyCombo
  keywords?: string[]
  /** An element to focus once the palette has closed (after the command has run). */
  focusId?: string
  run: () => void
}

export function usePaletteCommands(route: Route, navigate: (to: Route) => void): PaletteCommand[] {
  const settings = useSettings().data
  const secrets = useSecretsStatus().data
  const update = useUpdateSettings()
  const theme = settings?.theme ?? 'system'
  const resolved = resolveTheme(theme)

  const goTo: PaletteCommand[] = [
    ...areas.map((area) => ({ id: `go-${area.id}`, group: 'Go to' as const, label: area.label, icon: area.icon, shortcut: routeShortcut(area.id), run: () => navigate(area.id) })),
    { id: 'go-settings', group: 'Go to', label: 'Settings', icon: SettingsIcon, shortcut: routeShortcut('settings'), keywords: ['preferences', 'options'], run: () => navigate('settings') }
  ]

  const preferences: PaletteCommand[] = [
    {
      id: 'theme-toggle',
      group: 'Preferences',
      label: resolved === 'dark' ? 'Switch to light theme' : 'Switch to dark theme',
      icon: resolved === 'dark' ? Sun : Moon,
      keywords: ['theme', 'appearance', 'toggle', 'dark mode', 'light mode'],
      run: () => update.mutate({ theme: resolved === 'dark' ? 'light' : 'dark' })
    }
  ]
  if (theme !== 'system') {
    preferences.push({ id: 'theme-system', group: 'Preferences', label: 'Use the system theme', icon: Monitor, keywords: ['theme', 'appearance', 'auto'], run: () => update.mutate({ theme: 'system' }) })
  }
  if (settings) {
    const enforced = settings.managedTagEnforced
    preferences.push({
      id: 'managed-tag-toggle',
      group: 'Preferences',
      label: enforced ? `Stop enforcing the managed tag “${settings.managedTag}”` : `Enforce the managed tag “${settings.managedTag}”`,
      icon: enforced ? ShieldOff : ShieldCheck,
      keywords: ['read-only', 'safety', 'lock'],
      run: () => update.mutate({ managedTagEnforced: !enforced })
    })
  }

  const tokens: PaletteCommand[] = (['digitalocean', 'cloudflare'] as const).map((key) => {
    const name = key === 'digitalocean' ? 'DigitalOcean' : 'Cloudflare'
    return {
      id: `token-${key}`,
      group: 'Tokens',
      label: secrets?.[key] ? `Replace the ${name} token…` : `Add a ${name} token…`,
      icon: KeyRound,
      keywords: ['secret', 'api', 'credentials', 'keychain'],
      focusId: `token-input-${key}`,
      run: () => navigate('settings')
    }
  })

  return [...goTo.filter((command) => command.id !== `go-${route}`), ...preferences, ...tokens]
}
