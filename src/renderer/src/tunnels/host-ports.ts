/**
 * The ports a tunnel can reach on a host, read from its containers' published ports: a port Docker
 * publishes on the host (`127.0.0.1:8069->8069/tcp`, `0.0.0.0:80->80/tcp`) answers on the host's
 * 127.0.0.1, which is where the tunnel connects. A port only exposed (`80/tcp`) lives on the
 * container's own address and a UDP one cannot be forwarded, so neither is offered.
 */
import type { Container } from '../containers/containers-queries'

export interface HostPort {
  port: number
  /** The containers publishing it (one, unless a port is published twice on different addresses). */
  containers: string[]
}

/** The host port a tunnel reaches for one `ports` entry of containers.list, or undefined. */
export function publishedTcpPort(entry: string): number | undefined {
  const match = /^(?:.*:)?(\d+)->\d+(?:-\d+)?\/tcp$/.exec(entry)
  if (!match) return undefined
  const port = Number(match[1])
  return port >= 1 && port <= 65_535 ? port : undefined
}

export function hostPorts(containers: readonly Container[]): HostPort[] {
  const byPort = new Map<number, Set<string>>()
  for (const c of containers) {
    for (const entry of c.ports) {
      const port = publishedTcpPort(entry)
      if (port !== undefined) byPort.set(port, (byPort.get(port) ?? new Set()).add(c.name))
    }
  }
  return [...byPort.entries()].sort(([a], [b]) => a - b).map(([port, names]) => ({ port, containers: [...names].sort() }))
}
