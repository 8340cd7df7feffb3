// The HTTP machinery both provider stubs share: a route table with {param} templates, a request
// log, latency, and faults on demand (429, 5xx, malformed JSON, connection reset, a redirect). What differs
// between providers (auth, error envelopes, headers) comes in through a ProviderAdapter.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface StubRequest {
  method: string
  /** Path below the provider's base path, e.g. /v2/droplets/3164444 or /zones. */
  path: string
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
  body: unknown
  params: Record<string, string>
  /** Absolute URL of the stub's API root, for pagination links. */
  baseUrl: string
}

export interface StubResponse {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export type Handler = (req: StubRequest) => StubResponse

export interface Route {
  method: string
  path: string
  handler: Handler
}

export type FaultKind = 'rate-limit' | 'server-error' | 'forbidden' | 'malformed-json' | 'reset' | 'redirect'

export interface Fault {
  kind: FaultKind
  /** For server-error: 500 (default), 502, 503. */
  status?: number
  /** For redirect: where to (the Location header); with status 301, 302, 307 (default) or 308. */
  location?: string
  /** For rate-limit: the Retry-After value (default 1). */
  retryAfterSeconds?: number
  /** How many matching requests it affects; default: all until cleared. */
  times?: number
  /** Only requests that match: method and/or path below the API root (/v2/droplets, /zones), as a prefix or a RegExp, and query parameters (e.g. {page: '3'}). */
  match?: { method?: string; path?: string | RegExp; query?: Record<string, string> }
}

export interface LoggedRequest {
  at: number
  method: string
  path: string
  query: string
  authorization?: string
  body?: unknown
  status: number
  fault?: FaultKind
}

export interface ProviderAdapter {
  /** '' for DigitalOcean, '/client/v4' for Cloudflare. */
  basePath: string
  /** An error response if the request is not authenticated, else undefined. */
  authenticate(req: StubRequest): StubResponse | undefined
  /** The provider's error envelope for a status (404, 429, 500...). */
  errorBody(status: number, message?: string): unknown
  /** Extra headers on a 429 (DigitalOcean: ratelimit-remaining 0). */
  rateLimitedHeaders?: Record<string, string>
  /** Headers on every response (rate-limit headers); may itself answer 429. */
  beforeRespond?(req: StubRequest): { headers: Record<string, string>; limited?: StubResponse }
}

export interface StubServerOptions {
  routes: Route[]
  adapter: ProviderAdapter
  host?: string
  /** 0 (default) lets the kernel pick. */
  port?: number
  latencyMs?: number
  faults?: Fault[]
}

export interface StubServer {
  url: string
  port: number
  requests: LoggedRequest[]
  /** Replace all faults with this one (null clears). */
  setFault(fault: Fault | null): void
  addFault(fault: Fault): void
  setLatency(ms: number): void
  stop(): Promise<void>
}

function compile(template: string): { regex: RegExp; names: string[] } {
  const names: string[] = []
  const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name)
    return '([^/]+)'
  })
  return { regex: new RegExp(`^${source}/?$`), names }
}

function faultMatches(f: Fault, method: string, path: string, query: URLSearchParams): boolean {
  if (f.match?.method && f.match.method.toUpperCase() !== method) return false
  if (f.match?.query && Object.entries(f.match.query).some(([k, v]) => query.get(k) !== v)) return false
  const p = f.match?.path
  if (p instanceof RegExp) return p.test(path)
  if (typeof p === 'string') return path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`) || path.startsWith(`${p}?`)
  return true
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

export async function startStubServer(opts: StubServerOptions): Promise<StubServer> {
  const routes = opts.routes.map((r) => ({ ...r, method: r.method.toUpperCase(), ...compile(r.path) }))
  const faults: Fault[] = [...(opts.faults ?? [])]
  const requests: LoggedRequest[] = []
  let latencyMs = opts.latencyMs ?? 0
  const host = opts.host ?? '127.0.0.1'
  let baseUrl = ''
  const { adapter } = opts

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub')
    const method = (req.method ?? 'GET').toUpperCase()
    const log: LoggedRequest = { at: Date.now(), method, path: url.pathname, query: url.search, authorization: req.headers.authorization, status: 0 }
    requests.push(log)
    const send = (r: StubResponse, extra: Record<string, string> = {}, raw?: string) => {
      log.status = r.status
      const headers: Record<string, string> = { ...extra, ...r.headers }
      let payload = raw
      if (payload === undefined && r.body !== undefined && r.status !== 204) payload = JSON.stringify(r.body)
      if (payload !== undefined) headers['content-type'] = 'application/json; charset=utf-8'
      res.writeHead(r.status, headers)
      res.end(payload)
    }

    let text: string
    try {
      text = await readBody(req)
    } catch {
      return
    }
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs))
    if (!url.pathname.startsWith(adapter.basePath)) return send({ status: 404, body: adapter.errorBody(404) })
    const path = url.pathname.slice(adapter.basePath.length) || '/'
    const stubReq: StubRequest = { method, path, query: url.searchParams, headers: req.headers, body: undefined, params: {}, baseUrl }
    const pre = adapter.beforeRespond?.(stubReq) ?? { headers: {} }
    if (text) {
      try {
        stubReq.body = JSON.parse(text)
        log.body = stubReq.body
      } catch {
        return send({ status: 400, body: adapter.errorBody(400, 'The request body is not valid JSON.') }, pre.headers)
      }
    }

    const denied = adapter.authenticate(stubReq)
    if (denied) return send(denied, pre.headers)

    const fault = faults.find((f) => faultMatches(f, method, path, url.searchParams))
    if (fault) {
      log.fault = fault.kind
      if (fault.times !== undefined && --fault.times <= 0) faults.splice(faults.indexOf(fault), 1)
      if (fault.kind === 'reset') {
        log.status = -1
        req.socket.destroy()
        return
      }
      if (fault.kind === 'rate-limit') {
        return send({ status: 429, body: adapter.errorBody(429), headers: { ...adapter.rateLimitedHeaders, 'retry-after': String(fault.retryAfterSeconds ?? 1) } }, pre.headers)
      }
      if (fault.kind === 'redirect') {
        return send({ status: fault.status ?? 307, headers: { location: fault.location ?? '/' } }, pre.headers)
      }
      if (fault.kind === 'forbidden') {
        // what a token without the scope for this endpoint gets: authenticated, not allowed
        return send({ status: 403, body: adapter.errorBody(403) }, pre.headers)
      }
      if (fault.kind === 'server-error') {
        const status = fault.status ?? 500
        return send({ status, body: adapter.errorBody(status) }, pre.headers)
      }
    }
    if (pre.limited) return send(pre.limited, pre.headers)

    let answer: StubResponse
    const onPath = routes.map((r) => ({ r, m: r.regex.exec(path) })).filter((x) => x.m)
    const hit = onPath.find((x) => x.r.method === method)
    if (!onPath.length) answer = { status: 404, body: adapter.errorBody(404) }
    else if (!hit) answer = { status: 405, body: adapter.errorBody(405) }
    else {
      stubReq.params = Object.fromEntries(hit.r.names.map((n, i) => [n, decodeURIComponent(hit.m![i + 1])]))
      try {
        answer = hit.r.handler(stubReq)
      } catch (e) {
        answer = { status: 500, body: adapter.errorBody(500, (e as Error).message) }
      }
    }
    if (fault?.kind === 'malformed-json') {
      // a real answer cut off halfway, as a proxy or a dropped connection would leave it
      const full = JSON.stringify(answer.body ?? {})
      return send({ ...answer, status: 200 }, pre.headers, full.slice(0, Math.max(1, Math.floor(full.length / 2))))
    }
    send(answer, pre.headers)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  baseUrl = `http://${host}:${port}${adapter.basePath}`

  return {
    url: baseUrl,
    port,
    requests,
    setFault: (f) => faults.splice(0, faults.length, ...(f ? [{ ...f }] : [])),
    addFault: (f) => faults.push({ ...f }),
    setLatency: (ms) => {
      latencyMs = ms
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
