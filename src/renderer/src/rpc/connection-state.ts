/**
 * What the operator sees of the transport, derived from the WebSocket bridge's raw states.
 * The bridge reports every attempt ('connecting', 'closed', ...); the indicator should not flicker
 * through them, so this store keeps the meaningful phase until the next real change.
 */
import type { ConnectionState } from './websocket-bridge'

export type ConnectionPhase = 'connecting' | 'connected' | 'reconnecting' | 'refused'

export interface ConnectionStatus {
  phase: ConnectionPhase
  /** True once the transport has been open at least once (used to refetch after a reconnect). */
  everConnected: boolean
}

export interface ConnectionStore {
  get(): ConnectionStatus
  subscribe(listener: () => void): () => void
  /** Feed the bridge's raw `onState` callback here. */
  report(state: ConnectionState): void
}

export function createConnectionStore(initial: ConnectionPhase = 'connecting'): ConnectionStore {
  let status: ConnectionStatus = { phase: initial, everConnected: initial === 'connected' }
  const listeners = new Set<() => void>()

  const set = (phase: ConnectionPhase, everConnected = status.everConnected) => {
    if (phase === status.phase && everConnected === status.everConnected) return
    status = { phase, everConnected }
    for (const listener of listeners) listener()
  }

  return {
    get: () => status,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    report(state) {
      if (state === 'open') set('connected', true)
      else if (state === 'refused') set('refused')
      else if (state === 'closed') set(status.everConnected ? 'reconnecting' : status.phase === 'refused' ? 'refused' : 'connecting')
      // 'connecting' is each retry of a phase we already show; keep the phase.
    }
  }
}
