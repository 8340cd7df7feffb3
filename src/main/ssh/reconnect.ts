/**
 * When a pooled connection is tried again, and what callers hear meanwhile: jittered exponential
 * backoff, up to a bound of failed attempts in a row, after which only the operator (Connect) retries.
 */
import { DropdeckError } from '../../shared/errors'
import type { HostError } from './host-state'

export interface ReconnectTuning {
  /** First reconnect delay (before jitter); doubles per failure up to backoffMaxMs. */
  backoffBaseMs?: number
  backoffMaxMs?: number
  /** Failed attempts in a row after which the pool stops retrying until the operator connects. Default 8 (about 1.5 min). */
  maxAttempts?: number
}

export const DEFAULT_MAX_ATTEMPTS = 8

/** The wait before the next attempt after `failures` failures in a row. */
export function backoffDelay(failures: number, tuning: ReconnectTuning = {}): number {
  const base = tuning.backoffBaseMs ?? 500
  const max = tuning.backoffMaxMs ?? 30_000
  const ceiling = Math.min(max, base * 2 ** Math.min(failures, 16))
  // Equal jitter: never sooner than half the step, so a fleet of tunnels does not stampede one sshd.
  return ceiling / 2 + Math.random() * (ceiling / 2)
}

/** What a caller gets while a retry is pending or after the pool gave up: the last failure, and when the next try is. */
export function backoffError(hostId: string, r: { error?: HostError; failures: number; gaveUp: boolean; nextAt?: number }): DropdeckError {
  const code = r.error?.code ?? 'UPSTREAM'
  const last = r.error?.message ?? `${hostId} is not connected.`
  if (r.gaveUp) return new DropdeckError(code, last, { data: { hostId, attempt: r.failures, gaveUp: true } })
  const inS = Math.max(1, Math.round(((r.nextAt ?? Date.now()) - Date.now()) / 1000))
  return new DropdeckError(code, `${last} Next try in ${inS} s (attempt ${r.failures + 1}).`, { retryable: true, data: { hostId, attempt: r.failures, nextAt: r.nextAt ? new Date(r.nextAt).toISOString() : null } })
}

/** The message once the pool stops retrying. */
export function gaveUpMessage(failures: number, message: string): string {
  return `Dropdeck stopped trying after ${failures} attempts in a row: ${message} Retry (Connect) tries again.`
}
