/**
 * What may name a host on its way into known_hosts, a CONNECT request, a keychain account or an SSH
 * dial: an IP literal or a DNS name. Anything else (spaces, commas, `*`, CR/LF...) would be read as a
 * pattern, a header or a second field by whatever receives it. Pure: used by the contract, main and
 * the renderer alike.
 */
import { z } from 'zod'

const ipv4 = z.ipv4()
const ipv6 = z.ipv6()

export const isIpv4 = (text: string): boolean => ipv4.safeParse(text).success
export const isIpv6 = (text: string): boolean => ipv6.safeParse(text).success

/** A v4 or v6 address literal (no brackets, no zone id), as `net.isIP` accepts. */
export function isIpLiteral(text: string): boolean {
  return isIpv4(text) || isIpv6(text)
}

// RFC 1123 labels (letters, digits, inner hyphens, up to 63), plus "_", which internal names and DNS service
// labels use and which no consumer reads as syntax.
const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/

/**
 * A DNS host name: dot-separated labels, 253 characters at most, no trailing dot. The last label is not
 * all digits (RFC 3696 §2): `1.2.3.4.5` or `999.1.1.1` is a mistyped IPv4 address, which URL parsers and
 * resolvers read as one, not a name.
 */
export function isDnsHostname(text: string): boolean {
  const labels = text.split('.')
  return text.length > 0 && text.length <= 253 && labels.every((label) => LABEL.test(label)) && !/^\d+$/.test(labels[labels.length - 1])
}

/** A login name as POSIX and useradd allow it (a trailing `$` for machine accounts); never an option or a second field. */
const LOGIN = /^[A-Za-z_][A-Za-z0-9._-]{0,31}\$?$/

export function isLoginName(text: string): boolean {
  return LOGIN.test(text)
}

export const LOGIN_NAME_HINT = 'a login name: a letter or "_" first, then letters, digits, ".", "_" or "-" (32 at most)'

/** One ProxyJump hop as ssh_config spells it: `[user@]host[:port]`, the host an IP (v6 in brackets) or a name. */
export function isJumpHop(text: string): boolean {
  const m = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:@[\]]+)(?::(\d{1,5}))?$/.exec(text)
  if (!m) return false
  const [, user, rawHost, port] = m
  if (user !== undefined && !isLoginName(user)) return false
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return false
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost
  return rawHost.startsWith('[') ? isIpv6(host) : isIpv4(host) || isDnsHostname(host)
}

export const JUMP_HOSTS_HINT = 'jump hosts as "[user@]host[:port]", separated by commas (no spaces)'

export function isHostAddress(text: string): boolean {
  return isIpLiteral(text) || isDnsHostname(text)
}

export const HOST_ADDRESS_HINT = 'an IP address or a host name (letters, digits, "-", "_" and ".")'

export const HostAddressSchema = z.string().min(1).max(253).refine(isHostAddress, HOST_ADDRESS_HINT)
