// A few Docker Engine API calls over the daemon's unix socket with plain node:http: what the
// bench needs to seed and inspect its dockerd, and what tests use to look at it, with no client
// library in between.
import http from 'node:http'

export interface DockerResponse {
  status: number
  text: string
  json<T = unknown>(): T
}

export interface DockerRequestOptions {
  query?: Record<string, string | number | boolean | string[] | undefined>
  /** An object is sent as JSON; a Buffer as-is (e.g. a tar). */
  body?: unknown
  contentType?: string
  timeoutMs?: number
}

export function dockerRequest(socketPath: string, method: string, path: string, opts: DockerRequestOptions = {}): Promise<DockerResponse> {
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(opts.query ?? {})) {
    if (v === undefined) continue
    for (const item of Array.isArray(v) ? v : [v]) qs.append(k, String(item))
  }
  const fullPath = qs.size ? `${path}?${qs}` : path
  const isBuffer = Buffer.isBuffer(opts.body)
  const payload = opts.body === undefined ? undefined : isBuffer ? (opts.body as Buffer) : Buffer.from(JSON.stringify(opts.body))
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        socketPath,
        method,
        path: fullPath,
        headers: {
          host: 'docker',
          ...(payload ? { 'content-type': opts.contentType ?? (isBuffer ? 'application/x-tar' : 'application/json'), 'content-length': payload.length } : {}),
        },
        timeout: opts.timeoutMs ?? 60_000,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({ status: res.statusCode ?? 0, text, json: <T>() => JSON.parse(text) as T })
        })
        res.on('error', reject)
      },
    )
    req.on('timeout', () => req.destroy(new Error(`docker ${method} ${path}: timed out`)))
    req.on('error', reject)
    req.end(payload)
  })
}

/** Like dockerRequest, but a 4xx/5xx becomes an Error carrying the daemon's own message. */
export async function dockerCall(socketPath: string, method: string, path: string, opts: DockerRequestOptions = {}): Promise<DockerResponse> {
  const res = await dockerRequest(socketPath, method, path, opts)
  if (res.status >= 400) {
    let message = res.text.trim()
    try {
      message = (JSON.parse(res.text) as { message?: string }).message ?? message
    } catch {
      /* not JSON */
    }
    throw new Error(`docker ${method} ${path} -> ${res.status}: ${message}`)
  }
  return res
}

/** Progress streams (import, pull) answer 200 and report failure inside the stream. */
export function streamError(text: string): string | undefined {
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    try {
      const msg = JSON.parse(line) as { error?: string; errorDetail?: { message?: string } }
      if (msg.error) return msg.errorDetail?.message ?? msg.error
    } catch {
      /* partial line */
    }
  }
  return undefined
}

/** The subset of GET /containers/json the bench looks at. */
export interface ContainerSummary {
  Id: string
  Names: string[]
  Image: string
  State: string
  Status: string
  Labels: Record<string, string>
}

/** All containers (like `docker ps -a`), or only running ones with all: false (like `docker ps`). */
export async function listContainers(socketPath: string, filters?: Record<string, string[]>, opts: { all?: boolean } = {}): Promise<ContainerSummary[]> {
  const res = await dockerCall(socketPath, 'GET', '/containers/json', { query: { all: opts.all ?? true, filters: filters ? JSON.stringify(filters) : undefined } })
  return res.json<ContainerSummary[]>()
}

/** "healthy" | "unhealthy" | "starting" | "none": parsed from Status ("Up 3 seconds (healthy)"). */
export function healthOf(c: ContainerSummary): string {
  return /\((healthy|unhealthy|health: starting)\)/.exec(c.Status)?.[1]?.replace('health: ', '') ?? 'none'
}
