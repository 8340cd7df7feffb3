/**
 * A pooled host's connection state, as the contract has it (`HostStateSchema`, `SshErrorInfoSchema`),
 * and the subscription through which the layers above (hosts, tunnels) follow it: the pool reports,
 * it never calls up into them.
 */
import type { z } from 'zod'
import type { HostStateSchema, SshErrorInfoSchema } from '../../shared/contract/ssh'

export type HostState = z.infer<typeof HostStateSchema>
export type HostError = z.infer<typeof SshErrorInfoSchema>

/** Failed attempts in a row, and when the next one is (null once it gave up). */
export interface HostRetry {
  attempt: number
  nextAt: string | null
  gaveUp: boolean
}

export type HostStateListener = (hostId: string, state: HostState, error?: HostError) => void

export class HostStateListeners {
  private readonly listeners = new Set<HostStateListener>()

  constructor(private readonly log: (line: string) => void) {}

  /** Calls `listener` on every state change (and on a retry's new attempt count); returns the unsubscribe. */
  add(listener: HostStateListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit(hostId: string, state: HostState, error?: HostError): void {
    for (const listener of this.listeners) {
      try {
        listener(hostId, state, error)
      } catch (err) {
        // Reported from socket callbacks and timers: one broken listener must not stop the pool or the others.
        this.log(`ssh: a ${hostId} state listener failed: ${err instanceof Error ? err.message : String(err)}`)
      }
    }
  }
}
