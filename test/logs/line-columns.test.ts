// The `logs.data` wire encoding: lines go out as columns and come back as the same lines, and the
// contract refuses a batch whose columns disagree (so a drifting encoder fails in main, not in a page).
import { describe, expect, it } from 'vitest'
import { events } from '../../src/shared/contract'
import { decodeLogLines, encodeLogLines, type LogLine } from '../../src/shared/contract/logs'

describe('logs.data columns', () => {
  const lines: LogLine[] = [
    { ts: 1_764_410_000_000, stream: 'stdout', text: 'GET / 200' },
    { ts: 1_764_410_000_001, stream: 'stderr', text: 'level=error db down', level: 'error' },
    { ts: 1_764_410_000_002, stream: 'file', text: '', level: 'warn' },
    { ts: 1_764_410_000_003, stream: 'journal', text: 'é \uFFFD', level: 'debug' },
    { ts: 1_764_410_000_003, stream: 'journal', text: 'started', level: 'info' }
  ]

  it('encodes lines as columns that pass the contract and decode to the same lines', () => {
    const batch = encodeLogLines('s1', 7, lines)
    expect(batch).toEqual({ id: 's1', seq: 7, ts: lines.map((l) => l.ts), text: lines.map((l) => l.text), stream: 'oefjj', level: '-EWDI' })
    const checked = events['logs.data'].parse(JSON.parse(JSON.stringify(batch)))
    expect(decodeLogLines(checked)).toEqual(lines)
    expect(decodeLogLines(encodeLogLines('s1', 0, []))).toEqual([])
  })

  it('refuses columns of different lengths or unknown codes', () => {
    const batch = encodeLogLines('s1', 0, lines)
    expect(events['logs.data'].safeParse({ ...batch, text: batch.text.slice(1) }).success).toBe(false)
    expect(events['logs.data'].safeParse({ ...batch, stream: 'oefjx' }).success).toBe(false)
    expect(events['logs.data'].safeParse({ ...batch, level: '-EWD' }).success).toBe(false)
  })
})
