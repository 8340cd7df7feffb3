/**
 * One local port forward: a net.Server on 127.0.0.1 whose accepted sockets each become a
 * `direct-tcpip` channel on the host's pooled connection. The listener is held through reconnects
 * (the port never goes back to the OS while the tunnel lives); a connection that arrives while the
 * session is down waits for it up to `waitMs`, then is closed.
 */
import net from 'node:net'
import type { ClientChannel } from 'ssh2'
import { DropdeckError } from '../../shared/errors'
import type { Tunnel as TunnelView } from '../../shared/contract/ssh'
import type { ConnectionPool } from '../ssh/connection-pool'
import type { HostError, HostState } from '../ssh/host-state'
import { findPortHolder, isPortFree, suggestFreePort } from './port-holder'
import { tunnelUrl } from './presets'

export interface TunnelSpec {
  id: string
  hostId: string
  remoteHost: string
  remotePort: number
  localPort?: number
  startOnLaunch: boolean
}

/** Socket buffer for the local side: big enough that one read feeds several 32 KiB SSH packets. */
const HIGH_WATER_MARK = 256 * 1024

/**
 * Counter updates (connections, bytes, a refused remote port) reach the renderer at most this often
 * per tunnel: a busy tunnel moves gigabytes and accepts hundreds of connections a second, and every
 * event is a re-render. State changes are not throttled.
 */
export const COUNTERS_INTERVAL_MS = 1000

/**
 * Connections one tunnel holds at once; more are closed on accept. Any local user can connect to
 * a tunnel port, and each connection costs an fd and an SSH channel.
 */
export const MAX_TUNNEL_CONNECTIONS = 512

export class Tunnel {
  readonly id: string
  readonly hostId: string
  readonly remoteHost: string
  readonly remotePort: number
  /** Owned by the app and kept in tunnels.json (the operator can flip it while the tunnel runs). */
  startOnLaunch: boolean
  localPort = 0
  state: TunnelView['state'] = 'connecting'
  error?: HostError
  connections = 0
  private server?: net.Server
  private readonly sockets = new Set<net.Socket>()
  /**
   * Bytes are read off the sockets' own counts (bytesWritten: from the host; bytesRead: to it) when
   * a counter event goes out, not added up per chunk: a listener and a call on every chunk of every
   * connection cost more than the count is worth. Sockets spliced to a channel, and what the closed
   * ones carried:
   */
  private readonly spliced = new Set<net.Socket>()
  private closedIn = 0
  private closedOut = 0

  /** Bytes from the host to local clients. */
  get bytesIn(): number {
    let n = this.closedIn
    for (const s of this.spliced) n += s.bytesWritten
    return n
  }

  /** Bytes from local clients to the host. */
  get bytesOut(): number {
    let n = this.closedOut
    for (const s of this.spliced) n += s.bytesRead
    return n
  }
  private release?: () => void

  constructor(
    spec: TunnelSpec,
    private readonly pool: ConnectionPool,
    private readonly onChange: (t: Tunnel, kind: 'state' | 'counters') => void,
    private readonly waitMs: number
  ) {
    this.id = spec.id
    this.hostId = spec.hostId
    this.remoteHost = spec.remoteHost
    this.remotePort = spec.remotePort
    this.startOnLaunch = spec.startOnLaunch
    this.localPort = spec.localPort ?? 0
  }

  view(): TunnelView {
    const url = tunnelUrl(this.remotePort, this.localPort)
    return {
      id: this.id,
      hostId: this.hostId,
      localPort: this.localPort,
      remoteHost: this.remoteHost,
      remotePort: this.remotePort,
      state: this.state,
      ...(this.error ? { error: this.error } : {}),
      connections: this.connections,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      startOnLaunch: this.startOnLaunch,
      ...(url ? { url } : {})
    }
  }

  /** Binds the local port (PORT_IN_USE if taken) and starts keeping the host connected. */
  async listen(requestedPort: number | undefined): Promise<void> {
    // Without a requested port: the remote port if it is free (what `ssh -L p:host:p` would use), else any.
    const port = requestedPort ?? ((await isPortFree(this.remotePort)) ? this.remotePort : 0)
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: false, noDelay: true, highWaterMark: HIGH_WATER_MARK }, (s) => this.accept(s))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
        server.off('error', reject)
        resolve()
      })
    }).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') throw await portInUse(port, err.code)
      throw err
    })
    server.on('error', (err) => this.setState('error', { code: 'UPSTREAM', message: `The local listener failed: ${err.message}` }))
    server.maxConnections = MAX_TUNNEL_CONNECTIONS
    this.server = server
    this.localPort = (server.address() as net.AddressInfo).port
    this.release = this.pool.retain(this.hostId)
    this.hostChanged(this.pool.state(this.hostId).state, this.pool.state(this.hostId).error)
  }

  /** Follows the host's connection: the tunnel is up exactly when its session is. */
  hostChanged(state: HostState, error?: HostError): void {
    if (this.state === 'stopped') return
    if (state === 'connected') this.setState('up')
    else if (state === 'reconnecting') this.setState('reconnecting', error)
    else if (state === 'error') this.setState('error', error)
    else if (state === 'connecting') this.setState(this.state === 'up' ? 'reconnecting' : this.state === 'error' ? 'error' : 'connecting', error ?? this.error)
  }

  private setState(state: TunnelView['state'], error?: HostError): void {
    if (this.state === state && this.error?.message === error?.message) return
    this.state = state
    this.error = error
    this.onChange(this, 'state')
  }

  private accept(socket: net.Socket): void {
    this.connections++
    this.sockets.add(socket)
    this.counted()
    let channel: ClientChannel | undefined
    socket.on('error', () => socket.destroy())
    socket.once('close', () => {
      this.sockets.delete(socket)
      if (this.spliced.delete(socket)) {
        this.closedIn += socket.bytesWritten
        this.closedOut += socket.bytesRead
        this.counted()
      }
      channel?.close()
    })
    this.pool
      .waitReady(this.hostId, this.waitMs)
      .then(
        (client) =>
          new Promise<ClientChannel>((resolve, reject) => {
            client.forwardOut('127.0.0.1', socket.remotePort ?? 0, this.remoteHost, this.remotePort, (err, ch) => (err ? reject(err) : resolve(ch)))
          })
      )
      .then(
        (ch) => {
          channel = ch
          if (socket.destroyed) return void ch.close()
          this.splice(socket, ch)
        },
        (err: Error) => {
          // A refused remote port is worth showing; the session's own state already says the rest.
          if (!(err instanceof DropdeckError)) {
            this.error = { code: 'UPSTREAM', message: `${this.hostId} could not open ${this.remoteHost}:${this.remotePort}: ${err.message}.` }
            this.counted()
          }
          socket.destroy()
        }
      )
  }

  /** Both directions by pipe (backpressure, no copies); each side's EOF carried through on its own. */
  private splice(socket: net.Socket, ch: ClientChannel): void {
    this.spliced.add(socket)
    this.watchBytes()
    skipRedundantEnd(ch)
    ch.on('error', () => socket.destroy())
    ch.once('close', () => {
      // A channel that ended cleanly has already ended the socket through pipe; a dead one resets it.
      if (!ch.readableEnded) socket.destroy()
    })
    // Not corked per tick like the SSH transport: a corked socket reports backpressure on the first
    // 32 KiB packet, and pipe() would pause the channel (and its window) every tick.
    ch.pipe(socket)
    socket.pipe(ch)
  }

  private countTimer?: NodeJS.Timeout
  private countersSentAt = 0
  private bytesSent = 0
  private bytesTimer?: NodeJS.Timeout

  /** While connections are open, a counter event follows their bytes (once a second, if they moved). */
  private watchBytes(): void {
    if (this.bytesTimer) return
    this.bytesTimer = setInterval(() => {
      if (this.bytesIn + this.bytesOut !== this.bytesSent) this.counted()
      if (this.spliced.size === 0) {
        clearInterval(this.bytesTimer)
        this.bytesTimer = undefined
      }
    }, COUNTERS_INTERVAL_MS)
    this.bytesTimer.unref?.()
  }
  /** A counter changed: tell at once if the last counter event is a second old, else once it is. */
  private counted(): void {
    if (this.countTimer || this.state === 'stopped') return
    const wait = this.countersSentAt + COUNTERS_INTERVAL_MS - Date.now()
    if (wait <= 0) return this.sendCounters()
    this.countTimer = setTimeout(() => {
      this.countTimer = undefined
      this.sendCounters()
    }, wait)
    this.countTimer.unref?.()
  }

  private sendCounters(): void {
    if (this.state === 'stopped') return
    this.countersSentAt = Date.now()
    this.bytesSent = this.bytesIn + this.bytesOut
    this.onChange(this, 'counters')
  }

  /** Listens again on the same local port after close() (its host was connected again). */
  async resume(): Promise<void> {
    if (this.state !== 'stopped' || this.server) return
    this.state = 'connecting'
    this.error = undefined
    try {
      await this.listen(this.localPort)
    } catch (err) {
      const error = err instanceof DropdeckError ? err : new DropdeckError('UPSTREAM', String(err))
      this.setState('error', { code: error.code, message: error.message })
      return
    }
    this.onChange(this, 'state')
  }

  async close(): Promise<void> {
    this.state = 'stopped'
    clearTimeout(this.countTimer)
    clearInterval(this.bytesTimer)
    this.bytesTimer = undefined
    this.release?.()
    this.release = undefined
    const server = this.server
    this.server = undefined
    for (const s of this.sockets) s.destroy()
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

/**
 * ssh2's Channel.destroy() is end() then close(). Once both directions of a tunnel connection have
 * ended, the stream's autoDestroy calls it with the writable side already finished, and Node builds
 * an ERR_STREAM_ALREADY_FINISHED error (stack trace included) only to drop it: on every connection
 * that closes normally, a measurable share of its cost (bench:tunnel, new connection). Then only
 * close() is left to do.
 */
function skipRedundantEnd(ch: ClientChannel): void {
  const destroy = ch.destroy
  ch.destroy = function (this: ClientChannel) {
    if (!this.writableFinished) return destroy.call(this)
    this.close()
    return this
  }
}

/**
 * The port is one of Dropdeck's own tunnels: say which (the OS would name this process's command
 * line, which tells the operator nothing), and a free port near it.
 */
export async function heldByTunnel(port: number, holder: Tunnel): Promise<DropdeckError> {
  const suggestion = await suggestFreePort(port)
  const what = `${holder.hostId} ${holder.remoteHost}:${holder.remotePort}`
  return new DropdeckError('PORT_IN_USE', `Local port ${port} is already used by Dropdeck's tunnel to ${what}. Port ${suggestion} is free: use it, or stop that tunnel.`, {
    data: { port, tunnel: { id: holder.id, hostId: holder.hostId, remoteHost: holder.remoteHost, remotePort: holder.remotePort }, suggestion }
  })
}

async function portInUse(port: number, code: string): Promise<DropdeckError> {
  const [holder, suggestion] = await Promise.all([findPortHolder(port).catch(() => undefined), suggestFreePort(port)])
  const who = holder ? ` by ${holder.command.split(' ')[0].split('/').pop()} (pid ${holder.pid})` : ''
  const message = code === 'EACCES'
    ? `Local port ${port} needs privileges Dropdeck does not have. Port ${suggestion} is free.`
    : `Local port ${port} is already in use${who}. Port ${suggestion} is free: use it, or stop what holds ${port}.`
  return new DropdeckError('PORT_IN_USE', message, { data: { port, ...(holder ? { holder } : {}), suggestion } })
}
