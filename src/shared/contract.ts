/**
 * The contract: every method and event that crosses the boundary between the UI and the services,
 * each with its zod schemas. Main, preload, renderer and the headless host all derive their types
 * from this file; nothing declares a channel anywhere else. Pure TypeScript: no Node, no DOM.
 */
import { z } from 'zod'
import { ContextNameSchema, providerEvents, providerMethods } from './contract/providers'
import { sshEvents, sshMethods } from './contract/ssh'
import { containersEvents, containersMethods } from './contract/containers'
import { unitsMethods } from './contract/units'
import { factsMethods } from './contract/facts'
import { logsEvents, logsMethods } from './contract/logs'
import { terminalEvents, terminalMethods } from './contract/terminals'
import { checksEvents, checksMethods } from './contract/checks'
import { reportMethods } from './contract/report'
import { filesEvents, filesMethods } from './contract/files'
import { deploysEvents, deploysMethods } from './contract/deploys'
import { networkMethods } from './contract/network'
import { NoParams } from './contract/no-params'
import { metricsMethods } from './contract/metrics'

export * from './contract/providers'
export * from './contract/ssh'
export * from './contract/containers'
export * from './contract/terminals'
export * from './contract/units'
export * from './contract/facts'
export * from './contract/logs'
export * from './contract/checks'
export * from './contract/report'
export * from './contract/files'
export * from './contract/streams'
export * from './contract/deploys'
export * from './contract/network'
export * from './contract/metrics'


/** Which provider tokens Dropdeck keeps in the OS keychain. */
export const SecretKeySchema = z.enum(['digitalocean', 'cloudflare'])
export type SecretKey = z.infer<typeof SecretKeySchema>

export const SecretsStatusSchema = z.object({
  digitalocean: z.boolean(),
  cloudflare: z.boolean()
})

export const KeychainStatusSchema = z.object({
  available: z.boolean(),
  /** The backing store, in the operator's words, e.g. "Secret Service (Linux)". */
  backend: z.string(),
  /** When unavailable: what is wrong and how to fix it. */
  message: z.string().optional()
})

export const ThemeSchema = z.enum(['system', 'light', 'dark'])

export const SshUserSchema = z.string().min(1).max(64).regex(/^[a-z_][a-z0-9_.-]*$/, 'a POSIX user name')

export const SettingsSchema = z.object({
  theme: ThemeSchema,
  /** Droplets without this tag are read-only unless unlocked for one action (seed 004). */
  managedTag: z.string().min(1).max(255).regex(/^[a-zA-Z0-9_\-:]+$/, 'letters, digits, "_", "-" and ":" only'),
  managedTagEnforced: z.boolean(),
  /**
   * Proxy auto-config for the headless host: a PAC file's URL (http, https, file) or path; '' for none
   * (then DROPDECK_PAC_URL, then HTTPS_PROXY). Electron follows the system's proxy settings instead.
   */
  proxyAutoConfigUrl: z.string().max(2048).regex(/^(|(https?|file):\/\/\S+|\/\S.*|[A-Za-z]:\\.+)$/, 'an http(s):// or file:// URL, or an absolute path'),
  /** Disk and memory use above this percentage flag a host (seed 002 uses 85). */
  alertThresholdPercent: z.number().int().min(50).max(99),
  /** The SSH user for hosts that come from droplets. */
  defaultSshUser: SshUserSchema,
  /** Per DigitalOcean team: the SSH user for that team's droplets, when it differs from defaultSshUser. */
  sshUserByTeam: z.record(ContextNameSchema, SshUserSchema),
  /** DigitalOcean teams (doctl's "contexts"); each has its own token in the keychain. */
  digitaloceanContexts: z.array(ContextNameSchema).min(1).max(20),
  digitaloceanContext: ContextNameSchema,
  /** Host names the operator relies on; DNS flags those with no record (seed 002's ipa.insightpulseai.net). */
  watchedHostnames: z.array(z.string().min(1).max(253)).max(500),
  /**
   * With a terminal focused, the app's own shortcuts (Alt+1…9, Ctrl/⌘+K, Ctrl/⌘+,) go to the shell
   * instead of Dropdeck. Off by default, as in VS Code's terminal: those few keys skip the shell.
   */
  terminalShortcutsToShell: z.boolean()
})
export type Settings = z.infer<typeof SettingsSchema>

export const defaultSettings: Settings = {
  theme: 'system',
  managedTag: 'deployed-via-api',
  managedTagEnforced: false,
  proxyAutoConfigUrl: '',
  alertThresholdPercent: 85,
  defaultSshUser: 'root',
  sshUserByTeam: {},
  digitaloceanContexts: ['default'],
  digitaloceanContext: 'default',
  watchedHostnames: [],
  terminalShortcutsToShell: false
}

export const appMethods = {
  'app.info': {
    params: NoParams,
    result: z.object({ name: z.string(), version: z.string() })
  }
} as const

export const secretsMethods = {
  'secrets.set': {
    params: z.object({
      key: SecretKeySchema,
      // Provider tokens are long opaque strings of visible ASCII; whitespace or a control character is a paste
      // accident, and one in an Authorization header would make HTTP quote the token back in its error.
      value: z.string().min(1).max(4096).regex(/^[\x21-\x7E]+$/, 'a token has no spaces, line breaks or control characters'),
      /** DigitalOcean only: the team the token belongs to; the active one when omitted. */
      context: ContextNameSchema.optional(),
      /**
       * Default true: the provider is asked about the token first, and a refused (AUTH_FAILED) or
       * unchecked (UPSTREAM) one is not stored, so it never replaces a token that works. false
       * stores it as given: the operator's explicit "store without checking".
       */
      verify: z.boolean().optional()
    }).strict(),
    result: SecretsStatusSchema
  },
  'secrets.delete': {
    params: z.object({ key: SecretKeySchema, context: ContextNameSchema.optional() }).strict(),
    result: SecretsStatusSchema
  },
  'secrets.status': {
    params: NoParams,
    result: SecretsStatusSchema
  },
  'secrets.keychain': {
    params: NoParams,
    result: KeychainStatusSchema
  }
} as const

export const settingsMethods = {
  'settings.get': {
    params: NoParams,
    result: SettingsSchema
  },
  'settings.update': {
    params: SettingsSchema.partial().strict(),
    result: SettingsSchema
  }
} as const

export const methods = {
  ...appMethods,
  ...secretsMethods,
  ...settingsMethods,
  ...providerMethods,
  ...sshMethods,
  ...terminalMethods,
  ...containersMethods,
  ...unitsMethods,
  ...factsMethods,
  ...logsMethods,
  ...checksMethods,
  ...metricsMethods,
  ...reportMethods,
  ...filesMethods,
  ...deploysMethods,
  ...networkMethods
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>

export const events = {
  'secrets.changed': SecretsStatusSchema,
  'settings.changed': SettingsSchema,
  ...providerEvents,
  ...sshEvents,
  ...terminalEvents,
  ...containersEvents,
  ...logsEvents,
  ...checksEvents,
  ...filesEvents,
  ...deploysEvents
} as const satisfies Record<string, z.ZodType>

export type Methods = typeof methods
export type MethodName = keyof Methods
export type Params<M extends MethodName> = z.input<Methods[M]['params']>
export type ParsedParams<M extends MethodName> = z.output<Methods[M]['params']>
export type Result<M extends MethodName> = z.output<Methods[M]['result']>

export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<E extends EventName> = z.output<Events[E]>

export const methodNames = Object.keys(methods) as MethodName[]
export const eventNames = Object.keys(events) as EventName[]

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name)
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name)
}

/** Methods whose params are all optional may be called without params. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type ParamsArgs<M extends MethodName> = {} extends Params<M> ? [params?: Params<M>] : [params: Params<M>]

/**
 * What the renderer talks to, whatever carries it (Electron IPC or the host's WebSocket).
 * `window.dropdeck` in Electron implements exactly this.
 */
export interface DropdeckApi {
  call<M extends MethodName>(method: M, ...params: ParamsArgs<M>): Promise<Result<M>>
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

/** What a transport carries back for one call: a result, or the one error shape. */
export type RpcEnvelope<T = unknown> = { ok: true; result: T } | { ok: false; error: import('./errors').RpcError }

/**
 * The preload's `window.dropdeck`: the raw bridge, built from this contract (it refuses names
 * the contract does not have). The renderer wraps it in a `DropdeckApi` that throws `DropdeckError`s,
 * because only an error's message survives Electron's IPC, not its code.
 */
export interface DropdeckBridge {
  invoke<M extends MethodName>(method: M, params: Params<M> | undefined): Promise<RpcEnvelope<Result<M>>>
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

/** The Electron IPC channel that carries one contract event. Methods use their own names as channels. */
export const eventChannel = (event: EventName): string => `event:${event}`
