/**
 * The write coalescing the SSH transports and tunnel sockets get (src/main/ssh/coalesced-writes.ts),
 * on a real loopback TCP connection: writes of one tick leave in one writev, in order, byte-exact,
 * and nothing waits past the tick.
 */
import { randomBytes } from 'node:crypto'
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { coalesceWrites } from '../../src/main/ssh/coalesced-writes'

async function socketPair(): Promise<{ client: net.Socket; server: net.Socket; close(): void }> {
  const listener = net.createServer()
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r))
  const accepted = new Promise<net.Socket>((r) => listener.once('connection', r))
  const client = net.connect((listener.address() as net.AddressInfo).port, '127.0.0.1')
  await new Promise((r) => client.once('connect', r))
  const server = await accepted
  return { client, server, close: () => (client.destroy(), server.destroy(), listener.close()) }
}

/** Counts the writev batches a socket hands to the OS, and how many buffers each held. */
function watchWritev(socket: net.Socket): number[] {
  const batches: number[] = []
  const internal = socket as unknown as { _writev: (chunks: { chunk: Buffer }[], cb: (err?: Error) => void) => void }
  const writev = internal._writev.bind(socket)
  internal._writev = (chunks, cb) => {
    batches.push(chunks.length)
    writev(chunks, cb)
  }
  return batches
}

describe('coalesced writes', () => {
  let close = () => undefined as void
  afterEach(() => close())

  it('sends the writes of one tick as one writev, in order and byte-exact', async () => {
    const pair = await socketPair()
    close = pair.close
    const batches = watchWritev(coalesceWrites(pair.client))
    const pieces = Array.from({ length: 6 }, (_, i) => randomBytes(1000 + i * 7000))
    const received: Buffer[] = []
    pair.server.on('data', (c: Buffer) => received.push(c))
    for (const p of pieces) pair.client.write(p)
    expect(pair.client.writableCorked).toBe(1) // held for the rest of this tick
    await new Promise((r) => process.nextTick(r))
    expect(pair.client.writableCorked).toBe(0)
    expect(batches).toEqual([6])
    const total = pieces.reduce((n, p) => n + p.length, 0)
    await new Promise<void>((resolve) => {
      const check = () => (received.reduce((n, c) => n + c.length, 0) >= total ? resolve() : pair.server.once('data', check))
      check()
    })
    expect(Buffer.concat(received).equals(Buffer.concat(pieces))).toBe(true)
  })

  it('starts a new batch each tick, and is idempotent', async () => {
    const pair = await socketPair()
    close = pair.close
    const socket = coalesceWrites(coalesceWrites(pair.client))
    const batches = watchWritev(socket)
    socket.write('a')
    socket.write('b')
    await new Promise((r) => setImmediate(r))
    socket.write('c')
    socket.write('d')
    socket.write('e')
    await new Promise((r) => setImmediate(r))
    expect(batches).toEqual([2, 3])
    expect(socket.writableCorked).toBe(0)
  })

  it('leaves a plain socket alone: without it, each write goes out by itself', async () => {
    const pair = await socketPair()
    close = pair.close
    const batches = watchWritev(pair.client)
    pair.client.write('a')
    pair.client.write('b')
    await new Promise((r) => setImmediate(r))
    // The first write goes straight to the OS; the second may queue behind it, but never as a batch of both.
    expect(batches.every((n) => n < 2)).toBe(true)
  })
})
