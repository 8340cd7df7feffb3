/**
 * NO_PROXY, as operators write it: `*`, host names, domains (`example.com`, `.example.com`, `*.example.com`),
 * IPv4/IPv6 literals and CIDRs (`10.0.0.0/8`, `fd00::/8`), each with an optional `:port`
 * (`[::1]:8443` for IPv6), separated by commas and/or whitespace. Pure: no DNS, no I/O.
 *
 * Decisions, where the tools out there disagree:
 * - A domain entry matches the domain itself and every subdomain, with or without the leading dot
 *   (curl's reading; Go's `.example.com` would skip the apex, which surprises people).
 * - Loopback is NOT exempt by itself (as in undici's EnvHttpProxyAgent and Python requests; unlike Go).
 *   One rule for every address is easier to predict, and operators who run a local proxy list
 *   `localhost,127.0.0.1` or `127.0.0.0/8` themselves. It also lets tests run a real proxy on loopback.
 * - Names never match addresses: `localhost` does not cover `127.0.0.1` (that would take a DNS lookup).
 * - Entries that cannot be parsed are ignored (and reported by `parseNoProxy`), never widened.
 */
import { isIPv4, isIPv6 } from 'node:net'
import { domainToASCII } from 'node:url'

export type NoProxyRule =
  | { kind: 'all'; text: string }
  | { kind: 'domain'; text: string; domain: string; port?: number }
  | { kind: 'ip'; text: string; family: 4 | 6; bytes: Uint8Array; prefix: number; port?: number }

export interface ParsedNoProxy {
  rules: NoProxyRule[]
  /** Entries that were ignored because they are not a host, domain, address or CIDR. */
  invalid: string[]
}

export function parseNoProxy(noProxy: string): ParsedNoProxy {
  const rules: NoProxyRule[] = []
  const invalid: string[] = []
  for (const text of noProxy.split(/[\s,]+/)) {
    if (text === '') continue
    const rule = parseEntry(text.toLowerCase())
    if (rule) rules.push(rule)
    else invalid.push(text)
  }
  return { rules, invalid }
}

/** True when a request to `url` should go direct rather than through the proxy. */
export function shouldBypassProxy(url: URL, noProxy: string): boolean {
  const { rules } = cachedParse(noProxy)
  if (rules.length === 0) return false
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '')
  const port = url.port === '' ? defaultPorts[url.protocol] : Number(url.port)
  const ip = toIp(host)
  return rules.some((rule) => {
    if (rule.kind === 'all') return true
    if (rule.port !== undefined && rule.port !== port) return false
    if (rule.kind === 'domain') return ip === undefined && (host === rule.domain || host.endsWith(`.${rule.domain}`))
    return ip !== undefined && ip.family === rule.family && prefixEquals(ip.bytes, rule.bytes, rule.prefix)
  })
}

const defaultPorts: Record<string, number | undefined> = { 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443 }

// NO_PROXY is read once per request; keep the last parse rather than splitting the same string each time.
let lastInput: string | undefined
let lastParsed: ParsedNoProxy = { rules: [], invalid: [] }
function cachedParse(noProxy: string): ParsedNoProxy {
  if (noProxy !== lastInput) {
    lastParsed = parseNoProxy(noProxy)
    lastInput = noProxy
  }
  return lastParsed
}

function parseEntry(text: string): NoProxyRule | undefined {
  if (text === '*') return { kind: 'all', text }

  let host = text
  let port: number | undefined
  if (host.startsWith('[')) {
    // [v6] or [v6]:port
    const close = host.indexOf(']')
    if (close < 0) return undefined
    const rest = host.slice(close + 1)
    host = host.slice(1, close)
    if (rest !== '') {
      if (!rest.startsWith(':')) return undefined
      port = parsePort(rest.slice(1))
      if (port === undefined) return undefined
    }
    if (!isIPv6(host)) return undefined
  } else if ((host.match(/:/g) ?? []).length === 1) {
    // host:port; two or more colons can only be a bare IPv6 literal or CIDR, which carries no port.
    const colon = host.indexOf(':')
    port = parsePort(host.slice(colon + 1))
    if (port === undefined) return undefined
    host = host.slice(0, colon)
  }

  const slash = host.indexOf('/')
  if (slash >= 0) {
    const ip = toIp(host.slice(0, slash))
    const prefixText = host.slice(slash + 1)
    if (!ip || !/^\d{1,3}$/.test(prefixText)) return undefined
    const prefix = Number(prefixText)
    if (prefix > ip.bytes.length * 8) return undefined
    return { kind: 'ip', text, family: ip.family, bytes: ip.bytes, prefix, ...(port === undefined ? {} : { port }) }
  }

  const ip = toIp(host)
  if (ip) return { kind: 'ip', text, family: ip.family, bytes: ip.bytes, prefix: ip.bytes.length * 8, ...(port === undefined ? {} : { port }) }

  // `*.example.com`, `.example.com` and `example.com` all mean the domain and its subdomains.
  const domain = domainToASCII(host.replace(/^\*?\./, '').replace(/\.$/, ''))
  if (domain === '' || !/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(domain)) return undefined
  return { kind: 'domain', text, domain, ...(port === undefined ? {} : { port }) }
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined
  const port = Number(text)
  return port >= 1 && port <= 65535 ? port : undefined
}

interface Ip {
  family: 4 | 6
  bytes: Uint8Array
}

/** An IP literal as bytes; IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is read as the IPv4 address it carries. */
function toIp(text: string): Ip | undefined {
  if (isIPv4(text)) return { family: 4, bytes: Uint8Array.from(text.split('.').map(Number)) }
  const unzoned = text.replace(/%.*$/, '')
  if (!isIPv6(unzoned)) return undefined
  const bytes = ipv6Bytes(unzoned)
  const mapped = bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff
  return mapped ? { family: 4, bytes: bytes.slice(12) } : { family: 6, bytes }
}

/** Expands a valid IPv6 literal (already checked by isIPv6) to its 16 bytes. */
function ipv6Bytes(text: string): Uint8Array {
  let source = text
  const lastColon = source.lastIndexOf(':')
  const tail = source.slice(lastColon + 1)
  if (tail.includes('.')) {
    const [a, b, c, d] = tail.split('.').map(Number)
    source = `${source.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, rest] = source.split('::') as [string, string | undefined]
  const groups = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : [])
  const left = groups(head)
  const right = groups(rest)
  const all = rest === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right]
  const bytes = new Uint8Array(16)
  all.forEach((group, i) => {
    bytes[i * 2] = group >> 8
    bytes[i * 2 + 1] = group & 0xff
  })
  return bytes
}

function prefixEquals(a: Uint8Array, b: Uint8Array, prefix: number): boolean {
  const whole = Math.floor(prefix / 8)
  for (let i = 0; i < whole; i++) if (a[i] !== b[i]) return false
  const bits = prefix % 8
  if (bits === 0) return true
  const mask = (0xff << (8 - bits)) & 0xff
  return (a[whole] & mask) === (b[whole] & mask)
}
