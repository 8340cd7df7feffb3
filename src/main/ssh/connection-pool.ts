/**
 * One ssh2 Client per host, shared by tunnels, terminals and exec: the map of pooled connections and
 * their lifetimes. Keepalives detect a dead peer even when it is silent (no RST ever arrives); a
 * connection somebody still needs (a tunnel retains it, or the operator connected it) comes back by
 * itself with jittered exponential backoff (./reconnect.ts), up to a bound of attempts in a row; then
 * it stays failed until the operator connects again (Retry). While a retry is pending, other callers
 * get the last error at once instead of a connection attempt of their own, so a log follow or a
 * tunnel retrying on its own schedule cannot defeat the backoff. Host keys and authentication
 * failures are not retried: they need the operator.
 *
 * Its parts: ./connect-route.ts (jump hosts, proxies), ./handshake.ts (host key, auth, keepalives),
 * ./connect-errors.ts (what a failure means), ./exec.ts (one command). The layers above follow state
 * changes through `onState`; the pool never calls up into them.
 *
 * Connections opened only by `acquire` (facts, units, Docker requests) are not closed when idle: they
 * live until the peer drops them, hosts.disconnect, or exit. Reconnecting for the next inventory
 * refresh would cost a handshake each time; an idle SSH connection costs the host next to nothing.
 */
import type { Client } from 'ssh2'
import { DropdeckError } from '../../shared/errors'
import { HOST_ADDRESS_HINT, isHostAddress } from '../../shared/contract/host-address'
import type { ProxyResolver } from '../network/proxy-resolver'
import type { KeyAuth } from './auth'
import type { PendingKey } from './connect-errors'
import { toDropdeckError } from './connect-errors'
import { routeTo } from './connect-route'
import { execOn, type ExecResult } from './exec'
import { endClient, handshake, type HandshakeTuning } from './handshake'
import type { HostConfig } from './host-config'
import { HostStateListeners, type HostError, type HostRetry, type HostState, type HostStateListener } from './host-state'
import type { AppKnownHosts } from './known-hosts'
import { backoffDelay, backoffError, DEFAULT_MAX_ATTEMPTS, gaveUpMessage, type ReconnectTuning } from './reconnect'

export type { HostError, HostRetry, HostState } from './host-state'

export interface PoolTuning extends ReconnectTuning, HandshakeTuning {
  /** Handshake and proxy deadline. */
  readyTimeoutMs?: number
}

export interface PoolDeps {
  /** The host's settings by id; for ProxyJump hops also `user@host:port` specs. Throws NOT_FOUND. */
  resolve(hostId: string): Promise<HostConfig>
  auth: KeyAuth
  appKnownHosts: AppKnownHosts
  /** DROPDECK_SSH_PROXY: used for hosts without their own proxy or ProxyJump. */
  globalProxy?: string
  /** A PAC file's or the system's proxies: asked for hosts without their own proxy, ProxyJump or globalProxy. */
  proxyResolver?: ProxyResolver
  log(line: string): void
  tuning?: PoolTuning
}

interface Waiter {
  resolve(client: Client): void
  reject(err: Error): void
}

interface Entry {
  id: string
  state: HostState
  error?: HostError
  client?: Client
  connecting?: Promise<Client>
  /** The operator asked for it (hosts.connect): keep it up. */
  pinned: boolean
  /** Tunnels (and later terminals) that need it: keep it up. */
  users: number
  everConnected: boolean
  failures: number
  /** When the pending retry runs (epoch ms), while one is scheduled. */
  nextAt?: number
  /** Stopped retrying after maxAttempts; only connect() (the operator) tries again. */
  gaveUp: boolean
  /** The operator disconnected it: nothing reconnects it (log follows, terminals) until connect() or allow(). */
  held: boolean
  timer?: NodeJS.Timeout
  waiters: Set<Waiter>
  /** The last unknown key this host presented, for hosts.trustKey. */
  pendingKey?: PendingKey
  releaseJump?: () => void
  /** ProxyJump chain override for a hop (`a,b` -> b is reached through a). */
  viaOverride?: string | null
}

export class ConnectionPool {
  private readonly entries = new Map<string, Entry>()
  private readonly listeners: HostStateListeners
  private disposed = false

  constructor(private readonly deps: PoolDeps) {
    this.listeners = new HostStateListeners(deps.log)
  }

  /** Follows every host's state changes (and a pending retry's new attempt count); returns the unsubscribe. */
  onState(listener: HostStateListener): () => void {
    return this.listeners.add(listener)
  }

  private entry(id: string): Entry {
    let e = this.entries.get(id)
    if (!e) {
      e = { id, state: 'idle', pinned: false, users: 0, everConnected: false, failures: 0, gaveUp: false, held: false, waiters: new Set() }
      this.entries.set(id, e)
    }
    return e
  }

  state(id: string): { state: HostState; error?: HostError; retry?: HostRetry; inUse: number } {
    const e = this.entries.get(id)
    if (!e) return { state: 'idle', inUse: 0 }
    const retry = this.retryOf(e)
    return { state: e.state, ...(e.error ? { error: e.error } : {}), ...(retry ? { retry } : {}), inUse: e.users }
  }

  private retryOf(e: Entry): HostRetry | undefined {
    if (e.failures === 0 || e.state === 'connected') return undefined
    return { attempt: e.failures, nextAt: !e.gaveUp && e.nextAt !== undefined ? new Date(e.nextAt).toISOString() : null, gaveUp: e.gaveUp }
  }

  private setState(e: Entry, state: HostState, error?: HostError): void {
    const changed = e.state !== state || e.error?.message !== error?.message
    e.state = state
    e.error = error
    if (changed) this.listeners.emit(e.id, state, error)
  }

  private wanted(e: Entry): boolean {
    return !this.disposed && !e.held && (e.pinned || e.users > 0)
  }

  /** No retry pending, and the count of failures starts over: the operator acted (connect, disconnect). */
  private resetRetries(e: Entry): void {
    if (e.timer) clearTimeout(e.timer)
    e.timer = undefined
    e.nextAt = undefined
    e.gaveUp = false
    e.failures = 0
  }

  /** Lifts a disconnect's hold without keeping the host up (the operator started something on it, e.g. a tunnel). */
  allow(id: string): void {
    this.entry(id).held = false
  }

  /**
   * Opens the connection for the operator and keeps it up until hosts.disconnect. Tries now, also after
   * the pool gave up (Retry). `host`: the settings the caller just resolved, so a connect reads
   * ~/.ssh/config once, not twice; reconnects resolve afresh.
   */
  async connect(id: string, host?: HostConfig): Promise<Client> {
    const e = this.entry(id)
    e.pinned = true
    e.held = false
    this.resetRetries(e)
    return this.ensure(e, host)
  }

  /** Returns the live client, connecting now if needed (failures throw the mapped error). */
  acquire(id: string): Promise<Client> {
    return this.ensure(this.entry(id))
  }

  /** Marks the host as needed (kept up, reconnected); call the returned function when done. */
  retain(id: string): () => void {
    const e = this.entry(id)
    e.users++
    let released = false
    return () => {
      if (released) return
      released = true
      e.users--
      if (!this.wanted(e) && e.timer) {
        clearTimeout(e.timer)
        e.timer = undefined
        e.nextAt = undefined
        if (!e.client && !e.connecting) this.setState(e, 'idle', e.error)
      }
    }
  }

  /**
   * The client once connected, waiting through a reconnect for up to timeoutMs. Rejects at once on
   * errors that need the operator (host key, authentication) and with TIMEOUT when the wait runs out.
   */
  waitReady(id: string, timeoutMs: number, host?: HostConfig): Promise<Client> {
    const e = this.entry(id)
    if (e.client && e.state === 'connected') return Promise.resolve(e.client)
    if (!e.connecting && !e.timer) return this.ensure(e, host)
    return new Promise<Client>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (c) => {
          clearTimeout(timer)
          resolve(c)
        },
        reject: (err) => {
          clearTimeout(timer)
          reject(err)
        }
      }
      const timer = setTimeout(() => {
        e.waiters.delete(waiter)
        reject(new DropdeckError('TIMEOUT', `${id} did not come back within ${Math.round(timeoutMs / 1000)} s${e.error ? ` (${e.error.message})` : ''}.`, { retryable: true }))
      }, timeoutMs)
      e.waiters.add(waiter)
    })
  }

  private settleWaiters(e: Entry, result: { client: Client } | { error: Error }): void {
    const waiters = [...e.waiters]
    e.waiters.clear()
    for (const w of waiters) {
      if ('client' in result) w.resolve(result.client)
      else w.reject(result.error)
    }
  }

  private ensure(e: Entry, host?: HostConfig): Promise<Client> {
    if (this.disposed) return Promise.reject(new DropdeckError('UPSTREAM', 'Dropdeck is shutting down.'))
    if (e.client && e.state === 'connected') return Promise.resolve(e.client)
    if (e.connecting) return e.connecting
    if (e.held) return Promise.reject(new DropdeckError('UPSTREAM', `${e.id} was disconnected, and stays down until you connect it again in Hosts.`, { data: { hostId: e.id, disconnected: true } }))
    // Backing off, or given up: the last error now, not an attempt of this caller's own.
    if (e.timer || e.gaveUp) return Promise.reject(backoffError(e.id, e))
    this.setState(e, e.everConnected && this.wanted(e) ? 'reconnecting' : 'connecting', e.state === 'reconnecting' ? e.error : undefined)
    const attempt = this.open(e, host).then(
      (client) => {
        e.connecting = undefined
        e.client = client
        e.everConnected = true
        e.failures = 0
        e.gaveUp = false
        e.nextAt = undefined
        this.setState(e, 'connected')
        this.settleWaiters(e, { client })
        return client
      },
      (err: unknown) => {
        e.connecting = undefined
        const error = toDropdeckError(err)
        const info = { code: error.code, message: error.message }
        if (error.retryable && this.wanted(e)) {
          if (e.failures + 1 >= (this.deps.tuning?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
            e.failures++
            e.gaveUp = true
            e.nextAt = undefined
            const gaveUp = { code: error.code, message: gaveUpMessage(e.failures, error.message) }
            this.setState(e, 'error', gaveUp)
            this.settleWaiters(e, { error: new DropdeckError(error.code, gaveUp.message, { data: { hostId: e.id, attempt: e.failures, gaveUp: true } }) })
            this.listeners.emit(e.id, 'error', gaveUp)
            throw error
          }
          this.setState(e, e.everConnected ? 'reconnecting' : 'connecting', info)
          this.schedule(e)
          this.listeners.emit(e.id, e.state, info) // the attempt count and the next try changed
        } else {
          this.setState(e, 'error', info)
          this.settleWaiters(e, { error })
        }
        throw error
      }
    )
    e.connecting = attempt
    return attempt
  }

  private schedule(e: Entry): void {
    if (e.timer || !this.wanted(e)) return
    const delay = backoffDelay(e.failures, this.deps.tuning)
    e.failures++
    e.nextAt = Date.now() + delay
    e.timer = setTimeout(() => {
      e.timer = undefined
      e.nextAt = undefined
      if (this.wanted(e)) this.ensure(e).catch(() => undefined)
    }, delay)
    e.timer.unref?.()
  }

  private async open(e: Entry, given?: HostConfig): Promise<Client> {
    // A copy: the ProxyJump override below must not change the hosts service's cached settings.
    const host = { ...(given ?? (await this.deps.resolve(e.id))) }
    if (!isHostAddress(host.hostname)) {
      // ssh_config HostName, a droplet's address or a hand-added host: it goes into a CONNECT line and known_hosts.
      throw new DropdeckError('BAD_REQUEST', `${host.id}'s HostName "${JSON.stringify(host.hostname.slice(0, 100)).slice(1, -1)}" is not ${HOST_ADDRESS_HINT}; fix it in the host's settings.`, { data: { hostId: e.id } })
    }
    if (e.viaOverride !== undefined) {
      if (e.viaOverride === null) delete host.proxyJump
      else host.proxyJump = e.viaOverride
    }
    const readyTimeout = this.deps.tuning?.readyTimeoutMs ?? 20_000
    const route = await routeTo(e.id, host, readyTimeout, {
      globalProxy: this.deps.globalProxy,
      proxyResolver: this.deps.proxyResolver,
      log: this.deps.log,
      holdHop: (hop, via) => {
        if (via !== undefined) this.entry(hop).viaOverride = via
        return this.retain(hop)
      },
      waitReady: (hop, timeoutMs) => this.waitReady(hop, timeoutMs)
    })
    e.releaseJump = route.release
    try {
      return await handshake(this.deps, {
        hostId: e.id,
        host,
        sock: route.sock,
        readyTimeout,
        onPendingKey: (key) => {
          e.pendingKey = key
        },
        onClosed: (client, error) => this.onClosed(e, client, error)
      })
    } catch (err) {
      e.releaseJump?.()
      e.releaseJump = undefined
      throw err
    }
  }

  private onClosed(e: Entry, client: Client, error: HostError): void {
    if (e.client !== client) return
    e.client = undefined
    e.releaseJump?.()
    e.releaseJump = undefined
    if (this.wanted(e)) {
      this.setState(e, 'reconnecting', error)
      // The first retry comes quickly: a restarted sshd or a VPN blip is usually back at once.
      this.schedule(e)
    } else {
      this.setState(e, 'idle')
    }
  }

  /** Accepts the key the host presented last time (HOST_KEY_UNKNOWN), if its fingerprint matches. */
  async trustKey(id: string, fingerprint: string): Promise<void> {
    const e = this.entries.get(id)
    const pending = e?.pendingKey
    if (!e || !pending) throw new DropdeckError('NOT_FOUND', `${id} has no unknown host key waiting: connect first to see its fingerprint.`)
    if (pending.fingerprint !== fingerprint) {
      throw new DropdeckError('BAD_REQUEST', `${id} presented ${pending.fingerprint}, not ${fingerprint}; nothing was trusted.`)
    }
    await this.deps.appKnownHosts.add(pending.name, pending.blob)
    e.pendingKey = undefined
    if (e.state === 'error') this.setState(e, 'idle')
  }

  /** Ends the session; it stays down, whoever still holds it (a log follow, a terminal), until the operator connects again. */
  async disconnect(id: string): Promise<void> {
    const e = this.entries.get(id)
    if (!e) return
    e.pinned = false
    e.held = true
    this.resetRetries(e)
    const client = e.client
    e.client = undefined
    e.releaseJump?.()
    e.releaseJump = undefined
    this.settleWaiters(e, { error: new DropdeckError('UPSTREAM', `${id} was disconnected.`) })
    if (client) await endClient(client)
    this.setState(e, 'idle')
  }

  /** Runs a command on the pooled connection and collects its output. */
  async exec(id: string, command: string, options: { timeoutMs?: number } = {}): Promise<ExecResult> {
    return execOn(await this.acquire(id), id, command, options)
  }

  async dispose(): Promise<void> {
    this.disposed = true
    await Promise.all([...this.entries.values()].map(async (e) => {
      if (e.timer) clearTimeout(e.timer)
      e.timer = undefined
      const client = e.client
      e.client = undefined
      this.settleWaiters(e, { error: new DropdeckError('UPSTREAM', 'Dropdeck is shutting down.') })
      if (client) await endClient(client)
    }))
  }
}
