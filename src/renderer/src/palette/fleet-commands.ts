/**
 * The palette's links into the fleet, built from what the other views have already cached (the palette
 * never fetches): "ssh <host>" opens a terminal on it, "logs <container>" follows its log in Logs,
 * "shell <container>" opens a shell inside it, "restart <container>" restarts it after a confirm, and
 * tunnels and DNS records open where they are shown. Labels start with the verb an operator types; host and
 * container commands have no title of their own, so a bare name still finds the droplet of that name first.
 */
import type { QueryClient } from '@tanstack/react-query'
import { Cable, Globe, HeartPulse, RotateCw, ScrollText, SquareTerminal } from 'lucide-react'
import type { Params, Result } from '../../../shared/contract'
import type { Container } from '../containers/containers-queries'
import { contractKey } from '../rpc/contract-queries'
import type { LogSession } from '../logs/log-session'
import { goTo } from '../navigation/use-hash-path'
import { sshKeys, type Host, type Tunnel } from '../ssh/ssh-queries'
import { requestTerminal } from '../terminals/terminal-requests'
import { commandScore } from './rank-commands'
import type { PaletteCommand } from './use-palette-commands'

type DnsRecord = Result<'dns.records.list'>[number]

/** Matches per kind, at most this many: cmdk renders every item it is given. */
const MAX_PER_KIND = 40

export interface FleetContext {
  client: QueryClient
  /** containers.action, through the data layer (useContractCall). */
  containerAction: (params: Params<'containers.action'>) => Promise<Result<'containers.action'>>
  logSession: LogSession
  /** Says why a background action failed (a restart, a log follow). */
  onFailure: (error: unknown, title: string) => void
}

/** Follows a container's log in Logs (once: already followed, it is just shown). */
export function followContainerLog({ logSession, onFailure }: FleetContext, hostId: string, name: string): void {
  if (!logSession.sources.some((s) => s.hostId === hostId && s.source.kind === 'container' && s.source.id === name)) {
    void logSession.add(hostId, { kind: 'container', id: name }).catch((error: unknown) => onFailure(error, `${name}'s log could not be followed`))
  }
  goTo('logs')
}

function hostCommands(hosts: Host[]): PaletteCommand[] {
  return hosts.flatMap((host) => [
    {
      id: `host-ssh-${host.id}`,
      group: 'Hosts' as const,
      label: `ssh ${host.name}`,
      icon: SquareTerminal,
      keywords: ['terminal', 'shell', 'connect', host.hostname],
      run: () => requestTerminal({ hostId: host.id })
    },
    {
      id: `host-health-${host.id}`,
      group: 'Hosts' as const,
      label: `health ${host.name}`,
      icon: HeartPulse,
      keywords: ['charts', 'cpu', 'memory', 'disk', 'checks'],
      run: () => goTo('health')
    }
  ])
}

function containerCommands(context: FleetContext, hostId: string, containers: Container[]): PaletteCommand[] {
  return containers.flatMap((c) => {
    const where = ` on ${hostId}`
    const commands: PaletteCommand[] = [
      {
        id: `container-logs-${hostId}-${c.id}`,
        group: 'Containers',
        label: `logs ${c.name}${where}`,
        icon: ScrollText,
        keywords: ['follow', 'tail', c.image, ...(c.project ? [c.project] : [])],
        run: () => followContainerLog(context, hostId, c.name)
      }
    ]
    if (c.state === 'running') {
      commands.push(
        {
          id: `container-shell-${hostId}-${c.id}`,
          group: 'Containers',
          label: `shell ${c.name}${where}`,
            icon: SquareTerminal,
          keywords: ['exec', 'terminal', 'docker exec'],
          run: () => requestTerminal({ hostId, container: c.name })
        },
        {
          id: `container-restart-${hostId}-${c.id}`,
          group: 'Containers',
          label: `restart ${c.name}${where}`,
            icon: RotateCw,
          keywords: ['docker restart'],
          // Restart interrupts the service: the palette asks before it runs.
          confirm: {
            title: `Restart ${c.name}`,
            description: `Stops and starts ${c.name} on ${hostId}; its connections drop while it comes back.`,
            confirmLabel: 'Restart container'
          },
          run: () => {
            goTo('containers')
            context.containerAction({ hostId, id: c.id, action: 'restart' }).then(
              (after) => context.client.setQueryData<Container[]>(contractKey('containers.list', { hostId }), (old) => old?.map((x) => (x.id === c.id ? after : x))),
              (error: unknown) => context.onFailure(error, `${c.name} did not restart`)
            )
          }
        }
      )
    }
    return commands
  })
}

function tunnelCommands(tunnels: Tunnel[]): PaletteCommand[] {
  return tunnels.map((t) => ({
    id: `tunnel-${t.id}`,
    group: 'Tunnels' as const,
    label: `tunnel localhost:${t.localPort} → ${t.remoteHost}:${t.remotePort} on ${t.hostId} (${t.state})`,
    title: `localhost:${t.localPort}`,
    icon: Cable,
    keywords: ['tunnel', 'port forward', String(t.localPort), String(t.remotePort), t.hostId],
    run: () => goTo('tunnels')
  }))
}

function recordCommands(records: DnsRecord[]): PaletteCommand[] {
  return records.map((r) => ({
    id: `record-${r.provider}-${r.zoneId}-${r.id}`,
    group: 'DNS records' as const,
    label: `${r.type} ${r.name} → ${r.content}`,
    title: r.name,
    icon: Globe,
    keywords: ['dns', 'record', ...(r.droplet ? [r.droplet.name] : [])],
    run: () => goTo('dns', [r.provider, r.zoneId])
  }))
}

/** The fleet's commands for a search; none before the operator types (there may be thousands). */
export function fleetCommands(context: FleetContext, search: string): PaletteCommand[] {
  if (!search.trim()) return []
  const { client } = context
  const hosts = client.getQueryData<Host[]>(sshKeys.hosts) ?? []
  const tunnels = client.getQueryData<Tunnel[]>(sshKeys.tunnels) ?? []
  const containers = client
    .getQueriesData<Container[]>({ queryKey: ['containers.list'] })
    .flatMap(([key, data]) => {
      const hostId = (key[1] as Params<'containers.list'> | undefined)?.hostId
      return hostId && Array.isArray(data) ? containerCommands(context, hostId, data) : []
    })
  const records = client.getQueriesData<DnsRecord[]>({ queryKey: ['dns.records.list'] }).flatMap(([, data]) => (Array.isArray(data) ? data : []))
  const matching = (commands: PaletteCommand[]) => commands.filter((command) => commandScore(command, search) > 0).slice(0, MAX_PER_KIND)
  return [...matching(hostCommands(hosts)), ...matching(containers), ...matching(tunnelCommands(tunnels)), ...matching(recordCommands(records))]
}
