/**
 * The contract for SSH hosts and tunnels: hosts from ~/.ssh/config, droplets and by hand, their pooled
 * connection's state, host-key trust, key unlocking, and local port forwards that survive reconnects.
 * Assembled into the one contract in ../contract.ts; documented in docs/api.md ("SSH methods").
 */
import { z } from 'zod'
import { HostAddressSchema, isJumpHop, isLoginName, JUMP_HOSTS_HINT, LOGIN_NAME_HINT } from './host-address'
import { NoParams } from './no-params'
import { ErrorCodeSchema } from '../errors'

/** A TCP port. */
const Port = z.number().int().min(1).max(65535)

/** A host alias as in ssh_config: no spaces, no wildcards. */
export const HostIdSchema = z.string().min(1).max(255).regex(/^[^\s*?!,]+$/, 'an alias without spaces or wildcards')

/** A host's or tunnel's last failure: one of the stable error codes, and what to do. */
export const SshErrorInfoSchema = z.object({ code: ErrorCodeSchema, message: z.string() })

export const HostSourceSchema = z.enum(['ssh-config', 'droplet', 'manual'])
export const HostStateSchema = z.enum(['idle', 'connecting', 'connected', 'reconnecting', 'error'])

export const LocalForwardSchema = z.object({
  localPort: Port,
  remoteHost: z.string(),
  remotePort: Port
})

export const HostSchema = z.object({
  /** The alias (ssh-config Host, the droplet's name, or what the operator typed). */
  id: z.string(),
  name: z.string(),
  hostname: z.string(),
  port: z.number().int(),
  user: z.string(),
  source: HostSourceSchema,
  identityFiles: z.array(z.string()),
  /** Comma-separated jump hosts, as ssh_config spells it. */
  proxyJump: z.string().optional(),
  localForwards: z.array(LocalForwardSchema),
  state: HostStateSchema,
  /** The last failure: AUTH_FAILED, HOST_KEY_UNKNOWN, HOST_KEY_MISMATCH, TIMEOUT, UPSTREAM... */
  error: SshErrorInfoSchema.optional(),
  /**
   * After failed attempts in a row (not connected): how many, when the next one is, or gaveUp once
   * the pool stopped retrying (state "error" until hosts.connect, the operator's Retry).
   */
  retry: z.object({ attempt: z.number().int().min(1), nextAt: z.string().nullable(), gaveUp: z.boolean() }).optional(),
  /** What holds the connection: tunnels, terminals, log follows, container watches, transfers. Disconnect asks when above 0. */
  inUse: z.number().int().min(0).optional()
})
export type Host = z.infer<typeof HostSchema>

export const ManualHostInputSchema = z.object({
  id: HostIdSchema,
  /** An IP address or an RFC 1123 host name: it is written to known_hosts and sent in CONNECT requests. */
  hostname: HostAddressSchema,
  port: Port.default(22),
  user: z.string().refine(isLoginName, LOGIN_NAME_HINT),
  identityFiles: z.array(z.string().min(1)).max(10).default([]),
  proxyJump: z.string().min(1).max(1000).refine((text) => text.split(',').every(isJumpHop), JUMP_HOSTS_HINT).optional(),
  /** `http://user:pass@host:port` or `socks5://host:port`; overrides DROPDECK_SSH_PROXY for this host. */
  proxy: z.string().min(1).max(1000).optional()
}).strict()

export const TunnelStateSchema = z.enum(['connecting', 'up', 'reconnecting', 'error', 'stopped'])

export const TunnelSchema = z.object({
  id: z.string(),
  hostId: z.string(),
  localPort: z.number().int(),
  remoteHost: z.string(),
  remotePort: z.number().int(),
  state: TunnelStateSchema,
  error: SshErrorInfoSchema.optional(),
  /** Connections accepted since the tunnel started. */
  connections: z.number().int(),
  /** Bytes from the remote side to the local client, and the other way. */
  bytesIn: z.number(),
  bytesOut: z.number(),
  /** Belongs to the app (restarted on launch) rather than to the window that opened it. */
  startOnLaunch: z.boolean(),
  /** The local URL to open, for web UIs. */
  url: z.string().optional()
})
export type Tunnel = z.infer<typeof TunnelSchema>

export const TunnelPresetSchema = z.object({
  id: z.string(),
  label: z.string(),
  /** Set for LocalForward presets (they belong to one host); seed presets fit any host. */
  hostId: z.string().optional(),
  localPort: z.number().int(),
  remoteHost: z.string(),
  remotePort: z.number().int(),
  /** Where to open it once up, for web UIs. */
  url: z.string().optional(),
  source: z.enum(['seed', 'ssh-config'])
})

export const hostsMethods = {
  'hosts.list': { params: NoParams, result: z.array(HostSchema) },
  'hosts.add': { params: ManualHostInputSchema, result: HostSchema },
  'hosts.remove': { params: z.object({ hostId: HostIdSchema }).strict(), result: z.object({ removed: z.literal(true) }) },
  /** Opens (or reuses) the pooled connection. Fails with HOST_KEY_UNKNOWN, HOST_KEY_MISMATCH, AUTH_FAILED, TIMEOUT, UPSTREAM. */
  'hosts.connect': { params: z.object({ hostId: HostIdSchema }).strict(), result: HostSchema },
  'hosts.disconnect': { params: z.object({ hostId: HostIdSchema }).strict(), result: HostSchema },
  /** Accept an unknown host key after the operator saw its fingerprint (from HOST_KEY_UNKNOWN's data). */
  'hosts.trustKey': {
    params: z.object({ hostId: HostIdSchema, fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'SHA256:<43 base64 characters>') }).strict(),
    result: z.object({ trusted: z.literal(true) })
  },
  /**
   * Copies the host keys Dropdeck trusts for this host into the host's UserKnownHostsFile (~/.ssh/known_hosts
   * by default), so a plain `ssh` asks no more; hashed if that file uses hashes. `added: false` when it already had them.
   */
  'hosts.copyKeyToKnownHosts': {
    params: z.object({ hostId: HostIdSchema }).strict(),
    result: z.object({ file: z.string(), added: z.boolean(), hashed: z.boolean() })
  },
  /** Unlock a passphrase-protected key (from AUTH_FAILED's data.needsPassphrase) for this session, or keep it in the keychain. */
  'hosts.unlockKey': {
    params: z.object({ hostId: HostIdSchema, passphrase: z.string().min(1).max(1024), remember: z.boolean().optional() }).strict(),
    result: z.object({ unlocked: z.literal(true), keyPath: z.string() })
  },

  /**
   * The password for a host that takes one (from AUTH_FAILED's data.needsPassword): kept for this session
   * (every reconnect uses it), or also in the keychain with remember. Checked by the next connection.
   */
  'hosts.setPassword': {
    params: z.object({ hostId: HostIdSchema, password: z.string().min(1).max(1024), remember: z.boolean().optional() }).strict(),
    result: z.object({ saved: z.literal(true), remembered: z.boolean() })
  }
} as const

export const tunnelsMethods = {
  'tunnels.start': {
    params: z.object({
      hostId: HostIdSchema,
      remoteHost: HostAddressSchema.default('localhost'),
      remotePort: Port,
      /** Omitted: the remote port if free, else any free port. */
      localPort: Port.optional(),
      /** Belongs to the app, not to the window; started again on launch. */
      startOnLaunch: z.boolean().optional()
    }).strict(),
    result: z.object({ id: z.string(), localPort: z.number().int() })
  },
  'tunnels.list': { params: NoParams, result: z.array(TunnelSchema) },
  'tunnels.stop': { params: z.object({ id: z.string().min(1) }).strict(), result: z.object({ stopped: z.literal(true) }) },
  /** On: the app owns the tunnel and starts it again on launch. Off: the calling window owns it (it stops when that window closes). */
  'tunnels.setStartOnLaunch': { params: z.object({ id: z.string().min(1), startOnLaunch: z.boolean() }).strict(), result: TunnelSchema },
  'tunnels.presets': { params: NoParams, result: z.array(TunnelPresetSchema) }
} as const

export const sshMethods = { ...hostsMethods, ...tunnelsMethods } as const

export const sshEvents = {
  /** One host's connection state changed. */
  'hosts.changed': HostSchema,
  /** One tunnel changed (state at once; counters at most once a second per tunnel), or the whole list after a start or stop. */
  'tunnels.changed': z.union([z.object({ tunnels: z.array(TunnelSchema) }), z.object({ tunnel: TunnelSchema })])
} as const
