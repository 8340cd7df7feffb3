/**
 * What a failed SSH connection attempt means for the operator: an unknown or changed host key (with
 * the fingerprint, the known_hosts line and the command that removes it), an authentication failure
 * (./auth-failure.ts), a handshake timeout, or a network error worth retrying.
 */
import { DropdeckError, type ErrorCode } from '../../shared/errors'
import type { AuthPlan } from './auth'
import type { AuthAttempt } from './auth-attempt'
import { authFailed } from './auth-failure'
import type { HostConfig } from './host-config'
import { fingerprintSha256, keyTypeOf, removeEntryCommand, type HostKeyVerdict } from './known-hosts'

const RETRYABLE_NET = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'ENETDOWN'])

/** A host key the operator has not trusted yet, kept for hosts.trustKey. */
export interface PendingKey {
  name: string
  blob: Buffer
  fingerprint: string
}

export interface ConnectAttempt {
  hostId: string
  host: HostConfig
  /** The host's name as known_hosts records it. */
  name: string
  verdict?: HostKeyVerdict
  presented?: Buffer
  plan: AuthPlan
  attempt: AuthAttempt
}

export function mapConnectError(err: Error & { level?: string; code?: string }, a: ConnectAttempt): { error: DropdeckError; pendingKey?: PendingKey } {
  if (err instanceof DropdeckError) return { error: err }
  const { verdict, presented, host, hostId } = a
  if (verdict && presented && verdict.kind !== 'known') {
    const fingerprint = fingerprintSha256(presented)
    const strictNote = /^no$/i.test(host.strictHostKeyChecking ?? '') ? ' (StrictHostKeyChecking no in ssh_config is not honoured: Dropdeck always asks)' : ''
    if (verdict.kind === 'otherType') {
      // OpenSSH's "keys of different type are already known for this host": still the operator's call, with a warning.
      const known = verdict.knownTypes.join(', ')
      return {
        pendingKey: { name: a.name, blob: presented, fingerprint },
        error: new DropdeckError('HOST_KEY_UNKNOWN', `WARNING: ${host.id} (${a.name}) presented a ${keyTypeOf(presented)} host key (${fingerprint}), but only ${known} ${verdict.knownTypes.length > 1 ? 'keys are' : 'key is'} on record for it and the server did not offer ${verdict.knownTypes.length > 1 ? 'them' : 'it'}. The server may have been rebuilt, or someone may be intercepting the connection: compare the fingerprint with the server's before trusting it${strictNote}.`, {
          data: { hostId, fingerprint, keyType: keyTypeOf(presented), host: a.name, knownTypes: verdict.knownTypes }
        })
      }
    }
    if (verdict.kind === 'unknown') {
      return {
        pendingKey: { name: a.name, blob: presented, fingerprint },
        error: new DropdeckError('HOST_KEY_UNKNOWN', `${host.id} (${a.name}) presented a ${keyTypeOf(presented)} host key Dropdeck has never seen: ${fingerprint}. Compare it with the server's, then trust it to connect${strictNote}.`, {
          data: { hostId, fingerprint, keyType: keyTypeOf(presented), host: a.name }
        })
      }
    }
    const removeCommand = removeEntryCommand(verdict.file, a.name)
    return {
      error: new DropdeckError('HOST_KEY_MISMATCH', `WARNING: the host key of ${host.id} (${a.name}) ${verdict.revoked ? 'is revoked' : 'has changed'}; it is now ${fingerprint}. This can mean someone is intercepting the connection. If the server was rebuilt, remove the old entry (${verdict.file} line ${verdict.line}: ${removeCommand}) and connect again.`, {
        data: { hostId, fingerprint, file: verdict.file, line: verdict.line, host: a.name, removeCommand }
      })
    }
  }
  if (err.level === 'client-authentication') return { error: authFailed(host, hostId, a.plan, a.attempt) }
  if (err.level === 'client-timeout' || /timed out/i.test(err.message)) {
    return { error: new DropdeckError('TIMEOUT', `${host.id} (${host.hostname}:${host.port}) did not complete the SSH handshake in time.`, { retryable: true, data: { hostId } }) }
  }
  const netCode = err.code && RETRYABLE_NET.has(err.code) ? err.code : undefined
  const message = netCode === 'ECONNREFUSED'
    ? `${host.hostname}:${host.port} refused the connection (is sshd running?).`
    : `Cannot reach ${host.id} (${host.hostname}:${host.port}): ${err.message}.`
  return { error: new DropdeckError('UPSTREAM', message, { retryable: true, data: { hostId, ...(err.code ? { cause: err.code } : {}) } }) }
}

/** Anything else a connection attempt threw (a proxy, a jump host): upstream, worth retrying. */
export function toDropdeckError(err: unknown): DropdeckError {
  if (err instanceof DropdeckError) return err
  const code: ErrorCode = 'UPSTREAM'
  return new DropdeckError(code, err instanceof Error ? err.message : String(err), { retryable: true })
}
