/**
 * One-click tunnels: the internal UIs of seed 000 (the forwards its operators type by hand) and every
 * LocalForward in ssh_config. Each web UI carries the local URL to open once the tunnel is up.
 */
import type { z } from 'zod'
import type { TunnelPresetSchema } from '../../shared/contract/ssh'
import type { HostConfig } from '../ssh/host-config'

export type TunnelPreset = z.output<typeof TunnelPresetSchema>

const SEED: { id: string; label: string; port: number; web: boolean }[] = [
  { id: 'mlflow', label: 'MLflow', port: 5000, web: true },
  { id: 'opik', label: 'Opik', port: 5173, web: true },
  { id: 'grafana', label: 'Grafana', port: 3100, web: true },
  { id: 'prometheus', label: 'Prometheus', port: 9091, web: true },
  { id: 'supabase-studio', label: 'Supabase Studio', port: 3001, web: true },
  { id: 'falkordb-browser', label: 'FalkorDB Browser', port: 3030, web: true },
  { id: 'falkordb', label: 'FalkorDB (Redis protocol)', port: 6381, web: false },
  { id: 'redis', label: 'Redis', port: 6382, web: false }
]

/** Ports whose forwards are web UIs: the seed's, and the usual HTTP ones. */
const WEB_PORTS = new Set([...SEED.filter((s) => s.web).map((s) => s.port), 80, 443, 3000, 8000, 8080, 8443, 8888, 9000, 9090])

/** The URL to open for a forward to remotePort, or undefined when it is not a web UI (Redis, Postgres...). */
export function tunnelUrl(remotePort: number, localPort: number): string | undefined {
  if (!WEB_PORTS.has(remotePort)) return undefined
  return `${remotePort === 443 || remotePort === 8443 ? 'https' : 'http'}://127.0.0.1:${localPort}/`
}

export function tunnelPresets(hosts: HostConfig[]): TunnelPreset[] {
  const seed: TunnelPreset[] = SEED.map((s) => ({
    id: `seed:${s.id}`,
    label: s.label,
    localPort: s.port,
    remoteHost: 'localhost',
    remotePort: s.port,
    ...(s.web ? { url: `http://127.0.0.1:${s.port}/` } : {}),
    source: 'seed' as const
  }))
  const fromConfig = hosts.flatMap((h) =>
    h.localForwards.map((f): TunnelPreset => {
      const known = SEED.find((s) => s.port === f.remotePort)
      const url = tunnelUrl(f.remotePort, f.localPort)
      return {
        id: `${h.id}:L${f.localPort}`,
        label: `${known?.label ?? `${f.remoteHost}:${f.remotePort}`} on ${h.id}`,
        hostId: h.id,
        localPort: f.localPort,
        remoteHost: f.remoteHost,
        remotePort: f.remotePort,
        ...(url ? { url } : {}),
        source: 'ssh-config'
      }
    })
  )
  return [...seed, ...fromConfig]
}
