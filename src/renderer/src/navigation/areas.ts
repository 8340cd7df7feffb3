/**
 * The operator's areas, in rail order. Each says what it will do and what it needs set up, so an
 * area that has no data yet can still tell the operator the next step.
 */
import { Activity, Cable, Container, Droplet, FolderOpen, Globe, Rocket, ScrollText, Server, SquareTerminal, type LucideIcon } from 'lucide-react'
import type { SecretKey } from '../../../shared/contract'

export type AreaId = 'droplets' | 'dns' | 'hosts' | 'containers' | 'logs' | 'terminals' | 'tunnels' | 'health' | 'deploys' | 'files'

/** One thing the operator needs in place before an area is useful. */
export type Requirement =
  /** Satisfied when any of the listed tokens is stored. */
  | { kind: 'token'; keys: SecretKey[]; label: string; detail: string; optional?: boolean }
  /** Points at a setting; the detail may name {managedTag}, {alertThresholdPercent} or {defaultSshUser}. */
  | { kind: 'setting'; label: string; detail: string }
  /** Something outside Dropdeck the operator prepares. */
  | { kind: 'note'; label: string; detail: string }

export interface Area {
  id: AreaId
  label: string
  icon: LucideIcon
  /** What the area does, in one sentence. */
  summary: string
  /** When set, the area is blocked until one of these tokens is stored. */
  needsToken?: { keys: SecretKey[]; title: string; body: string }
  requirements: Requirement[]
}

const doToken: Requirement = {
  kind: 'token',
  keys: ['digitalocean'],
  label: 'DigitalOcean token',
  detail: 'A personal access token with read and write scope.'
}

const sshAccess: Requirement = {
  kind: 'note',
  label: 'SSH access',
  detail: 'A key in ssh-agent or an IdentityFile in ~/.ssh/config. Unknown host keys are shown by SHA256 fingerprint for you to accept.'
}

export const areas: Area[] = [
  {
    id: 'droplets',
    label: 'Droplets',
    icon: Droplet,
    summary: 'List, tag, power-cycle and resize droplets. Destructive actions are confirmed by typing the droplet’s name.',
    needsToken: {
      keys: ['digitalocean'],
      title: 'Add your DigitalOcean token',
      body: 'Dropdeck reads your droplets through the DigitalOcean API. The token is kept in the OS keychain and never shown again.'
    },
    requirements: [doToken, { kind: 'setting', label: 'Managed tag', detail: 'Droplets without {managedTag} are read-only unless unlocked for one action.' }]
  },
  {
    id: 'dns',
    label: 'DNS',
    icon: Globe,
    summary: 'View and edit records for your domains at DigitalOcean or Cloudflare. Deleting a record is confirmed by name.',
    needsToken: {
      keys: ['digitalocean', 'cloudflare'],
      title: 'Add a DNS provider token',
      body: 'DNS works with DigitalOcean domains, Cloudflare zones, or both. Add a token for the provider that hosts your zones.'
    },
    requirements: [
      { kind: 'token', keys: ['digitalocean'], label: 'DigitalOcean token', detail: 'For domains managed at DigitalOcean.', optional: true },
      { kind: 'token', keys: ['cloudflare'], label: 'Cloudflare token', detail: 'An API token with Zone → DNS → Edit permission.', optional: true }
    ]
  },
  {
    id: 'hosts',
    label: 'Hosts',
    icon: Server,
    summary: 'Every machine you reach over SSH: your droplets plus the Host entries in ~/.ssh/config, with host keys checked.',
    requirements: [
      { kind: 'note', label: 'SSH config', detail: 'Hosts come from ~/.ssh/config (HostName, User, Port, IdentityFile, ProxyJump).' },
      { kind: 'setting', label: 'Default SSH user', detail: 'Droplets are reached as {defaultSshUser} unless ~/.ssh/config says otherwise.' },
      { ...doToken, detail: 'Optional: adds your droplets to the list.', optional: true }
    ]
  },
  {
    id: 'containers',
    label: 'Containers',
    icon: Container,
    summary: 'Docker containers on each host: state, health checks, restart and prune, over the host’s SSH connection.',
    requirements: [sshAccess, { kind: 'note', label: 'Docker on the host', detail: 'Your SSH user must be able to run docker (the docker group, or root).' }]
  },
  {
    id: 'logs',
    label: 'Logs',
    icon: ScrollText,
    summary: 'Follow systemd units and container logs on any host, filtered and searchable, without leaving the window.',
    requirements: [sshAccess, { kind: 'note', label: 'Journal access', detail: 'Your SSH user must read the journal (the systemd-journal group, or root).' }]
  },
  {
    id: 'terminals',
    label: 'Terminals',
    icon: SquareTerminal,
    summary: 'Interactive shells on your hosts in tabs, sharing one pooled SSH connection per host.',
    requirements: [sshAccess]
  },
  {
    id: 'tunnels',
    label: 'Tunnels',
    icon: Cable,
    summary: 'Port forwards to internal UIs — the ssh -L you run by hand — started, stopped and opened from here.',
    requirements: [
      { kind: 'note', label: 'SSH hosts', detail: 'SSH hosts come from ~/.ssh/config; their LocalForward lines become ready-made tunnels.' },
      { kind: 'note', label: 'Corporate networks', detail: 'Behind a proxy, use a ProxyJump bastion or set HTTPS_PROXY before starting Dropdeck.' }
    ]
  },
  {
    id: 'health',
    label: 'Health',
    icon: Activity,
    summary: 'HTTP /health checks, container state and disk and memory use per host, flagged when over the threshold.',
    requirements: [sshAccess, { kind: 'setting', label: 'Alert threshold', detail: 'Disk and memory use above {alertThresholdPercent} flags a host.' }]
  },
  {
    id: 'deploys',
    label: 'Deploys',
    icon: Rocket,
    summary: 'Roll tagged images forward and back on a host, with the running version confirmed before a rollback.',
    requirements: [sshAccess, { kind: 'note', label: 'Tagged images', detail: 'Images on the host tagged by version (for example app:1.4.2), not only :latest.' }]
  },
  {
    id: 'files',
    label: 'Files',
    icon: FolderOpen,
    summary: 'Browse a host’s folders over SFTP, move files both ways with resumable transfers, and edit configs with a diff, a backup and their validator.',
    requirements: [sshAccess, { kind: 'note', label: 'sudo for root-only files', detail: 'Files only root can read are read through sudo -n where a NOPASSWD rule allows it.' }]
  }
]

export function findArea(id: string): Area | undefined {
  return areas.find((area) => area.id === id)
}
