/**
 * Remote terminals: one `shell` channel with a PTY per terminal, on the host's pooled SSH connection.
 * Output goes out as terminals.data events in chunks of at most 64 KB, decoded with a streaming UTF-8
 * decoder so a character split across packets arrives whole. Flow control is acknowledged, as Tabby
 * does it: once more than ~512 KB sent is not yet acked (drawn) by the renderer, the channel is paused,
 * ssh2 stops granting the server window, and the remote side blocks; acks resume it. Each terminal
 * belongs to the call context that opened it and is closed with it.
 */
import { randomUUID } from 'node:crypto'
import { StringDecoder } from 'node:string_decoder'
import type { Client, ClientChannel } from 'ssh2'
import { DropdeckError } from '../../shared/errors'
import type { CallContext, Disposable } from '../rpc/context'
import type { EventBus } from '../rpc/event-bus'
import type { ConnectionPool } from '../ssh/connection-pool'

export interface TerminalsTuning {
  /** Pause the channel once this many sent bytes are un-acked. */
  highWaterBytes?: number
  /** The largest terminals.data payload, in bytes. */
  chunkBytes?: number
}

export interface TerminalsDeps {
  pool: Pick<ConnectionPool, 'acquire' | 'retain'>
  bus: EventBus
  log: (line: string) => void
  tuning?: TerminalsTuning
}

interface Terminal {
  id: string
  hostId: string
  channel: ClientChannel
  decoder: StringDecoder
  unacked: number
  paused: boolean
  exit?: { code: number | null; signal?: string }
  closed: boolean
  ownership?: { ctx: CallContext; disposable: Disposable }
  release: () => void
  detach: () => void
}

export class TerminalsService {
  private readonly terminals = new Map<string, Terminal>()
  private readonly highWater: number
  private readonly chunk: number

  constructor(private readonly deps: TerminalsDeps) {
    this.highWater = deps.tuning?.highWaterBytes ?? 512 * 1024
    this.chunk = deps.tuning?.chunkBytes ?? 64 * 1024
  }

  get size(): number {
    return this.terminals.size
  }

  /** Un-acked bytes and whether the channel is paused, for tests and diagnostics. */
  stats(id: string): { unacked: number; paused: boolean } {
    const t = this.get(id)
    return { unacked: t.unacked, paused: t.paused }
  }

  async open(p: { hostId: string; cols: number; rows: number }, ctx?: CallContext): Promise<{ id: string }> {
    const release = this.deps.pool.retain(p.hostId)
    let client: Client
    let channel: ClientChannel
    try {
      client = await this.deps.pool.acquire(p.hostId)
      channel = await new Promise<ClientChannel>((resolve, reject) => {
        client.shell({ term: 'xterm-256color', cols: p.cols, rows: p.rows }, (err, ch) => (err ? reject(err) : resolve(ch)))
      })
    } catch (err) {
      release()
      if (err instanceof DropdeckError) throw err
      throw new DropdeckError('UPSTREAM', `${p.hostId} refused to open a shell: ${(err as Error).message}.`, { retryable: true })
    }

    const id = randomUUID()
    let connectionLost = false
    const onClientClose = () => {
      connectionLost = true
      setImmediate(() => this.finish(t, t.closed ? undefined : `The connection to ${p.hostId} was lost.`))
    }
    client.once('close', onClientClose)
    const t: Terminal = {
      id,
      hostId: p.hostId,
      channel,
      decoder: new StringDecoder('utf8'),
      unacked: 0,
      paused: false,
      closed: false,
      release,
      detach: () => client.removeListener('close', onClientClose)
    }
    this.terminals.set(id, t)

    const onData = (buf: Buffer) => this.output(t, buf)
    channel.on('data', onData)
    channel.stderr.on('data', onData)
    channel.on('exit', (code: number | null, signal?: string) => {
      t.exit = { code: code ?? null, ...(signal ? { signal } : {}) }
    })
    channel.on('error', (err: Error) => this.deps.log(`terminals: ${p.hostId}: ${err.message}`))
    channel.once('close', () => {
      // The client's own 'close' may come after the channels are torn down: look again on the next tick.
      setImmediate(() => {
        const lost = connectionLost || !t.exit
        this.finish(t, lost && !t.closed ? `The connection to ${p.hostId} was lost.` : undefined)
      })
    })

    if (ctx) {
      const disposable = { dispose: () => this.close(id) }
      t.ownership = { ctx, disposable }
      ctx.disposables.add(disposable)
    }
    return { id }
  }

  private output(t: Terminal, buf: Buffer): void {
    for (let i = 0; i < buf.length; i += this.chunk) {
      const part = buf.subarray(i, Math.min(buf.length, i + this.chunk))
      t.unacked += part.length
      this.deps.bus.emit('terminals.data', { id: t.id, data: t.decoder.write(part), bytes: part.length })
    }
    if (!t.paused && t.unacked > this.highWater) {
      t.paused = true
      t.channel.pause()
    }
  }

  write(id: string, data: string): void {
    const t = this.get(id)
    t.channel.write(data)
  }

  resize(id: string, cols: number, rows: number): void {
    this.get(id).channel.setWindow(rows, cols, 0, 0)
  }

  ack(id: string, bytes: number): void {
    const t = this.terminals.get(id)
    if (!t) return // acks can trail a closed terminal
    t.unacked = Math.max(0, t.unacked - bytes)
    if (t.paused && t.unacked <= this.highWater / 2) {
      t.paused = false
      t.channel.resume()
    }
  }

  /** Closes the channel; terminals.exit follows once it is gone. */
  async close(id: string): Promise<void> {
    const t = this.terminals.get(id)
    if (!t || t.closed) return
    t.closed = true
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        t.channel.destroy()
        this.finish(t)
        resolve()
      }, 2000)
      t.channel.once('close', () => {
        clearTimeout(timer)
        resolve()
      })
      t.channel.resume() // a paused channel still has to see its close
      t.channel.close()
    })
    this.finish(t)
  }

  private finish(t: Terminal, reason?: string): void {
    if (!this.terminals.has(t.id)) return
    this.terminals.delete(t.id)
    t.detach()
    t.release()
    if (t.ownership) t.ownership.ctx.disposables.delete(t.ownership.disposable)
    const rest = t.decoder.end()
    if (rest) this.deps.bus.emit('terminals.data', { id: t.id, data: rest, bytes: 0 })
    this.deps.bus.emit('terminals.exit', {
      id: t.id,
      code: t.exit?.code ?? null,
      ...(t.exit?.signal ? { signal: t.exit.signal } : {}),
      ...(reason ? { reason } : {})
    })
  }

  private get(id: string): Terminal {
    const t = this.terminals.get(id)
    if (!t) throw new DropdeckError('NOT_FOUND', `No terminal ${id}: it was closed or its connection ended.`)
    return t
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.terminals.keys()].map((id) => this.close(id)))
  }
}
