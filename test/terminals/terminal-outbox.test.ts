/**
 * TerminalOutbox, main's side of a terminal's output: what a keystroke echoes goes out at the next
 * turn of the event loop (no batch window to wait for), what arrives in one tick goes as one event,
 * a big output goes at once in chunks, and a client that is a chunk or more behind gets more only
 * once it has caught up.
 */
import { describe, expect, it } from 'vitest'
import { TerminalOutbox } from '../../src/main/terminals/terminal-outbox'

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

function outbox(chunkBytes = 64 * 1024) {
  const events: Array<{ text: string; bytes: number }> = []
  const box = new TerminalOutbox({ data: (text, bytes) => events.push({ text, bytes }) }, { chunkBytes, highWaterBytes: 8 * chunkBytes })
  return { box, events }
}

describe('TerminalOutbox', () => {
  it('sends a small write (an echoed key) at the next turn of the loop, without waiting for a batch window', async () => {
    const { box, events } = outbox()
    box.push(Buffer.from('q'))
    expect(events).toEqual([]) // coalesced with whatever else this tick brings...
    await nextTurn() // ...and out before any timer could have fired
    expect(events).toEqual([{ text: 'q', bytes: 1 }])
  })

  it('sends what arrives in one tick as one event', async () => {
    const { box, events } = outbox()
    box.push(Buffer.from('ab'))
    box.push(Buffer.from('c\r\n'))
    await nextTurn()
    expect(events).toEqual([{ text: 'abc\r\n', bytes: 5 }])
  })

  it('sends a big output at once in chunks, then holds small output while the client is a chunk or more behind', async () => {
    const { box, events } = outbox(1024)
    box.push(Buffer.alloc(2500, 'x'))
    expect(events.map((e) => e.bytes)).toEqual([1024, 1024, 452]) // the client had caught up: all of it, now
    box.push(Buffer.from('more'))
    await nextTurn()
    expect(events.map((e) => e.bytes)).toEqual([1024, 1024, 452]) // 2500 un-acked: held, the client has enough to draw
    box.ack(1024)
    await nextTurn()
    expect(events).toHaveLength(3) // still a chunk (1476) behind
    box.ack(1024)
    await nextTurn()
    expect(events.at(-1)).toEqual({ text: 'more', bytes: 4 }) // under one chunk behind: what was held goes
    // caught up: the next small write (a keystroke's echo) goes at the next turn
    box.ack(456)
    box.push(Buffer.from('q'))
    await nextTurn()
    expect(events.at(-1)).toEqual({ text: 'q', bytes: 1 })
  })

  it('keeps a character split across two reads whole', async () => {
    const { box, events } = outbox()
    const e = Buffer.from('é')
    box.push(e.subarray(0, 1))
    await nextTurn()
    box.push(e.subarray(1))
    await nextTurn()
    expect(events.map((x) => x.text).join('')).toBe('é')
    expect(events.reduce((n, x) => n + x.bytes, 0)).toBe(2)
  })
})
