// The per-stream outbox: lines go out in batches, un-acked batches hold lines back (bigger batches,
// not more events), and a client that never acks costs a bounded number of lines, the rest dropped
// and counted.
import { describe, expect, it } from 'vitest'
import type { LogLine } from '../../src/shared/contract/logs'
import { LineOutbox } from '../../src/main/logs/line-outbox'

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))
const line = (i: number): LogLine => ({ ts: i, stream: 'stdout', text: `line ${i}` })

function recorder() {
  const batches: { seq: number; lines: LogLine[] }[] = []
  const dropped: number[] = []
  return { batches, dropped, sink: { batch: (seq: number, lines: LogLine[]) => batches.push({ seq, lines }), dropped: (n: number) => dropped.push(n) } }
}

describe('line outbox', () => {
  it('sends many lines as one batch per flush, in order', async () => {
    const r = recorder()
    const box = new LineOutbox(r.sink, { flushMs: 5 })
    for (let i = 0; i < 1000; i++) box.push(line(i))
    await wait(30)
    expect(r.batches).toHaveLength(1)
    expect(r.batches[0].lines.map((l) => l.ts)).toEqual([...Array(1000).keys()])
  })

  it('holds lines while the window is un-acked, then sends them together once acked', async () => {
    const r = recorder()
    const box = new LineOutbox(r.sink, { flushMs: 2, window: 2 })
    for (let round = 0; round < 5; round++) {
      box.push(line(round))
      await wait(10)
    }
    expect(r.batches.map((b) => b.lines.length)).toEqual([1, 1]) // two un-acked: the rest waits
    expect(box.held).toBe(3)
    box.ack(1)
    await wait(10)
    expect(r.batches.map((b) => b.lines.length)).toEqual([1, 1, 3])
    expect(r.batches.map((b) => b.seq)).toEqual([0, 1, 2])
  })

  it('bounds memory for a client that never acks: drops the oldest and says how many', async () => {
    const r = recorder()
    const box = new LineOutbox(r.sink, { flushMs: 2, window: 1, maxPending: 1000 })
    box.push(line(-1))
    await wait(10) // one batch out, never acked
    for (let i = 0; i < 100_000; i++) box.push(line(i))
    expect(box.held).toBeLessThanOrEqual(1250)
    expect(box.droppedTotal).toBeGreaterThanOrEqual(100_000 - 1250)
    box.ack(0)
    await wait(10)
    expect(r.dropped).toEqual([box.droppedTotal])
    const sent = r.batches[1].lines
    expect(sent.at(-1)!.ts).toBe(99_999) // the newest lines are the ones kept
    expect(sent.length + box.droppedTotal).toBe(100_000)
  })

  it('bounds the characters held too, whatever the line count', () => {
    const r = recorder()
    const box = new LineOutbox(r.sink, { flushMs: 1000, maxPending: 1_000_000, maxPendingChars: 100_000 })
    for (let i = 0; i < 100; i++) box.push({ ts: i, stream: 'stdout', text: 'x'.repeat(16 * 1024) })
    expect(box.held * 16 * 1024).toBeLessThanOrEqual(100_000)
    expect(box.droppedTotal).toBe(100 - box.held)
    box.close()
  })

  it('asks to stop reading once two batches wait, and to read again once they are out', async () => {
    const r = recorder()
    const pressure: boolean[] = []
    const box = new LineOutbox({ ...r.sink, pressure: (high) => pressure.push(high) }, { flushMs: 2, window: 1, maxBatch: 100 })
    for (let i = 0; i < 250; i++) box.push(line(i))
    expect(pressure).toEqual([true])
    await wait(10) // one batch out, un-acked: 150 held, still above one batch
    expect(pressure).toEqual([true])
    box.ack(0)
    await wait(10)
    expect(pressure).toEqual([true, false])
    expect(r.batches.map((b) => b.lines.length)).toEqual([100, 100])
    expect(box.droppedTotal).toBe(0)
    box.close()
  })
})
