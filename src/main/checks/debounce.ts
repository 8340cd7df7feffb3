/**
 * A check's state from its runs, so one blip never pages anyone (Uptime Kuma's top complaint): down
 * only after `failuresToDown` failures in a row, up again only after `successesToUp` successes. A
 * run that could not happen (host not connected) makes the state unknown and counts for neither.
 * A check that has never been down goes up on its first success: there is nothing to recover from.
 */
import type { CheckStatus } from '../../shared/contract/checks'
import type { ProbeResult } from './probe-result'

const RECENT = 30

export function initialStatus(): CheckStatus {
  return { state: 'pending', severity: null, message: 'Not run yet.', detail: null, since: null, lastRunAt: null, latencyMs: null, consecutiveFailures: 0, consecutiveSuccesses: 0, recent: [] }
}

export function nextStatus(prev: CheckStatus, run: ProbeResult, limits: { failuresToDown: number; successesToUp: number }, at: Date): CheckStatus {
  const iso = at.toISOString()
  const recent = [...prev.recent, { at: iso, outcome: run.outcome, latencyMs: run.latencyMs ?? null }].slice(-RECENT)
  const base = { ...prev, message: run.message, detail: run.detail ?? null, lastRunAt: iso, latencyMs: run.latencyMs ?? null, recent }
  const enter = (state: CheckStatus['state']) => (state === prev.state ? prev.since : iso)

  if (run.outcome === 'unknown') {
    return { ...base, state: 'unknown', severity: null, since: enter('unknown'), consecutiveFailures: 0, consecutiveSuccesses: 0 }
  }
  if (run.outcome === 'fail') {
    const failures = prev.consecutiveFailures + 1
    const down = prev.state === 'down' || failures >= limits.failuresToDown
    const state = down ? 'down' : prev.state
    return { ...base, state, severity: down ? run.severity ?? 'critical' : null, since: enter(state), consecutiveFailures: failures, consecutiveSuccesses: 0 }
  }
  const successes = prev.consecutiveSuccesses + 1
  const up = prev.state !== 'down' || successes >= limits.successesToUp
  const state = up ? 'up' : 'down'
  return { ...base, state, severity: up ? null : prev.severity, since: enter(state), consecutiveFailures: 0, consecutiveSuccesses: successes }
}
