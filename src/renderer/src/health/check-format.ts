/** How a check reads in the list: its target in one line, its state's words and colour. */
import type { CheckRow } from './checks-queries'

type Check = CheckRow['check']

export function targetOf(c: Check): string {
  switch (c.kind) {
    case 'http':
      return c.runFrom === 'host' ? `${c.url} (from ${c.hostId})` : c.url
    case 'tls':
      return `${c.host}:${c.port}`
    case 'dns':
      return c.expectDroplet ? `${c.hostname} → ${c.expectDroplet}` : c.hostname
    case 'tcp':
      return c.runFrom === 'host' ? `${c.host}:${c.port} (from ${c.hostId})` : `${c.host}:${c.port}`
    case 'disk':
      return `${c.hostId} ${c.mount ?? 'all disks'}`
    case 'memory':
      return c.hostId
    case 'container':
      return `${c.hostId} ${c.container ?? 'all containers'}`
    case 'unit':
      return `${c.hostId} ${c.units?.join(', ') ?? 'picked units'}`
  }
}

export const KIND_LABEL: Record<Check['kind'], string> = { http: 'HTTP', tls: 'TLS', dns: 'DNS', disk: 'Disk', memory: 'Memory', container: 'Containers', unit: 'Units', tcp: 'TCP' }

export function stateTone(state: string, severity: string | null): 'ok' | 'warn' | 'danger' | 'muted' {
  if (state === 'up') return 'ok'
  if (state === 'down') return severity === 'warning' ? 'warn' : 'danger'
  return 'muted'
}
