/**
 * Terminals: remote shells (a PTY per SSH channel on the pooled connection, remote-shell.ts), local
 * shells (node-pty, local-shell.ts) and container shells (attached from ../docker), handled alike here. Each terminal is a stream (docs/api.md
 * "Streams"): owned by the call context that opened it and closed with it, its output sent to that
 * client only as terminals.data events through a TerminalOutbox (chunking, coalescing and the
 * acknowledged flow control that pauses the shell while the client is behind: terminal-outbox.ts), and
 * its end as one terminals.state event.
 */
import { randomUUID } from 'node:crypto'
import type { SavedCommand } from '../../shared/contract/terminals'
import { DropdeckError } from '../../shared/errors'
import type { CallContext, Ownership } from '../rpc/context'
import type { EventBus } from '../rpc/event-bus'
import type { ConnectionPool } from '../ssh/connection-pool'
import { openLocalShell } from './local-shell'
import { openRemoteShell } from './remote-shell'
import { SavedCommandsStore } from './saved-commands-store'
import type { ShellEnd, ShellSession } from './shell-session'
import { TerminalOutbox, type TerminalOutboxTuning } from './terminal-outbox'

export type TerminalsTuning = TerminalOutboxTuning

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
  outbox: TerminalOutbox
  closing: boolean
  ctx: CallContext
  ownership?: Ownership
  /** Resolves once terminals.state has gone out. */
  finished: Promise<void>
}

export class TerminalsService {
  private readonly terminals = new Map<string, Terminal>()
  private readonly savedCommands: SavedCommandsStore

  constructor(private readonly deps: TerminalsDeps) {
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
    const { outbox } = this.get(id)
    return { unacked: outbox.unacked, held: outbox.held, paused: outbox.pressured }
  }

  /** A remote shell on the host's pooled connection. */
  async open(p: { hostId: string; cols: number; rows: number }, ctx: CallContext): Promise<{ id: string }> {
    return this.attach(await openRemoteShell(this.deps.pool, p, this.deps.log), ctx)
  }

  /** A local shell on this machine. */
  async openLocal(p: { cols: number; rows: number }, ctx: CallContext): Promise<{ id: string }> {
    return this.attach(await openLocalShell(p, this.deps.env ?? process.env), ctx)
  }

  /**
   * Makes any shell a terminal owned by `ctx` (terminals.write/resize/ack/close, terminals.data and
   * terminals.state apply): a container's shell (../docker/container-exec.ts) comes in this way.
   */
  attach(session: ShellSession, ctx: CallContext): { id: string } {
    const id = randomUUID()
    let done!: () => void
    const outbox = new TerminalOutbox(
      {
        data: (data, bytes) => ctx.emit('terminals.data', { id, data, bytes }),
        pressure: (high) => (high ? session.pause() : session.resume())
      },
      this.deps.tuning
    )
    const t: Terminal = {
      id,
      session,
      outbox,
      closing: false,
      ctx,
      finished: new Promise<void>((resolve) => (done = resolve))
    }
    this.terminals.set(id, t)
    session.onData((buf) => outbox.push(buf))
    session.onEnd((end) => {
      this.finish(t, end)
      done()
    })
    // Owned once registered: a client already gone closes it at once.
    t.ownership = ctx.own({ dispose: () => this.close(id) }, id)
    return { id }
  }

  /** `by`: the calling client; a terminal it does not own is NOT_FOUND, as an unknown one. */
  write(id: string, data: string, by?: CallContext): void {
    this.get(id, by).session.write(data)
  }

  resize(id: string, cols: number, rows: number, by?: CallContext): void {
    this.get(id, by).session.resize(cols, rows)
  }

  ack(id: string, bytes: number, by?: CallContext): void {
    if (by && !by.owns(id)) return
    this.terminals.get(id)?.outbox.ack(bytes) // acks can trail a closed terminal
  }

  /** Ends the shell; resolves once terminals.state has gone out. */
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
    t.ownership?.release()
    t.outbox.end()
    t.outbox.close()
    const lost = end.lost && !t.closing ? end.lost : undefined
    t.ctx.emit('terminals.state', {
      id: t.id,
      state: 'exited',
      code: end.code,
      ...(end.signal ? { signal: end.signal } : {}),
      ...(lost ? { reason: lost } : {})
    })
  }

  private get(id: string, by?: CallContext): Terminal {
    const t = this.terminals.get(id)
    if (!t || (by && !by.owns(id))) throw new DropdeckError('NOT_FOUND', `No terminal ${id}: it was closed or its connection ended. Open a new one.`)
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
