/**
 * ssh2 writes every SSH packet to its transport with its own `write()` call: one per packet when its
 * native crypto binding is loaded, three (length, ciphertext, tag) when it falls back to Node's
 * crypto (the binding is missing or built for another Node/Electron ABI). Uncorked, each of those is
 * a syscall of its own; a 64 KiB read from a tunnel's local socket becomes 2-6 `write(2)`s into the
 * SSH socket, which is where upload throughput went (bench:tunnel).
 *
 * This corks the transport at the first write of a tick and uncorks it on the next microtask turn:
 * everything written in between leaves as one `writev(2)`. Nothing waits for a timer, so
 * interactive traffic (terminals, keepalives) is not delayed; ssh2 itself is untouched.
 */
import type { Writable } from 'node:stream'

const COALESCED = Symbol('dropdeck.coalescedWrites')

type Coalescable = Writable & { [COALESCED]?: true }

/** Makes the writes one tick issues on `stream` leave together; returns the same stream. */
export function coalesceWrites<T extends Writable>(stream: T): T {
  const target = stream as T & Coalescable
  if (target[COALESCED]) return stream
  target[COALESCED] = true
  const write = stream.write
  let corked = false
  const uncork = () => {
    corked = false
    stream.uncork()
  }
  stream.write = function coalescedWrite(this: T, ...args: unknown[]): boolean {
    if (!corked && !stream.destroyed) {
      corked = true
      stream.cork()
      process.nextTick(uncork)
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args)
  } as T['write']
  return stream
}
