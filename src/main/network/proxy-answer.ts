/**
 * A proxy auto-config answer (`FindProxyForURL`'s string, which is also what Chromium's
 * `session.resolveProxy` returns) read into an ordered list of hops: `DIRECT`, `PROXY host:port`,
 * `HTTPS host:port`, `SOCKS host:port` (SOCKS4 by the PAC rules), `SOCKS4`, `SOCKS5`, separated by `;`.
 * The first hop that can be reached is used; a later one only when the one before cannot be reached.
 * Pure: no I/O.
 */
import { DropdeckError } from '../../shared/errors'

export type ProxyHop =
  | { kind: 'direct' }
  | { kind: 'http' | 'https' | 'socks4' | 'socks5'; host: string; port: number }

const KINDS: Record<string, ProxyHop['kind']> = {
  DIRECT: 'direct',
  PROXY: 'http',
  HTTP: 'http',
  HTTPS: 'https',
  SOCKS: 'socks4',
  SOCKS4: 'socks4',
  SOCKS5: 'socks5'
}

const DEFAULT_PORTS: Record<Exclude<ProxyHop['kind'], 'direct'>, number> = { http: 80, https: 443, socks4: 1080, socks5: 1080 }

/** `source` names where the answer came from, for the error when it cannot be read. */
export function parseProxyAnswer(answer: string, source: string): ProxyHop[] {
  const hops: ProxyHop[] = []
  for (const entry of answer.split(';').map((e) => e.trim()).filter(Boolean)) {
    const [word, address, ...rest] = entry.split(/\s+/)
    const kind = KINDS[word.toUpperCase()]
    if (!kind || rest.length > 0 || (kind === 'direct') !== (address === undefined)) {
      throw new DropdeckError('BAD_REQUEST', `${source} answered "${answer.slice(0, 200)}", which is not a proxy list: expected entries such as DIRECT, PROXY host:port or SOCKS5 host:port, separated by ";".`)
    }
    if (kind === 'direct') {
      hops.push({ kind })
      continue
    }
    const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/i.exec(address)
    const port = match?.[3] === undefined ? DEFAULT_PORTS[kind] : Number(match[3])
    if (!match || port < 1 || port > 65535) {
      throw new DropdeckError('BAD_REQUEST', `${source} answered "${answer.slice(0, 200)}": "${address}" is not host:port.`)
    }
    hops.push({ kind, host: match[1] ?? match[2], port })
  }
  // An empty answer means DIRECT (Chromium reads it so too).
  return hops.length ? hops : [{ kind: 'direct' }]
}

/** The hop as a PAC entry, for messages and the connection test: `PROXY 10.0.0.1:3128`, `DIRECT`. */
export function formatHop(hop: ProxyHop): string {
  if (hop.kind === 'direct') return 'DIRECT'
  const word = { http: 'PROXY', https: 'HTTPS', socks4: 'SOCKS4', socks5: 'SOCKS5' }[hop.kind]
  return `${word} ${hop.host.includes(':') ? `[${hop.host}]` : hop.host}:${hop.port}`
}
