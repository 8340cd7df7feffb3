/**
 * What `error.data` holds for each error code, as main builds it. The transport carries `data` as
 * unknown (an older main, a hand-written script, a field dropped along the way), so readers parse it
 * here instead of casting: `errorData(err, 'HOST_KEY_UNKNOWN')` is typed by its code, and is
 * undefined when the error has another code or lacks a field the code cannot do without.
 *
 * Fields other than those a code cannot do without are lenient: a field of the wrong type reads as
 * absent and the rest of the data is kept, so one odd field never hides the others from the operator.
 * Unknown fields are kept too (main may add some before a reader needs them).
 */
import { z } from 'zod'
import { DropdeckError, type ErrorCode } from './errors'

/** A field that reads as absent when it is missing or of another type. */
const maybe = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined)

const text = maybe(z.string())
const count = maybe(z.number())
const flag = maybe(z.boolean())

/** What a provider said when it refused a call (providers/http/provider-http.ts). */
const providerAnswer = {
  provider: text,
  /** The provider's HTTP status. */
  status: count,
  requestId: text,
  providerMessage: text,
  providerCode: text,
  /** The call did not reach the provider (network, proxy, certificate). */
  network: flag
}

/** Why a route through a proxy or a PAC file failed (ssh/proxy-route.ts, providers/http/node-fetch.ts). */
const routeFailure = {
  /** PROXY_UNREACHABLE, PROXY_UNSUPPORTED, PAC_UNREADABLE, a proxy's refusal, a certificate's fault... */
  reason: text,
  /** host:port of the proxy that refused or could not be reached. */
  proxy: text,
  host: text,
  /** Where the route was chosen (the setting, the environment, a PAC file). */
  source: text
}

const FileVersionSchema = z.looseObject({ size: z.number(), mtime: z.number(), sha256: z.string() })

export const LockHolderSchema = z.looseObject({
  deployId: text,
  serviceId: text,
  who: z.string(),
  machine: text,
  what: text,
  since: text,
  timeoutMs: count
})

/** The data each code carries; a code that is absent here carries none. */
export const errorDataSchemas = {
  BAD_REQUEST: z.looseObject({
    /** The router's zod issues, `path` dotted (`record.content`). */
    issues: maybe(z.array(z.looseObject({ path: text, message: text }))),
    hostId: text,
    path: text,
    ...providerAnswer
  }),
  NOT_FOUND: z.looseObject({ path: text, zoneId: text, ...providerAnswer }),
  UNAUTHORIZED: z.looseObject({
    /** sudo-password: sudo wants a password; sudo-denied: no sudoers rule allows it. */
    reason: maybe(z.enum(['sudo-password', 'sudo-denied']))
  }),
  AUTH_FAILED: z.looseObject({
    hostId: text,
    /** The key file that needs its passphrase. */
    needsPassphrase: text,
    wrongPassphrase: flag,
    needsPassword: flag,
    wrongPassword: flag,
    user: text,
    /** Keyboard-interactive prompts Dropdeck cannot answer with a password. */
    prompts: maybe(z.array(z.string())),
    /** token-refused: secrets.set kept the old token because the provider refused the new one. */
    reason: text,
    missing: flag,
    malformedToken: flag,
    ...providerAnswer,
    proxy: text
  }),
  HOST_KEY_UNKNOWN: z.looseObject({
    hostId: text,
    fingerprint: z.string(),
    keyType: text,
    /** The name the key was looked up under in known_hosts. */
    host: text,
    /** Keys of other types on record for this host that the server did not offer. */
    knownTypes: maybe(z.array(z.string()))
  }),
  HOST_KEY_MISMATCH: z.looseObject({ hostId: text, fingerprint: text, file: text, line: count, host: text.optional(), removeCommand: text.optional() }),
  PORT_IN_USE: z.looseObject({
    port: count,
    holder: maybe(z.looseObject({ pid: count, command: text })),
    /** The port is one of Dropdeck's own tunnels: which. */
    tunnel: maybe(z.looseObject({ id: text, hostId: text, remoteHost: text, remotePort: count })),
    /** A free port near the one asked for. */
    suggestion: count
  }),
  RATE_LIMITED: z.looseObject({
    waitMs: count,
    retryAfterSeconds: count,
    /** When the budget refills (ISO time), when the provider said. */
    resetAt: text,
    ...providerAnswer
  }),
  UPSTREAM: z.looseObject({
    ...providerAnswer,
    ...routeFailure,
    /** token-unverified: secrets.set kept the old token because the provider could not be asked. */
    reason: text,
    hostId: text,
    path: text,
    image: text,
    jumpHost: text,
    /** The system error code under an SSH connection's failure (ECONNREFUSED...). */
    cause: text,
    redirect: flag,
    malformed: flag
  }),
  TIMEOUT: z.looseObject({ hostId: text, ...providerAnswer }),
  CONFIRMATION_REQUIRED: z.looseObject({
    /** What the operator types to confirm (a name, a host id). */
    expected: text,
    /** The managed-tag lock refused it; `unlock: true` on a retry lets this one call through. */
    readOnly: flag,
    tag: text,
    /** What the action would remove (a prune's preview). */
    preview: z.unknown().optional(),
    /** The stale deploy lock being taken over. */
    holder: maybe(LockHolderSchema)
  }),
  DEPLOY_LOCKED: z.looseObject({ holder: LockHolderSchema.nullable() }),
  PERMISSION_DENIED: z.looseObject({ path: text, user: text }),
  FILE_CHANGED: z.looseObject({ path: text, current: maybe(FileVersionSchema), expected: maybe(FileVersionSchema) }),
  VALIDATION_FAILED: z.looseObject({
    path: text,
    validator: text,
    /** The validator's own words (nginx -t's output). */
    output: text,
    backupPath: text,
    restored: flag,
    diffLines: maybe(z.looseObject({ added: count, removed: count }))
  })
} satisfies Partial<Record<ErrorCode, z.ZodType>>

export type CodeWithData = keyof typeof errorDataSchemas
export type ErrorData<C extends CodeWithData> = z.infer<(typeof errorDataSchemas)[C]>

/** `error.data` typed by its code; undefined for another code, another kind of error, or data the code cannot use. */
export function errorData<C extends CodeWithData>(error: unknown, code: C): ErrorData<C> | undefined {
  if (!(error instanceof DropdeckError) || error.code !== code) return undefined
  const parsed = errorDataSchemas[code].safeParse(error.data ?? {})
  return parsed.success ? (parsed.data as ErrorData<C>) : undefined
}

const RequestIdSchema = z.looseObject({ requestId: text })

/** The provider's request id, whatever the code: the one field every provider failure may carry. */
export function providerRequestId(error: unknown): string | undefined {
  if (!(error instanceof DropdeckError)) return undefined
  const parsed = RequestIdSchema.safeParse(error.data ?? {})
  return parsed.success ? parsed.data.requestId : undefined
}
