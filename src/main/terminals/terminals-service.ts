/**
 * Terminals: remote shells (a PTY per SSH channel on the pooled connection, remote-shell.ts) and local
 * shells (node-pty, local-shell.ts), handled alike here. Output goes out as terminals.data events in
 * chunks of at most 64 KB, what arrived in one tick coalesced into one event (SSH packets and PTY reads
 * are small: fewer, larger events cut the renderer's per-event work; bench:terminal went from ~2.7 to
 * ~3.7 MB/s); while the renderer is a chunk or more behind, output is held until a full chunk or until
 * the renderer has caught up, so a big `cat` arrives as 64 KB events. Decoded with a streaming UTF-8
 * decoder so a character split across packets arrives whole. Flow control is acknowledged, as Tabby
 * does it: once more than ~512 KB read is not yet acked (drawn) by the renderer (sent, or held), the
 * shell is paused (ssh2 stops granting the server window; node-pty stops reading the PTY), so the
 * producer blocks; acks resume it. Each terminal belongs to the call context that opened it and is
 * closed with it.
 */
import { randomUUID } from 'node:crypto'
import { StringDecoder } from 'node:string_decoder'
import type { SavedCommand } from '../../shared/contract/terminals'
import { DropdeckError } from '../../shared/errors'
import type { CallContext, Disposable } from '../rpc/context'
import type { EventBus } from '../rpc/event-bus'
import type { ConnectionPool } from '../ssh/connection-pool'
import { openLocalShell } from './local-shell'
import { openRemoteShell } from './remote-shell'
import { SavedCommandsStore } from './saved-commands-store'
import type { ShellEnd, ShellSession } from './shell-session'

export interface TerminalsTuning {
  /** Pause the shell once this many sent bytes are un-acked. */
  highWaterBytes?: number
  /** The largest terminals.data payload, in bytes. */
  chunkBytes?: number
}

export interface TerminalsDeps {
  pool: Pick<ConnectionPool, 'acquire' | 'retain'>
  bus: EventBus
  log: (line: string) => void
  /** Where saved commands are kept; without it they last only as long as the process. */
  dataDir?: string
  /** The environment local shells start with (SHELL picks the shell). */
  env?: NodeJS.ProcessEnv
  tuning?: TerminalsTuning
}

interface Terminal {
  id: string
  session: ShellSession
  decoder: StringDecoder
  unacked: number
  paused: boolean
  closing: boolean
  /** Output read but not yet sent: small SSH packets and PTY reads go out together, once per tick. */
  queued: Buffer[]
  queuedBytes: number
  flushScheduled: boolean
  ownership?: { ctx: CallContext; disposable: Disposable }
  /** Resolves once terminals.exit has gone out. */
  finished: Promise<void>
}

export class TerminalsService {
  private readonly terminals = new Map<string, Terminal>()
  private readonly highWater: number
  private readonly chunk: number
  private readonly savedCommands: SavedCommandsStore

  constructor(private readonly deps: TerminalsDeps) {
    this.highWater = deps.tuning?.highWaterBytes ?? 512 * 1024
    this.chunk = deps.tuning?.chunkBytes ?? 64 * 1024
    this.savedCommands = new SavedCommandsStore(deps.dataDir, deps.log)
  }

  get size(): number {
    return this.terminals.size
  }

  /**
   * For tests and diagnostics: bytes sent and not yet acked, bytes read but held back while the
   * renderer is behind (less than one chunk), and whether the shell is paused.
   */
  stats(id: string): { unacked: number; held: number; paused: boolean } {
    const t = this.get(id)
    return { unacked: t.unacked, held: t.queuedBytes, paused: t.paused }
  }

  /** A remote shell on the host's pooled connection. */
  async open(p: { hostId: string; cols: number; rows: number }, ctx?: CallContext): Promise<{ id: string }> {
    return this.adopt(await openRemoteShell(this.deps.pool, p, this.deps.log), ctx)
  }

  /** A local shell on this machine. */
  async openLocal(p: { cols: number; rows: number }, ctx?: CallContext): Promise<{ id: string }> {
    return this.adopt(await openLocalShell(p, this.deps.env ?? process.env), ctx)
  }

  private adopt(session: ShellSession, ctx?: CallContext): { id: string } {
    const id = randomUUID()
    let done!: () => void
    const t: Terminal = {
      id,
      session,
      decoder: new StringDecoder('utf8'),
      unacked: 0,
      paused: false,
      closing: false,
      queued: [],
      queuedBytes: 0,
      flushScheduled: false,
      finished: new Promise<void>((resolve) => (done = resolve))
    }
    this.terminals.set(id, t)
    session.onData((buf) => this.output(t, buf))
    session.onEnd((end) => {
      this.finish(t, end)
      done()
    })
    if (ctx) {
      const disposable = { dispose: () => this.close(id) }
      t.ownership = { ctx, disposable }
      ctx.disposables.add(disposable)
    }
    return { id }
  }

  private output(t: Terminal, buf: Buffer): void {
    t.queued.push(buf)
    t.queuedBytes += buf.length
    if (t.unacked < this.chunk) {
      // The renderer has (nearly) caught up: send what came in this tick, now, so typing echoes at once.
      if (t.queuedBytes >= this.chunk) this.flush(t)
      else this.scheduleFlush(t)
    } else if (t.queuedBytes >= this.chunk) {
      // The renderer still has a full event or more to parse: sending the rest now would only queue
      // it there, so only whole chunks go and the rest waits for more output or for acks to bring
      // the backlog under one chunk (see ack). The renderer gets fewer, larger events (each costs it
      // a message, a parse call and a write).
      this.flush(t, true)
    }
    if (!t.paused && t.unacked + t.queuedBytes > this.highWater) {
      t.paused = true
      t.session.pause()
    }
  }

  private scheduleFlush(t: Terminal): void {
    if (t.flushScheduled) return
    t.flushScheduled = true
    setImmediate(() => {
      t.flushScheduled = false
      this.flush(t)
    })
  }

  /** Sends what was read, in events of at most `chunk` bytes; with `wholeChunks`, keeps a partial tail queued. */
  private flush(t: Terminal, wholeChunks = false): void {
    if (t.queuedBytes === 0) return
    const buf = t.queued.length === 1 ? t.queued[0] : Buffer.concat(t.queued, t.queuedBytes)
    const end = wholeChunks ? buf.length - (buf.length % this.chunk) : buf.length
    t.queued = end < buf.length ? [buf.subarray(end)] : []
    t.queuedBytes = buf.length - end
    for (let i = 0; i < end; i += this.chunk) {
      const part = buf.subarray(i, Math.min(end, i + this.chunk))
      t.unacked += part.length
      this.deps.bus.emit('terminals.data', { id: t.id, data: t.decoder.write(part), bytes: part.length })
    }
  }

  write(id: string, data: string): void {
    this.get(id).session.write(data)
  }

  resize(id: string, cols: number, rows: number): void {
    this.get(id).session.resize(cols, rows)
  }

  ack(id: string, bytes: number): void {
    const t = this.terminals.get(id)
    if (!t) return // acks can trail a closed terminal
    t.unacked = Math.max(0, t.unacked - bytes)
    // Output held while the renderer was behind goes out once it has (nearly) caught up.
    if (t.queuedBytes > 0 && t.unacked < this.chunk) this.scheduleFlush(t)
    if (t.paused && t.unacked <= this.highWater / 2) {
      t.paused = false
      t.session.resume()
    }
  }

  /** Ends the shell; resolves once terminals.exit has gone out. */
  async close(id: string): Promise<void> {
    const t = this.terminals.get(id)
    if (!t) return
    if (!t.closing) {
      t.closing = true
      await t.session.close()
    }
    await t.finished
  }

  private finish(t: Terminal, end: ShellEnd): void {
    if (!this.terminals.has(t.id)) return
    this.terminals.delete(t.id)
    if (t.ownership) t.ownership.ctx.disposables.delete(t.ownership.disposable)
    this.flush(t)
    const rest = t.decoder.end()
    if (rest) this.deps.bus.emit('terminals.data', { id: t.id, data: rest, bytes: 0 })
    const lost = end.lost && !t.closing ? end.lost : undefined
    this.deps.bus.emit('terminals.exit', {
      id: t.id,
      code: end.code,
      ...(end.signal ? { signal: end.signal } : {}),
      ...(lost ? { reason: lost } : {})
    })
  }

  private get(id: string): Terminal {
    const t = this.terminals.get(id)
    if (!t) throw new DropdeckError('NOT_FOUND', `No terminal ${id}: it was closed or its connection ended. Open a new one.`)
    return t
  }

  listCommands(hostId: string): Promise<SavedCommand[]> {
    return this.savedCommands.list(hostId)
  }

  async addCommand(input: { hostId: string; label?: string; command: string }): Promise<SavedCommand> {
    const saved = await this.savedCommands.add(input)
    this.deps.bus.emit('terminals.commands.changed', { hostId: saved.hostId })
    return saved
  }

  async removeCommand(id: string): Promise<void> {
    const { hostId } = await this.savedCommands.remove(id)
    this.deps.bus.emit('terminals.commands.changed', { hostId })
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.terminals.keys()].map((id) => this.close(id)))
  }
}
