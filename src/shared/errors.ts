import { z } from 'zod'

/**
 * Stable error codes: the renderer, scripts and tests branch on these, never on message text.
 * Add codes; never rename or reuse one.
 */
export const errorCodes = [
  'BAD_REQUEST',
  'NOT_FOUND',
  'METHOD_NOT_FOUND',
  'UNAUTHORIZED',
  'AUTH_FAILED',
  'HOST_KEY_UNKNOWN',
  'HOST_KEY_MISMATCH',
  'PORT_IN_USE',
  'RATE_LIMITED',
  'UPSTREAM',
  'TIMEOUT',
  'CONFIRMATION_REQUIRED',
  'KEYCHAIN_UNAVAILABLE',
  /** The host refused a file operation to the SSH user (and `sudo -n` could not do it either). */
  'PERMISSION_DENIED',
  /** A file changed on the host since it was opened; the save was refused. */
  'FILE_CHANGED',
  /** A config file's validator (nginx -t, sshd -t...) refused the new content; the backup was put back. */
  'VALIDATION_FAILED',
  /** Another deploy holds the service's lock on the host; the holder is in `data`. */
  'DEPLOY_LOCKED',
  'INTERNAL'
] as const

export const ErrorCodeSchema = z.enum(errorCodes)
export type ErrorCode = z.infer<typeof ErrorCodeSchema>

/** The one error shape that crosses every transport. */
export const RpcErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  retryable: z.boolean(),
  data: z.unknown().optional()
})
export type RpcError = z.infer<typeof RpcErrorSchema>

/** Thrown by the renderer's client (and by services in main) so callers can branch on `code`. */
export class DropdeckError extends Error implements RpcError {
  readonly code: ErrorCode
  readonly retryable: boolean
  readonly data?: unknown

  constructor(code: ErrorCode, message: string, options: { retryable?: boolean; data?: unknown } = {}) {
    super(message)
    this.name = 'DropdeckError'
    this.code = code
    this.retryable = options.retryable ?? false
    if (options.data !== undefined) this.data = options.data
  }

  toJSON(): RpcError {
    return { code: this.code, message: this.message, retryable: this.retryable, ...(this.data === undefined ? {} : { data: this.data }) }
  }
}
