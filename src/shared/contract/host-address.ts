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

/** A DNS host name: dot-separated labels, 253 characters at most, no trailing dot. */
export function isDnsHostname(text: string): boolean {
  return text.length > 0 && text.length <= 253 && text.split('.').every((label) => LABEL.test(label))
}

export function isHostAddress(text: string): boolean {
  return isIpLiteral(text) || isDnsHostname(text)
}

export const HOST_ADDRESS_HINT = 'an IP address or a host name (letters, digits, "-", "_" and ".")'

export const HostAddressSchema = z.string().min(1).max(253).refine(isHostAddress, HOST_ADDRESS_HINT)
