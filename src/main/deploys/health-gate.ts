/**
 * The health gate a new version must pass before the switch: the container's Docker health check when
 * it has one; else the service's HTTP health URL, requested from the host itself (through the SSH
 * connection, so an endpoint listening on the droplet's 127.0.0.1 answers); else "still running after a
 * short readiness delay". N consecutive successes within the timeout; an exit or `unhealthy` fails at once.
 */
import http from 'node:http'
import type { Client } from 'ssh2'
import type { HostDocker } from './host-docker'

export interface GateOptions {
  timeoutMs: number
  successes: number
  healthUrl: string | null
  expectStatus: number
  /** ms between polls of the container (and between HTTP checks); default 250. */
  intervalMs?: number
  signal?: AbortSignal
  /** The host's SSH client, for HTTP checks from the host. */
  client?: () => Promise<Client>
}

export interface GateResult {
  healthy: boolean
  /** What the checks said, oldest first (Docker's health log outputs or HTTP answers). */
  output: string[]
  /** One line: "healthy after 3 checks (Docker health check)" or why not. */
  detail: string
  /** When the first successful check ended (ms epoch), for the gap. */
  healthyAt: number | null
}

const READINESS_MS = 3000

export async function healthGate(docker: HostDocker, containerId: string, options: GateOptions): Promise<GateResult> {
  const interval = options.intervalMs ?? 250
  const deadline = Date.now() + options.timeoutMs
  const first = await docker.inspect(containerId)
  const hasHealthcheck = Boolean(first.Config.Healthcheck?.Test?.length && first.Config.Healthcheck.Test[0] !== 'NONE')
  const output: string[] = []
  let ok = 0
  const startedAt = Date.now()
  for (;;) {
    if (options.signal?.aborted) return { healthy: false, output, detail: 'cancelled', healthyAt: null }
    const c = await docker.inspect(containerId)
    if (!c.State.Running) {
      return { healthy: false, output: healthLog(c, output), detail: `the container stopped (exit code ${c.State.ExitCode})`, healthyAt: null }
    }
    if (hasHealthcheck) {
      const status = c.State.Health?.Status
      if (status === 'healthy') return { healthy: true, output: healthLog(c, output), detail: 'healthy (Docker health check)', healthyAt: Date.now() }
      if (status === 'unhealthy') return { healthy: false, output: healthLog(c, output), detail: 'unhealthy (Docker health check)', healthyAt: null }
    } else if (options.healthUrl && options.client) {
      const answer = await httpCheck(await options.client(), options.healthUrl, Math.min(5000, Math.max(1000, deadline - Date.now())))
      output.push(answer.line)
      if (output.length > 20) output.shift()
      ok = answer.status === options.expectStatus ? ok + 1 : 0
      if (ok >= options.successes) return { healthy: true, output, detail: `${options.healthUrl} answered ${options.expectStatus} ${ok} time${ok > 1 ? 's' : ''} in a row`, healthyAt: Date.now() }
    } else if (Date.now() - startedAt >= READINESS_MS) {
      return { healthy: true, output, detail: `no health check: still running after ${READINESS_MS / 1000} s`, healthyAt: Date.now() }
    }
    if (Date.now() >= deadline) {
      const what = hasHealthcheck ? `still ${c.State.Health?.Status ?? 'starting'}` : `no ${options.expectStatus} from ${options.healthUrl}`
      return { healthy: false, output: hasHealthcheck ? healthLog(c, output) : output, detail: `${what} after ${Math.round(options.timeoutMs / 1000)} s`, healthyAt: null }
    }
    await sleep(interval, options.signal)
  }
}

function healthLog(c: Awaited<ReturnType<HostDocker['inspect']>>, fallback: string[]): string[] {
  const log = c.State.Health?.Log
  if (!log?.length) return fallback
  return log.slice(-5).map((l) => `exit ${l.ExitCode}: ${l.Output.trim()}`.slice(0, 2000))
}

/** One GET of `url` from the host itself: a direct-tcpip channel to the URL's host and port on the droplet. */
export async function httpCheck(client: Client, url: string, timeoutMs: number): Promise<{ status: number | null; line: string }> {
  const u = new URL(url)
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80))
  const at = new Date().toISOString()
  try {
    const channel = await new Promise<import('ssh2').ClientChannel>((resolve, reject) => client.forwardOut('127.0.0.1', 0, u.hostname, port, (err, ch) => (err ? reject(err) : resolve(ch))))
    const agent = new http.Agent({ keepAlive: false, maxSockets: 1 })
    agent.createConnection = () => {
      const s = channel as unknown as Record<string, unknown>
      for (const name of ['setNoDelay', 'setKeepAlive', 'ref', 'unref', 'setTimeout']) if (typeof s[name] !== 'function') s[name] = () => channel
      return channel as never
    }
    const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs)
      const req = http.request({ method: 'GET', host: u.hostname, port, path: u.pathname + u.search, agent, headers: { Host: u.host, 'User-Agent': 'Dropdeck health gate' } }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (d: string) => {
          if (body.length < 500) body += d
        })
        res.on('end', () => {
          clearTimeout(timer)
          resolve({ status: res.statusCode ?? 0, body })
        })
        res.on('error', reject)
      })
      req.on('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
      req.end()
    }).finally(() => channel.close())
    return { status: result.status, line: `${at} GET ${url} → ${result.status} ${result.body.trim().slice(0, 200)}` }
  } catch (err) {
    return { status: null, line: `${at} GET ${url} → ${(err as Error).message}` }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}
