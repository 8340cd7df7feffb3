/**
 * Runs a check's command on a host only while the host is connected: checks never open connections
 * by themselves (a host with an unknown key waits for the operator), and a host that cannot be reached
 * makes the check unknown, not down.
 */
import type { HostState } from '../../ssh/connection-pool'
import { unknown, type ProbeResult } from '../probe-result'

export interface HostAccess {
  state(hostId: string): HostState
  exec(hostId: string, command: string, options?: { timeoutMs?: number }): Promise<{ stdout: string; stderr: string; code: number | null }>
}

export type HostExec = { stdout: string; stderr: string; code: number | null } | { unavailable: ProbeResult }

export class HostRunner {
  constructor(private readonly access: HostAccess) {}

  /** A ProbeResult of `unknown` when the host is not connected, or the command could not be run. */
  notConnected(hostId: string): ProbeResult | undefined {
    const state = this.access.state(hostId)
    return state === 'connected' ? undefined : unknown(`${hostId} is not connected (${state}); connect it to run this check.`)
  }

  async exec(hostId: string, command: string, timeoutMs: number): Promise<HostExec> {
    const absent = this.notConnected(hostId)
    if (absent) return { unavailable: absent }
    try {
      return await this.access.exec(hostId, command, { timeoutMs })
    } catch (err) {
      return { unavailable: unknown(`${hostId} could not run the check: ${(err as Error).message}`) }
    }
  }

  /** Wraps a read over SSH (facts, containers, units): its failure is "could not run". */
  async read<T>(hostId: string, what: string, fn: () => Promise<T>): Promise<T | { unavailable: ProbeResult }> {
    const absent = this.notConnected(hostId)
    if (absent) return { unavailable: absent }
    try {
      return await fn()
    } catch (err) {
      return { unavailable: unknown(`${what} on ${hostId} could not be read: ${(err as Error).message}`) }
    }
  }
}
