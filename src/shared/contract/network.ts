/**
 * The contract for the network behind Dropdeck: the connection test Settings shows (each hop from this
 * computer to a provider API or an SSH host: which proxy and why, the proxy's answer, TLS, the far end's
 * answer) and the keychain's credentials for proxies a PAC file or the system settings choose. Assembled
 * into ../contract.ts; documented in docs/api.md ("Network").
 */
import { z } from 'zod'

/** host:port of a proxy, as a PAC answer names it. */
export const ProxyAddressSchema = z.string().min(3).max(300).regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'host:port')

export const NetworkTestTargetSchema = z.union([z.enum(['digitalocean', 'cloudflare']), z.object({ hostId: z.string().min(1).max(255) }).strict()])

export const NetworkHopSchema = z.object({
  /** route: which proxy and where that came from; proxy: its answer to CONNECT; tls; api / ssh: the far end. */
  kind: z.enum(['route', 'proxy', 'tls', 'api', 'ssh']),
  /** ok, failed, or not reached because an earlier hop failed. */
  status: z.enum(['ok', 'failed', 'skipped']),
  /** One line: "PROXY 10.0.0.1:3128 (the PAC file https://wpad.corp/proxy.pac)". */
  summary: z.string(),
  /** Further lines: the certificate's issuer and expiry, the trusting store, what to do. */
  details: z.array(z.string())
})
export type NetworkHop = z.infer<typeof NetworkHopSchema>

export const NetworkTestResultSchema = z.object({
  /** What was tested, in words: "DigitalOcean API at https://api.digitalocean.com". */
  target: z.string(),
  ok: z.boolean(),
  hops: z.array(NetworkHopSchema),
  /** Everything above as plain text, for the clipboard and the IT department. */
  text: z.string(),
  testedAt: z.string()
})
export type NetworkTestResult = z.infer<typeof NetworkTestResultSchema>

export const networkMethods = {
  /** Connects to the target along the route Dropdeck would use and reports each hop; never fails for a network reason. */
  'network.test': { params: z.object({ target: NetworkTestTargetSchema }).strict(), result: NetworkTestResultSchema },
  /** Basic credentials for a proxy that a PAC file or the system settings choose; kept in the keychain only. */
  'network.proxyCredentials.set': {
    params: z.object({ proxy: ProxyAddressSchema, username: z.string().min(1).max(256), password: z.string().max(1024) }).strict(),
    result: z.object({ proxy: z.string(), stored: z.literal(true) })
  },
  'network.proxyCredentials.delete': {
    params: z.object({ proxy: ProxyAddressSchema }).strict(),
    result: z.object({ proxy: z.string(), stored: z.literal(false) })
  }
} as const
