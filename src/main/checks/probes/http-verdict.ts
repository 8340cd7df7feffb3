/**
 * Judges an HTTP answer the same way wherever it came from (this machine's fetch, or curl/wget on
 * the host): the status against the accepted list, then the keyword or JSON path, then the latency.
 */
import type { CheckSpec } from '../../../shared/contract/checks'
import { fail, ok, type ProbeResult } from '../probe-result'

type HttpCheck = Extract<CheckSpec, { kind: 'http' }>

export interface HttpAnswer {
  status: number
  body: string
  latencyMs: number
}

export function statusAccepted(status: number, accepted: string): boolean {
  return accepted.split(',').some((part) => {
    const [lo, hi] = part.split('-').map(Number)
    return hi === undefined ? status === lo : status >= lo && status <= hi
  })
}

/** Reads `a.b.0.c` from parsed JSON; undefined when any step is missing. */
export function jsonAt(value: unknown, path: string): unknown {
  let cur: unknown = value
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string, unknown>)[key]
  }
  return cur
}

const excerpt = (body: string) => (body.length > 300 ? `${body.slice(0, 300)}…` : body).trim() || null

export function judgeHttp(check: HttpCheck, answer: HttpAnswer): ProbeResult {
  const { status, body, latencyMs } = answer
  const extra = { latencyMs, detail: excerpt(body) }
  if (!statusAccepted(status, check.expectStatus)) return fail(`${check.url} answered ${status}; expected ${check.expectStatus}.`, extra)
  if (check.keyword !== undefined && !body.includes(check.keyword)) return fail(`${check.url} answered ${status} without "${check.keyword}" in the body.`, extra)
  if (check.jsonPath) {
    let parsed: unknown
    try {
      parsed = JSON.parse(body)
    } catch {
      return fail(`${check.url} answered ${status} with a body that is not JSON; expected ${check.jsonPath}.`, extra)
    }
    const value = jsonAt(parsed, check.jsonPath)
    if (value === undefined) return fail(`${check.url}: the JSON has no ${check.jsonPath}.`, extra)
    const text = typeof value === 'string' ? value : JSON.stringify(value)
    if (check.jsonEquals !== undefined && text !== check.jsonEquals) return fail(`${check.url}: ${check.jsonPath} is ${text}, expected ${check.jsonEquals}.`, extra)
  }
  if (check.maxLatencyMs !== undefined && latencyMs > check.maxLatencyMs) {
    return fail(`${check.url} took ${Math.round(latencyMs)} ms, over the ${check.maxLatencyMs} ms limit.`, { ...extra, severity: 'warning' })
  }
  return ok(`${check.url} answered ${status} in ${Math.round(latencyMs)} ms.`, { latencyMs, detail: null })
}
