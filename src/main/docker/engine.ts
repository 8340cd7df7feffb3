/**
 * The Docker Engine API on an SSH host: every request runs over its own exec channel on the host's
 * pooled connection, running `docker system dial-stdio` (or `sudo -n docker system dial-stdio` for
 * users outside the docker group), and speaks HTTP/1.1 over that channel with node:http. No CLI text
 * is parsed. Which of the two commands works is remembered per host.
 */
import http from 'node:http'
import type { Duplex, Readable } from 'node:stream'
import type { Client, ClientChannel } from 'ssh2'
import { DropdeckError } from '../../shared/errors'
import { posixCommand } from '../ssh/remote-command'
import { requestRaw, type RawRequestOptions, type ResponseHeadSplitter } from './raw-stream'

const DIAL = 'docker system dial-stdio'
const SUDO_DIAL = 'sudo -n docker system dial-stdio'
/** The Engine API version Dropdeck speaks (Docker 20.10+). */
const API = '/v1.41'

export interface EngineDeps {
  /** The host's pooled client (connects if needed). */
  acquire(hostId: string): Promise<Client>
  /** The host's login user, for the "not in the docker group" message. */
  userOf(hostId: string): Promise<string>
}

export interface EngineResponse {
  status: number
  body: Buffer
  json<T>(): T
}

export interface StreamOptions {
  /** Aborting closes the stream (and its channel). */
  signal?: AbortSignal
  /** How long to wait for the response's status line; the body itself may run for ever. */
  timeoutMs?: number
  /** More request headers, e.g. X-Registry-Auth for a pull. */
  headers?: Record<string, string>
}

/** A long Engine API response (`/events`, `/containers/{id}/logs?follow=1`) on its own channel. */
export interface EngineStream {
  status: number
  /** The response body, as it arrives (chunked encoding already undone). Ends when docker ends it or the stream is closed. */
  body: Readable
  /** Closes the body and the dial-stdio channel; idempotent. */
  close(): void
}

/** A hijacked exec connection: the process's TTY output, its input, and the channel under both. */
export interface EngineUpgraded {
  /** The TTY's output as it arrives; ends when the process ends or the channel closes. */
  output: Readable
  /** For back-pressure (pause/resume) and its close. */
  channel: ClientChannel
  write(data: string | Buffer): void
  close(): void
}

interface DialFailure {
  dialFailed: true
  stderr: string
  code: number | null
}

/** A stream's response head on its raw channel; the body is still to be read. */
interface RawOpened {
  body: ResponseHeadSplitter
  channel: ClientChannel
  status: number
}

/** The response head on an open channel; the body is still to be read. */
interface Opened {
  res: http.IncomingMessage
  channel: ClientChannel
  agent: http.Agent
}

/**
 * Requests one after another over one kept-open dial-stdio channel (HTTP keep-alive), for many small
 * requests in a row (the watch's re-inspects): no new channel and no new docker process per request.
 */
export interface EngineSession {
  /** Same errors as DockerEngine.request; UPSTREAM once the channel is gone. */
  request(method: string, path: string, options?: { timeoutMs?: number; body?: unknown }): Promise<EngineResponse>
  readonly open: boolean
  close(): void
}

export class DockerEngine {
  /** The dial command that worked, per host. */
  private readonly dial = new Map<string, string>()

  constructor(private readonly deps: EngineDeps) {}

  /** One Engine API request; throws UPSTREAM when Docker cannot be reached, NOT_FOUND on 404. */
  async request(hostId: string, method: string, path: string, options: { timeoutMs?: number; body?: unknown } = {}): Promise<EngineResponse> {
    const timeoutMs = options.timeoutMs ?? 30_000
    const res = await this.dialled(hostId, async (client, command) => {
      const opened = await this.open(hostId, client, command, method, path, timeoutMs, undefined, false, options.body)
      if ('dialFailed' in opened) return opened
      try {
        return await readAll(opened.res)
      } finally {
        opened.channel.close()
      }
    })
    return checked(hostId, method, path, res)
  }

  /**
   * A streaming request on its own dial-stdio channel: resolves once the response head arrived, with
   * the body still flowing. Non-2xx answers throw the same errors as `request` (and close the channel).
   */
  async stream(hostId: string, method: string, path: string, options: StreamOptions = {}): Promise<EngineStream> {
    const { signal } = options
    if (signal?.aborted) throw aborted(hostId, method, path)
    const opened = await this.dialled(hostId, (client, command) => this.openRaw(hostId, client, command, method, path, options.timeoutMs ?? 30_000, signal, options.headers ? { headers: options.headers } : undefined))
    const { body, channel, status } = opened
    if (status >= 300 && status !== 304) {
      try {
        checked(hostId, method, path, await readBody(body, status))
      } finally {
        channel.close()
      }
    }
    let closed = false
    const close = () => {
      if (closed) return
      closed = true
      signal?.removeEventListener('abort', close)
      body.destroy()
      channel.close()
    }
    signal?.addEventListener('abort', close, { once: true })
    // When docker ends the response the channel closes and the pipe ends the body: readers get every
    // byte, then 'end'. Only close() (or the signal) cuts it short.
    body.once('close', close)
    return { status, body, close }
  }

  /**
   * A hijacked connection (POST /exec/{id}/start with a TTY): resolves once docker answered 101, with
   * the process's output as `body` and its input written with `write`. Ends when the process ends or
   * `close` is called (which closes the channel; the process itself keeps running: see container-exec.ts).
   */
  async upgrade(hostId: string, path: string, body: unknown, options: { timeoutMs?: number } = {}): Promise<EngineUpgraded> {
    const opened = await this.dialled(hostId, (client, command) => this.openRaw(hostId, client, command, 'POST', path, options.timeoutMs ?? 30_000, undefined, { upgrade: true, body }))
    const { body: output, channel, status } = opened
    if (status !== 101) {
      try {
        checked(hostId, 'POST', path, await readBody(output, status))
      } finally {
        channel.close()
      }
      throw new DropdeckError('UPSTREAM', `${hostId}: docker did not hand over the exec session (HTTP ${status}).`, { retryable: true })
    }
    return {
      output,
      channel,
      write: (data) => void channel.write(data),
      close: () => {
        output.destroy()
        channel.close()
      }
    }
  }

  /** A session: one dial-stdio channel kept open for sequential requests (see EngineSession). */
  async session(hostId: string): Promise<EngineSession> {
    const opened = await this.dialled(hostId, (client, command) => this.open(hostId, client, command, 'GET', '/_ping', 30_000, undefined, true))
    const { channel, agent } = opened
    let open = true
    const close = () => {
      open = false
      agent.destroy()
      channel.close()
    }
    channel.once('close', () => {
      open = false
    })
    await readAll(opened.res)
    // One request at a time: the channel carries one HTTP connection.
    let queue: Promise<unknown> = Promise.resolve()
    const request = (method: string, path: string, options: { timeoutMs?: number; body?: unknown } = {}) => {
      const run = async () => {
        if (!open) throw new DropdeckError('UPSTREAM', `${hostId}: the docker session closed.`, { retryable: true })
        try {
          return checked(hostId, method, path, await readAll(await send(agent, hostId, method, path, options.timeoutMs ?? 30_000, undefined, options.body)))
        } catch (err) {
          if (err instanceof DropdeckError && (err.code === 'NOT_FOUND' || err.code === 'UPSTREAM') && open) throw err
          close()
          throw err instanceof DropdeckError ? err : new DropdeckError('UPSTREAM', `${hostId}: the docker session broke (${(err as Error).message}).`, { retryable: true })
        }
      }
      const result = queue.then(run, run)
      queue = result.catch(() => undefined)
      return result
    }
    return {
      request,
      get open() {
        return open
      },
      close
    }
  }

  /** Runs `attempt` with the dial command that worked before, or tries both; throws the UPSTREAM message when none works. */
  private async dialled<T extends object>(hostId: string, attempt: (client: Client, command: string) => Promise<T | DialFailure>): Promise<T> {
    const known = this.dial.get(hostId)
    const candidates = known ? [known] : [DIAL, SUDO_DIAL]
    const failures: DialFailure[] = []
    for (const command of candidates) {
      const client = await this.deps.acquire(hostId)
      const result = await attempt(client, command)
      if (!('dialFailed' in result)) {
        this.dial.set(hostId, command)
        return result
      }
      failures.push(result)
    }
    this.dial.delete(hostId)
    if (known) {
      // It worked before: the daemon (or our access) went away since. Say what docker said.
      throw new DropdeckError('UPSTREAM', `${hostId}: docker did not answer (${describe(failures[0])}). Check that the Docker daemon is running on the host (systemctl status docker).`, { retryable: true })
    }
    const user = await this.deps.userOf(hostId).catch(() => 'the user')
    throw new DropdeckError('UPSTREAM', `${hostId}: ${whyNoDocker(user, failures)} (${describe(failures[0])}).`, {
      retryable: failures.some(daemonDown),
      data: { attempts: failures.map((f, i) => ({ command: candidates[i], exitCode: f.code, stderr: f.stderr.slice(0, 2000) })) }
    })
  }

  /** Like open, for a stream: the request as HTTP/1.0 on a raw channel (./raw-stream.ts), resolved at the response head. */
  private async openRaw(hostId: string, client: Client, command: string, method: string, path: string, timeoutMs: number, signal?: AbortSignal, request?: RawRequestOptions): Promise<RawOpened | DialFailure> {
    const { channel, failure } = await dialChannel(hostId, client, command)
    const body = requestRaw(channel, method, API + path, request)
    let timer: NodeJS.Timeout | undefined
    let onAbort: (() => void) | undefined
    try {
      const head = await Promise.race([
        body.response,
        new Promise<never>((_resolve, reject) => {
          // The channel is no net.Socket: time the response head here.
          timer = setTimeout(() => reject(new DropdeckError('TIMEOUT', `${hostId}: docker did not answer ${method} ${path.split('?')[0]} within ${Math.round(timeoutMs / 1000)} s.`, { retryable: true })), timeoutMs)
          onAbort = () => reject(aborted(hostId, method, path))
          signal?.addEventListener('abort', onAbort, { once: true })
        })
      ])
      return { body, channel, status: head.status }
    } catch (err) {
      if (err instanceof DropdeckError) {
        body.destroy()
        channel.close()
        throw err
      }
      return failure(err as Error)
    } finally {
      clearTimeout(timer)
      if (onAbort) signal?.removeEventListener('abort', onAbort)
    }
  }

  /** Opens a fresh dial-stdio channel and sends one request; the response head, or why the channel gave none. */
  private async open(hostId: string, client: Client, command: string, method: string, path: string, timeoutMs: number, signal?: AbortSignal, keepAlive = false, body?: unknown): Promise<Opened | DialFailure> {
    const { channel, failure } = await dialChannel(hostId, client, command)
    const agent = channelAgent(channel, keepAlive)
    try {
      return { res: await send(agent, hostId, method, path, timeoutMs, signal, body), channel, agent }
    } catch (err) {
      if (err instanceof DropdeckError) {
        channel.close()
        throw err
      }
      return failure(err as Error)
    }
  }
}

/**
 * Runs the dial command on a new exec channel. `failure` is for a channel that closed without an HTTP
 * response: it waits (briefly) for the command's exit status and says what the command printed.
 */
async function dialChannel(hostId: string, client: Client, command: string): Promise<{ channel: ClientChannel; failure(err: Error): Promise<DialFailure> }> {
  const channel = await new Promise<ClientChannel>((resolve, reject) =>
    client.exec(posixCommand(command), (err, stream) => (err ? reject(new DropdeckError('UPSTREAM', `${hostId} refused to open a channel for docker: ${err.message}.`, { retryable: true })) : resolve(stream)))
  )
  const stderr: Buffer[] = []
  let code: number | null = null
  channel.stderr.on('data', (c: Buffer) => stderr.push(c))
  channel.on('exit', (c: number | null) => {
    code = c
  })
  const closed = new Promise<void>((resolve) => channel.once('close', () => resolve()))
  return {
    channel,
    async failure(err) {
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2000))])
      channel.close()
      return { dialFailed: true, stderr: Buffer.concat(stderr).toString('utf8').trim() || err.message, code }
    }
  }
}

/** Sends one request (with `body` as JSON, if any) through `agent` (whose one connection is a dial-stdio channel); resolves with the response head. */
function send(agent: http.Agent, hostId: string, method: string, path: string, timeoutMs: number, signal?: AbortSignal, body?: unknown): Promise<http.IncomingMessage> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8')
  const headers: http.OutgoingHttpHeaders = { Host: 'docker', Accept: 'application/json' }
  if (payload) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': payload.length })
  return new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.request({ method, path: API + path, headers, agent }, (res) => {
      cleanup()
      resolve(res)
    })
    // The channel is no net.Socket, so node's socket timeout never fires: time the response head here.
    const timer = setTimeout(() => req.destroy(new DropdeckError('TIMEOUT', `${hostId}: docker did not answer ${method} ${path.split('?')[0]} within ${Math.round(timeoutMs / 1000)} s.`, { retryable: true })), timeoutMs)
    const onAbort = () => req.destroy(aborted(hostId, method, path))
    const cleanup = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    req.on('error', (err) => {
      cleanup()
      reject(err)
    })
    req.end(payload)
  })
}

function readBody(body: Readable, status: number): Promise<EngineResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    body.on('data', (c: Buffer) => chunks.push(c))
    body.on('error', reject)
    body.on('end', () => {
      const all = Buffer.concat(chunks)
      resolve({ status, body: all, json: <T>() => JSON.parse(all.toString('utf8')) as T })
    })
  })
}

function readAll(res: http.IncomingMessage): Promise<EngineResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    res.on('data', (c: Buffer) => chunks.push(c))
    res.on('error', reject)
    res.on('end', () => {
      const body = Buffer.concat(chunks)
      resolve({ status: res.statusCode ?? 0, body, json: <T>() => JSON.parse(body.toString('utf8')) as T })
    })
  })
}

function aborted(hostId: string, method: string, path: string): DropdeckError {
  return new DropdeckError('TIMEOUT', `${hostId}: ${method} ${path.split('?')[0]} was cancelled.`, { retryable: true })
}

/**
 * An agent whose one connection is the channel: closed after the response, or with `keepAlive`, kept
 * for the next request (HTTP/1.1 keep-alive through dial-stdio). Once the channel is gone the agent
 * hands out nothing else: requests on it fail.
 */
function channelAgent(channel: ClientChannel, keepAlive = false): http.Agent {
  const agent = new http.Agent({ keepAlive, maxSockets: 1 })
  agent.createConnection = () => asSocket(channel) as never
  return agent
}

/** node:http calls a few net.Socket methods on its connection; an SSH channel has none of them. */
function asSocket(channel: ClientChannel): Duplex {
  const s = channel as unknown as Record<string, unknown>
  for (const name of ['setNoDelay', 'setKeepAlive', 'ref', 'unref']) if (typeof s[name] !== 'function') s[name] = () => channel
  if (typeof s.setTimeout !== 'function') s.setTimeout = () => channel
  return channel
}

const notInstalled = (f: DialFailure) => f.code === 127 || /docker: (command )?not found/i.test(f.stderr)
// dial-stdio says `dial unix …: connect: no such file or directory` when no daemon made its socket.
const daemonDown = (f: DialFailure) => /Cannot connect to the Docker daemon|Is the docker daemon running|: connect: (no such file or directory|connection refused)/i.test(f.stderr)
const sudoRefused = (f: DialFailure) => /sudo: (a password is required|.*not allowed|.*may not run)|not in the sudoers/i.test(f.stderr)

/** What the operator should do, from what `docker` and `sudo -n docker` said. */
function whyNoDocker(user: string, failures: DialFailure[]): string {
  const [direct, sudo] = failures
  if (direct && notInstalled(direct)) return `docker is not installed (no docker command on ${user}'s PATH). Install Docker on the host, or use a host that has it`
  if (failures.some(daemonDown)) return 'the Docker daemon is not running. Start it on the host (sudo systemctl start docker) and retry'
  if (sudo && sudoRefused(sudo)) {
    return `${user} is not in the docker group and sudo -n is not allowed. Add ${user} to the docker group (sudo usermod -aG docker ${user}, then reconnect), or allow it passwordless sudo for docker in /etc/sudoers.d`
  }
  return `docker is not installed, or ${user} is not in the docker group and sudo -n is not allowed. Check that \`docker info\` works for ${user} on the host`
}

function describe(f: DialFailure | undefined): string {
  if (!f) return 'no answer'
  const text = f.stderr.split('\n').filter(Boolean).slice(-2).join(' ').slice(0, 300)
  return `${text || 'no output'}${f.code === null ? '' : `, exit ${f.code}`}`
}

function checked(hostId: string, method: string, path: string, res: EngineResponse): EngineResponse {
  if (res.status < 300 || res.status === 304) return res
  let message = res.body.toString('utf8').slice(0, 500)
  try {
    message = (JSON.parse(message) as { message?: string }).message ?? message
  } catch {
    /* not JSON: keep the text */
  }
  if (res.status === 404) throw new DropdeckError('NOT_FOUND', `${hostId}: ${message}`)
  throw new DropdeckError('UPSTREAM', `${hostId}: docker refused ${method} ${path.split('?')[0]}: ${message} (HTTP ${res.status}).`, { retryable: res.status >= 500 })
}
