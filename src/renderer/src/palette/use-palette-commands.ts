/** Everything the palette offers, built from the areas and the current settings and secrets. */
import { useQueryClient } from '@tanstack/react-query'
import type { Params, Result } from '../../../shared/contract'
import { Cable, Camera, Droplet, Globe, History, KeyRound, Monitor, Moon, RefreshCw, Rocket, Settings as SettingsIcon, Shield, ShieldCheck, ShieldOff, Sun, SquareTerminal, type LucideIcon } from 'lucide-react'
import { providerNames } from '../fleet/format'
import { areas } from '../navigation/areas'
import type { Route } from '../navigation/route'
import { routeShortcut, type KeyCombo } from '../navigation/shortcuts'
import { goTo as goToPath } from '../navigation/use-hash-path'
import { useLogSession } from '../logs/use-log-session'
import { fleetCommands, type FleetContext } from './fleet-commands'
import { useApi } from '../rpc/api-context'
import { contractKey, useContractCall } from '../rpc/contract-queries'
import { useTunnelPresets } from '../ssh/ssh-queries'
import { refreshDroplets, useDroplets, useZones } from '../rpc/provider-queries'
import { useSecretsStatus, useSettings, useUpdateSettings } from '../rpc/queries'
import { useShellUi } from '../shell/shell-ui'
import { useActiveTerminal } from '../terminals/active-terminal'
import { useSavedCommands } from '../terminals/terminal-queries'
import { resolveTheme } from '../theme/apply-theme'

export interface PaletteCommand {
  id: string
  group: 'Go to' | 'Actions' | 'Hosts' | 'Containers' | 'Droplets' | 'Tunnels' | 'DNS zones' | 'DNS records' | 'Preferences' | 'Tokens'
  label: string
  /** The name of what the command opens or acts on (a droplet's, a zone's): exact and prefix matches of it rank first. */
  title?: string
  icon: LucideIcon
  shortcut?: KeyCombo
  keywords?: string[]
  /** An element to focus once the palette has closed (after the command has run). */
  focusId?: string
  /** Disruptive commands ask first: the palette shows this confirm and runs the command only on its button. */
  confirm?: { title: string; description: string; confirmLabel: string }
  run: () => void
}

/** Droplets listed for a search, at most this many: cmdk renders every item it is given. */
const MAX_DROPLETS = 40

export function usePaletteCommands(route: Route, navigate: (to: Route) => void, search = '', onFailure: FleetContext['onFailure'] = () => undefined): PaletteCommand[] {
  const settings = useSettings().data
  const secrets = useSecretsStatus().data
  const api = useApi()
  const client = useQueryClient()
  const logSession = useLogSession(api)
  const containerAction = useContractCall('containers.action')
  const { openActivity, openSnapshots, openFirewalls } = useShellUi()
  // Read the caches the Droplets and DNS views fill; the palette never fetches on its own.
  const droplets = useDroplets({ enabled: false }).data
  const zones = useZones(false).data?.items
  const presets = useTunnelPresets(false).data
  const terminal = useActiveTerminal()
  const savedCommands = useSavedCommands(terminal?.scope).data
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

  const actions: PaletteCommand[] = [
    { id: 'show-activity', group: 'Actions', label: 'Show activity', icon: History, keywords: ['audit', 'log', 'history', 'progress'], run: openActivity },
    { id: 'new-tunnel', group: 'Actions', label: 'New tunnel…', icon: Cable, keywords: ['ssh', 'port forward', '-L', 'tunnel'], run: () => goToPath('tunnels', ['new']) },
    ...(presets ?? []).map((preset) => ({
      id: `tunnel-preset-${preset.id}`,
      group: 'Actions' as const,
      label: `Start tunnel: ${preset.label}${preset.hostId ? ` (${preset.hostId})` : ''}`,
      title: preset.label,
      icon: Cable,
      keywords: ['tunnel', 'port forward', String(preset.remotePort)],
      run: () => goToPath('tunnels', ['new', preset.id])
    })),
    // The front terminal tab's saved commands, typed into it and run.
    ...(terminal ? savedCommands ?? [] : []).map((saved) => ({
      id: `terminal-command-${saved.id}`,
      group: 'Actions' as const,
      label: `Run in ${terminal!.title}: ${saved.label}`,
      icon: SquareTerminal,
      keywords: ['terminal', 'saved command', 'runbook', saved.command],
      run: () => terminal!.run(saved.command)
    })),
    // Every service the Deploys view has listed ("deploy odoo"): opens its deploy dialog.
    ...client.getQueriesData<Result<'deploys.services'>>({ queryKey: contractKey('deploys.services') }).flatMap(([key, data]) => {
      const hostId = (key[1] as Params<'deploys.services'> | undefined)?.hostId
      return hostId && data
        ? data.services.map((svc) => ({
            id: `deploy-${hostId}-${svc.id}`,
            group: 'Actions' as const,
            label: `Deploy ${svc.name} on ${hostId}`,
            title: svc.name,
            icon: Rocket,
            keywords: ['deploy', 'rollback', 'release', 'version', svc.image, ...(svc.project ? [svc.project] : [])],
            run: () => goToPath('deploys', [hostId, svc.id])
          }))
        : []
    })
  ]
  if (secrets?.digitalocean) {
    actions.push(
      { id: 'show-snapshots', group: 'Actions', label: 'Show snapshots', icon: Camera, keywords: ['snapshot', 'backup', 'image', 'delete', 'disk'], run: openSnapshots },
      { id: 'show-firewalls', group: 'Actions', label: 'Show firewalls', icon: Shield, keywords: ['firewall', 'ports', 'security', 'attach', '22', '443'], run: openFirewalls }
    )
    actions.unshift({
      id: 'refresh-droplets',
      group: 'Actions',
      label: 'Refresh droplets',
      icon: RefreshCw,
      keywords: ['reload', 'fleet', 'doctl'],
      run: () => {
        navigate('droplets')
        void refreshDroplets(client, api)
      }
    })
  }

  const term = search.trim().toLowerCase()
  const dropletCommands: PaletteCommand[] = term
    ? (droplets ?? [])
        .filter((droplet) => droplet.name.toLowerCase().includes(term) || droplet.publicIpv4?.includes(term))
        .slice(0, MAX_DROPLETS)
        .map((droplet) => ({
          id: `droplet-${droplet.id}`,
          group: 'Droplets' as const,
          label: `Open droplet ${droplet.name}`,
          title: droplet.name,
          icon: Droplet,
          keywords: [droplet.name, droplet.publicIpv4 ?? '', droplet.region],
          run: () => goToPath('droplets', [droplet.id])
        }))
    : []

  // A few zones are worth listing up front; many only once the operator types.
  const zoneCommands: PaletteCommand[] = (term || (zones ?? []).length <= 8 ? (zones ?? []) : [])
    .slice(0, MAX_DROPLETS)
    .map((zone) => ({
      id: `zone-${zone.provider}-${zone.id}`,
      group: 'DNS zones' as const,
      label: `Go to DNS zone ${zone.name}`,
      title: zone.name,
      icon: Globe,
      keywords: [zone.name, 'dns', providerNames[zone.provider]],
      run: () => goToPath('dns', [zone.provider, zone.id])
    }))

  return [...goTo.filter((command) => command.id !== `go-${route}`), ...actions, ...fleetCommands({ client, containerAction, logSession, onFailure }, search), ...dropletCommands, ...zoneCommands, ...preferences, ...tokens]
}
