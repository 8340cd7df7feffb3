/**
 * One ssh2 Client per host, shared by tunnels, terminals and exec. Keepalives detect a dead peer even
 * when it is silent (no RST ever arrives); a connection somebody still needs (a tunnel retains it, or
 * the operator connected it) comes back by itself with jittered exponential backoff, up to a bound
 * of attempts in a row; then it stays failed until the operator connects again (Retry). While a retry
 * is pending, other callers get the last error at once instead of a connection attempt of their own,
 * so a log follow or a tunnel retrying on its own schedule cannot defeat the backoff. Host keys and
 * authentication failures are not retried: they need the operator.
 */
import net from 'node:net'
import ssh2, { type Client, type ClientChannel } from 'ssh2'
import ssh2Crypto from 'ssh2/lib/protocol/crypto.js'
import ssh2Constants from 'ssh2/lib/protocol/constants.js'
import type { Duplex } from 'node:stream'
import { DropdeckError, type ErrorCode } from '../../shared/errors'
import { HOST_ADDRESS_HINT, isHostAddress } from '../../shared/contract/host-address'
import type { AuthPlan, KeyAuth } from './auth'
import { AuthAttempt } from './auth-attempt'
import { authFailed } from './auth-failure'
import type { HostConfig } from './host-config'
import { AppKnownHosts, checkHostKey, fingerprintSha256, keyTypeOf, keyTypesOnRecord, knownHostsName, loadKnownHosts, preferredHostKeyAlgorithms, removeEntryCommand, type HostKeyVerdict } from './known-hosts'
import { coalesceWrites } from './coalesced-writes'
import { posixCommand } from './remote-command'
import { connectThroughHops, connectViaProxy, describeProxy, parseProxyUrl } from './proxy-route'
import { sshProbeUrl, type ProxyResolver } from '../network/proxy-resolver'

export type HostState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'error'
export interface HostError {
  code: string
  message: string
}

/** Failed attempts in a row, and when the next one is (null once it gave up). */
export interface HostRetry {
  attempt: number
  nextAt: string | null
  gaveUp: boolean
}

export interface PoolTuning {
  /** First reconnect delay (before jitter); doubles per failure up to backoffMaxMs. */
  backoffBaseMs?: number
  backoffMaxMs?: number
  /** Failed attempts in a row after which the pool stops retrying until the operator connects. Default 8 (about 1.5 min). */
  maxAttempts?: number
  /** Handshake and proxy deadline. */
  readyTimeoutMs?: number
  /** Override ServerAliveInterval (ms) / CountMax for every host, for tests. */
  keepaliveIntervalMs?: number
  keepaliveCountMax?: number
  /**
   * Coalesce the transport's packet writes per tick (coalesced-writes.ts). Default: only where ssh2
   * runs on Node's crypto (three writes per packet); with its native binding (one write per packet)
   * bench:tunnel measured no gain. bench:tunnel sets it to compare.
   */
  coalesceWrites?: boolean
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
  onState(hostId: string, state: HostState, error?: HostError): void
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
  pendingKey?: { name: string; blob: Buffer; fingerprint: string }
  releaseJump?: () => void
  /** ProxyJump chain override for a hop (`a,b` -> b is reached through a). */
  viaOverride?: string | null
}

// ssh2 is CommonJS whose named exports Node's ESM loader cannot see.
const { Client: SshClient } = ssh2

/**
 * ssh2 encrypts with its native binding when it was built for this runtime's ABI, else with Node's
 * crypto at about 2.5x the CPU per byte (bench:tunnel: upload ~0.8x OpenSSH instead of >=1x). Logged
 * with every handshake so a slow tunnel can be traced to a missing `npm rebuild ssh2`.
 */
const CRYPTO_NOTE = ssh2Crypto.bindingAvailable ? 'ssh2 native crypto' : "ssh2 on Node's crypto (its binding is not built for this runtime: npm rebuild ssh2)"

const RETRYABLE_NET = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'ENETDOWN'])

export class ConnectionPool {
  private readonly entries = new Map<string, Entry>()
  private disposed = false

  constructor(private readonly deps: PoolDeps) {}

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
    if (changed) this.deps.onState(e.id, state, error)
  }

  private wanted(e: Entry): boolean {
    return !this.disposed && !e.held && (e.pinned || e.users > 0)
  }

  /** Lifts a disconnect's hold without keeping the host up (the operator started something on it, e.g. a tunnel). */
  allow(id: string): void {
    this.entry(id).held = false
  }

  /** Opens the connection for the operator and keeps it up until hosts.disconnect. Tries now, also after the pool gave up (Retry). */
  async connect(id: string): Promise<Client> {
    const e = this.entry(id)
    e.pinned = true
    e.held = false
    if (e.timer) clearTimeout(e.timer)
    e.timer = undefined
    e.nextAt = undefined
    e.gaveUp = false
    e.failures = 0
    return this.ensure(e)
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
  waitReady(id: string, timeoutMs: number): Promise<Client> {
    const e = this.entry(id)
    if (e.client && e.state === 'connected') return Promise.resolve(e.client)
    if (!e.connecting && !e.timer) return this.ensure(e)
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

  private ensure(e: Entry): Promise<Client> {
    if (this.disposed) return Promise.reject(new DropdeckError('UPSTREAM', 'Dropdeck is shutting down.'))
    if (e.client && e.state === 'connected') return Promise.resolve(e.client)
    if (e.connecting) return e.connecting
    if (e.held) return Promise.reject(new DropdeckError('UPSTREAM', `${e.id} was disconnected, and stays down until you connect it again in Hosts.`, { data: { hostId: e.id, disconnected: true } }))
    // Backing off, or given up: the last error now, not an attempt of this caller's own.
    if (e.timer || e.gaveUp) return Promise.reject(this.backoffError(e))
    this.setState(e, e.everConnected && this.wanted(e) ? 'reconnecting' : 'connecting', e.state === 'reconnecting' ? e.error : undefined)
    const attempt = this.open(e).then(
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
          if (e.failures + 1 >= (this.deps.tuning?.maxAttempts ?? 8)) {
            e.failures++
            e.gaveUp = true
            e.nextAt = undefined
            const gaveUp = { code: error.code, message: `Dropdeck stopped trying after ${e.failures} attempts in a row: ${error.message} Retry (Connect) tries again.` }
            this.setState(e, 'error', gaveUp)
            this.settleWaiters(e, { error: new DropdeckError(error.code, gaveUp.message, { data: { hostId: e.id, attempt: e.failures, gaveUp: true } }) })
            this.deps.onState(e.id, 'error', gaveUp)
            throw error
          }
          this.setState(e, e.everConnected ? 'reconnecting' : 'connecting', info)
          this.schedule(e)
          this.deps.onState(e.id, e.state, info) // the attempt count and the next try changed
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

  /** What a caller gets while a retry is pending or after the pool gave up: the last failure, and when the next try is. */
  private backoffError(e: Entry): DropdeckError {
    const code = (e.error?.code ?? 'UPSTREAM') as ErrorCode
    const last = e.error?.message ?? `${e.id} is not connected.`
    if (e.gaveUp) return new DropdeckError(code, last, { data: { hostId: e.id, attempt: e.failures, gaveUp: true } })
    const inS = Math.max(1, Math.round(((e.nextAt ?? Date.now()) - Date.now()) / 1000))
    return new DropdeckError(code, `${last} Next try in ${inS} s (attempt ${e.failures + 1}).`, { retryable: true, data: { hostId: e.id, attempt: e.failures, nextAt: e.nextAt ? new Date(e.nextAt).toISOString() : null } })
  }

  private schedule(e: Entry): void {
    if (e.timer || !this.wanted(e)) return
    const base = this.deps.tuning?.backoffBaseMs ?? 500
    const max = this.deps.tuning?.backoffMaxMs ?? 30_000
    const ceiling = Math.min(max, base * 2 ** Math.min(e.failures, 16))
    e.failures++
    // Equal jitter: never sooner than half the step, so a fleet of tunnels does not stampede one sshd.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2)
    e.nextAt = Date.now() + delay
    e.timer = setTimeout(() => {
      e.timer = undefined
      e.nextAt = undefined
      if (this.wanted(e)) this.ensure(e).catch(() => undefined)
    }, delay)
    e.timer.unref?.()
  }

  private async open(e: Entry): Promise<Client> {
    const host = await this.deps.resolve(e.id)
    if (!isHostAddress(host.hostname)) {
      // ssh_config HostName, a droplet's address or a hand-added host: it goes into a CONNECT line and known_hosts.
      throw new DropdeckError('BAD_REQUEST', `${host.id}'s HostName "${JSON.stringify(host.hostname.slice(0, 100)).slice(1, -1)}" is not ${HOST_ADDRESS_HINT}; fix it in the host's settings.`, { data: { hostId: e.id } })
    }
    if (e.viaOverride !== undefined) {
      if (e.viaOverride === null) delete host.proxyJump
      else host.proxyJump = e.viaOverride
    }
    const readyTimeout = this.deps.tuning?.readyTimeoutMs ?? 20_000
    const sock = await this.route(e, host, readyTimeout)

    const entries = await loadKnownHosts([...host.knownHostsFiles, '/etc/ssh/ssh_known_hosts', this.deps.appKnownHosts.file])
    const name = knownHostsName(host.hostKeyAlias ?? host.hostname, host.port)
    // As OpenSSH: ask for the key types on record for this host first, so a host recorded only with its RSA
    // key is checked against that key instead of presenting an ed25519 key nobody has seen.
    const recordedTypes = keyTypesOnRecord(entries, name)
    let verdict: HostKeyVerdict | undefined
    let presented: Buffer | undefined
    const plan = await this.deps.auth.plan(host)
    const attempt = new AuthAttempt(host.user, plan.methods, plan.password)

    const client = new SshClient()
    // We dial direct connections ourselves (ssh2 would otherwise) so that every transport, direct,
    // proxied or through a jump host, can have its packet writes coalesced (see coalesced-writes.ts).
    const dialed = sock ?? net.connect({ host: host.hostname, port: host.port })
    const transport = (this.deps.tuning?.coalesceWrites ?? !ssh2Crypto.bindingAvailable) ? coalesceWrites(dialed) : dialed
    return new Promise<Client>((resolve, reject) => {
      let ready = false
      let lastError: HostError | undefined
      const fail = (err: Error & { level?: string; code?: string }) => {
        e.releaseJump?.()
        e.releaseJump = undefined
        client.removeAllListeners('ready')
        client.on('error', () => undefined)
        client.end()
        transport.destroy()
        reject(this.mapConnectError(err, e, host, { verdict, presented, name, plan, attempt }))
      }
      client.once('handshake', (negotiated) => this.deps.log(`ssh: ${host.id}: ${negotiated.cs.cipher}, ${negotiated.kex}, ${negotiated.serverHostKey}, ${CRYPTO_NOTE}`))
      client.once('ready', () => {
        ready = true
        // Like OpenSSH for forwarded and interactive traffic: no Nagle delay on small writes.
        client.setNoDelay(true)
        resolve(client)
      })
      client.on('error', (err: Error & { level?: string }) => {
        if (!ready) return fail(err)
        lastError = err.level === 'client-timeout'
          ? { code: 'TIMEOUT', message: `${host.id} stopped answering keepalives; reconnecting.` }
          : { code: 'UPSTREAM', message: `The connection to ${host.id} failed: ${err.message}.` }
      })
      client.once('close', () => {
        if (!ready) return fail(Object.assign(new Error('Connection closed during the handshake'), { code: 'ECONNRESET' }))
        this.onClosed(e, client, lastError ?? { code: 'UPSTREAM', message: `${host.id} closed the connection; reconnecting.` })
      })
      const interval = this.deps.tuning?.keepaliveIntervalMs ?? host.serverAliveInterval * 1000
      try {
        client.connect({
          sock: transport,
          username: host.user,
          authHandler: attempt.handler,
          hostVerifier: (key: Buffer) => {
            presented = key
            verdict = checkHostKey(entries, name, key)
            return verdict.kind === 'known'
          },
          keepaliveInterval: interval,
          keepaliveCountMax: this.deps.tuning?.keepaliveCountMax ?? host.serverAliveCountMax,
          readyTimeout,
          algorithms: {
            // AES-GCM runs in OpenSSL with AES-NI: the fastest cipher ssh2 has for tunnel throughput.
            cipher: { prepend: ['aes128-gcm@openssh.com', 'aes256-gcm@openssh.com'] } as never,
            ...(recordedTypes.length ? { serverHostKey: preferredHostKeyAlgorithms(recordedTypes, ssh2Constants.DEFAULT_SERVER_HOST_KEY) as never } : {})
          }
        })
      } catch (err) {
        fail(err as Error)
      }
    })
  }

  /** The stream to the SSH server: through the ProxyJump hop, a proxy, or none (ssh2 dials itself). */
  private async route(e: Entry, host: HostConfig, timeoutMs: number): Promise<Duplex | undefined> {
    if (host.proxyJump) {
      const hops = host.proxyJump.split(',').map((h) => h.trim()).filter(Boolean)
      const last = hops.pop()!
      if (last === e.id) throw new DropdeckError('BAD_REQUEST', `${e.id} names itself as its ProxyJump.`)
      const jump = this.entry(last)
      jump.viaOverride = hops.length ? hops.join(',') : (jump.viaOverride ?? undefined)
      const release = this.retain(last)
      try {
        const jc = await this.waitReady(last, timeoutMs)
        const stream = await new Promise<ClientChannel>((resolve, reject) => {
          jc.forwardOut('127.0.0.1', 0, host.hostname, host.port, (err, ch) => (err ? reject(err) : resolve(ch)))
        })
        e.releaseJump = release
        return stream
      } catch (err) {
        release()
        if (err instanceof DropdeckError) throw err
        throw new DropdeckError('UPSTREAM', `The jump host ${last} could not reach ${host.hostname}:${host.port}: ${(err as Error).message}.`, { retryable: true, data: { jumpHost: last } })
      }
    }
    const proxyUrl = host.proxy ?? this.deps.globalProxy
    if (proxyUrl) {
      const proxy = parseProxyUrl(proxyUrl)
      this.deps.log(`ssh: ${host.id} via ${describeProxy(proxy)}`)
      return connectViaProxy(proxy, host.hostname, host.port, timeoutMs)
    }
    const resolver = this.deps.proxyResolver
    const resolved = await resolver?.resolve(sshProbeUrl(host.hostname, host.port))
    if (resolver && resolved) return connectThroughHops(resolved, host.hostname, host.port, timeoutMs, resolver.credentialsFor?.bind(resolver), this.deps.log)
    return undefined
  }

  private mapConnectError(
    err: Error & { level?: string; code?: string },
    e: Entry,
    host: HostConfig,
    ctx: { verdict?: HostKeyVerdict; presented?: Buffer; name: string; plan: AuthPlan; attempt: AuthAttempt }
  ): DropdeckError {
    if (err instanceof DropdeckError) return err
    const { verdict, presented } = ctx
    if (verdict && presented && verdict.kind !== 'known') {
      const fingerprint = fingerprintSha256(presented)
      const strictNote = /^no$/i.test(host.strictHostKeyChecking ?? '') ? ' (StrictHostKeyChecking no in ssh_config is not honoured: Dropdeck always asks)' : ''
      if (verdict.kind === 'otherType') {
        // OpenSSH's "keys of different type are already known for this host": still the operator's call, with a warning.
        e.pendingKey = { name: ctx.name, blob: presented, fingerprint }
        const known = verdict.knownTypes.join(', ')
        return new DropdeckError('HOST_KEY_UNKNOWN', `WARNING: ${host.id} (${ctx.name}) presented a ${keyTypeOf(presented)} host key (${fingerprint}), but only ${known} ${verdict.knownTypes.length > 1 ? 'keys are' : 'key is'} on record for it and the server did not offer ${verdict.knownTypes.length > 1 ? 'them' : 'it'}. The server may have been rebuilt, or someone may be intercepting the connection: compare the fingerprint with the server's before trusting it${strictNote}.`, {
          data: { hostId: e.id, fingerprint, keyType: keyTypeOf(presented), host: ctx.name, knownTypes: verdict.knownTypes }
        })
      }
      if (verdict.kind === 'unknown') {
        e.pendingKey = { name: ctx.name, blob: presented, fingerprint }
        return new DropdeckError('HOST_KEY_UNKNOWN', `${host.id} (${ctx.name}) presented a ${keyTypeOf(presented)} host key Dropdeck has never seen: ${fingerprint}. Compare it with the server's, then trust it to connect${strictNote}.`, {
          data: { hostId: e.id, fingerprint, keyType: keyTypeOf(presented), host: ctx.name }
        })
      }
      const removeCommand = removeEntryCommand(verdict.file, ctx.name)
      return new DropdeckError('HOST_KEY_MISMATCH', `WARNING: the host key of ${host.id} (${ctx.name}) ${verdict.revoked ? 'is revoked' : 'has changed'}; it is now ${fingerprint}. This can mean someone is intercepting the connection. If the server was rebuilt, remove the old entry (${verdict.file} line ${verdict.line}: ${removeCommand}) and connect again.`, {
        data: { hostId: e.id, fingerprint, file: verdict.file, line: verdict.line, host: ctx.name, removeCommand }
      })
    }
    if (err.level === 'client-authentication') return authFailed(host, e.id, ctx.plan, ctx.attempt)
    if (err.level === 'client-timeout' || /timed out/i.test(err.message)) {
      return new DropdeckError('TIMEOUT', `${host.id} (${host.hostname}:${host.port}) did not complete the SSH handshake in time.`, { retryable: true, data: { hostId: e.id } })
    }
    const netCode = err.code && RETRYABLE_NET.has(err.code) ? err.code : undefined
    const message = netCode === 'ECONNREFUSED'
      ? `${host.hostname}:${host.port} refused the connection (is sshd running?).`
      : `Cannot reach ${host.id} (${host.hostname}:${host.port}): ${err.message}.`
    return new DropdeckError('UPSTREAM', message, { retryable: true, data: { hostId: e.id, ...(err.code ? { cause: err.code } : {}) } })
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
    if (e.timer) clearTimeout(e.timer)
    e.timer = undefined
    e.nextAt = undefined
    e.gaveUp = false
    e.failures = 0
    const client = e.client
    e.client = undefined
    e.releaseJump?.()
    e.releaseJump = undefined
    this.settleWaiters(e, { error: new DropdeckError('UPSTREAM', `${id} was disconnected.`) })
    if (client) await endClient(client)
    this.setState(e, 'idle')
  }

  /** Runs a command on the pooled connection and collects its output. */
  async exec(id: string, command: string, options: { timeoutMs?: number } = {}): Promise<{ stdout: string; stderr: string; code: number | null }> {
    const client = await this.acquire(id)
    return new Promise((resolve, reject) => {
      client.exec(posixCommand(command), (err, stream) => {
        if (err) return reject(new DropdeckError('UPSTREAM', `${id} refused to run the command: ${err.message}.`, { retryable: true }))
        const out: Buffer[] = []
        const errs: Buffer[] = []
        let code: number | null = null
        const timer = options.timeoutMs ? setTimeout(() => {
          stream.close()
          reject(new DropdeckError('TIMEOUT', `The command on ${id} did not finish within ${Math.round(options.timeoutMs! / 1000)} s.`, { retryable: true }))
        }, options.timeoutMs) : undefined
        stream.on('data', (c: Buffer) => out.push(c))
        stream.stderr.on('data', (c: Buffer) => errs.push(c))
        stream.on('exit', (c: number | null) => {
          code = c
        })
        stream.on('close', () => {
          clearTimeout(timer)
          resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errs).toString('utf8'), code })
        })
      })
    })
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

function endClient(client: Client): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.destroy()
      resolve()
    }, 2000)
    client.once('close', () => {
      clearTimeout(timer)
      resolve()
    })
    client.end()
  })
}

function toDropdeckError(err: unknown): DropdeckError {
  if (err instanceof DropdeckError) return err
  const code: ErrorCode = 'UPSTREAM'
  return new DropdeckError(code, err instanceof Error ? err.message : String(err), { retryable: true })
}
