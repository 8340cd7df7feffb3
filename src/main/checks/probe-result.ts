/** What one run of a probe found; the debouncer (./debounce.ts) turns runs into a check's state. */
import type { Severity } from '../../shared/contract/checks'

export interface ProbeResult {
  outcome: 'ok' | 'fail' | 'unknown'
  /** For a failure; critical when omitted. */
  severity?: Severity
  message: string
  detail?: string | null
  latencyMs?: number | null
}

export const ok = (message: string, extra: Partial<ProbeResult> = {}): ProbeResult => ({ outcome: 'ok', message, ...extra })
export const fail = (message: string, extra: Partial<ProbeResult> = {}): ProbeResult => ({ outcome: 'fail', severity: 'critical', message, ...extra })
export const unknown = (message: string, extra: Partial<ProbeResult> = {}): ProbeResult => ({ outcome: 'unknown', message, ...extra })

/** The worse of two severities. */
export function worst(a: Severity | undefined, b: Severity | undefined): Severity | undefined {
  if (a === 'critical' || b === 'critical') return 'critical'
  return a ?? b
}
