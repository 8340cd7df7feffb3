/**
 * The Docker Engine API on an SSH host: every request runs over its own exec channel on the host's
 * pooled connection, running `docker system dial-stdio` (or `sudo -n docker system dial-stdio` for
 * users outside the docker group), and speaks HTTP/1.1 over that channel with node:http. No CLI text
 * is parsed. Which of the two commands works is remembered per host.
 */
import http from 'node:http'
import type { Duplex } from 'node:stream'
import type { Client, ClientChannel } from 'ssh2'
import { DropdeckError } from '../../shared/errors'

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

interface DialFailure {
  stderr: string
  code: number | null
}

export class DockerEngine {
  /** The dial command that worked, per host. */
  private readonly dial = new Map<string, string>()

  constructor(private readonly deps: EngineDeps) {}

  /** One Engine API request; throws UPSTREAM when Docker cannot be reached, NOT_FOUND on 404. */
  async request(hostId: string, method: string, path: string, options: { timeoutMs?: number } = {}): Promise<EngineResponse> {
    const known = this.dial.get(hostId)
    const candidates = known ? [known] : [DIAL, SUDO_DIAL]
    const failures: DialFailure[] = []
    for (const command of candidates) {
      const client = await this.deps.acquire(hostId)
      const attempt = await this.once(hostId, client, command, method, path, options.timeoutMs ?? 30_000)
      if ('status' in attempt) {
        this.dial.set(hostId, command)
        return checked(hostId, method, path, attempt)
      }
      failures.push(attempt)
    }
    this.dial.delete(hostId)
    if (known) {
      // It worked before: the daemon (or our access) went away since. Say what docker said.
      throw new DropdeckError('UPSTREAM', `${hostId}: docker did not answer (${describe(failures[0])}).`, { retryable: true })
    }
    const user = await this.deps.userOf(hostId).catch(() => 'the user')
    throw new DropdeckError('UPSTREAM', `${hostId}: docker is not installed, or ${user} is not in the docker group and sudo -n is not allowed (${describe(failures[0])}).`, {
      data: { attempts: failures.map((f, i) => ({ command: candidates[i], exitCode: f.code, stderr: f.stderr.slice(0, 2000) })) }
    })
  }

  /** Runs one request on a fresh dial-stdio channel; a response, or why the channel gave none. */
  private async once(hostId: string, client: Client, command: string, method: string, path: string, timeoutMs: number): Promise<EngineResponse | DialFailure> {
    const channel = await new Promise<ClientChannel>((resolve, reject) =>
      client.exec(command, (err, stream) => (err ? reject(new DropdeckError('UPSTREAM', `${hostId} refused to open a channel for docker: ${err.message}.`, { retryable: true })) : resolve(stream)))
    )
    const stderr: Buffer[] = []
    let code: number | null = null
    channel.stderr.on('data', (c: Buffer) => stderr.push(c))
    channel.on('exit', (c: number | null) => {
      code = c
    })
    const closed = new Promise<void>((resolve) => channel.once('close', () => resolve()))
    try {
      return await new Promise<EngineResponse>((resolve, reject) => {
        const req = http.request(
          {
            method,
            path: API + path,
            headers: { Host: 'docker', Accept: 'application/json' },
            agent: channelAgent(channel),
            timeout: timeoutMs
          },
          (res) => {
            const chunks: Buffer[] = []
            res.on('data', (c: Buffer) => chunks.push(c))
            res.on('error', reject)
            res.on('end', () => {
              const body = Buffer.concat(chunks)
              resolve({ status: res.statusCode ?? 0, body, json: <T>() => JSON.parse(body.toString('utf8')) as T })
            })
          }
        )
        req.on('timeout', () => req.destroy(new DropdeckError('TIMEOUT', `${hostId}: docker did not answer ${method} ${path} within ${Math.round(timeoutMs / 1000)} s.`, { retryable: true })))
        req.on('error', reject)
        req.end()
      })
    } catch (err) {
      if (err instanceof DropdeckError) throw err
      // The channel closed without an HTTP response: the dial command failed. Wait for its exit status.
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2000))])
      return { stderr: Buffer.concat(stderr).toString('utf8').trim() || (err as Error).message, code }
    } finally {
      channel.close()
    }
  }
}

/** An agent whose one connection is the channel, closed after the response (no keep-alive). */
function channelAgent(channel: ClientChannel): http.Agent {
  const agent = new http.Agent({ keepAlive: false, maxSockets: 1 })
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
