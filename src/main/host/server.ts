/**
 * The headless host: the real main-process services without Electron. Serves the built renderer
 * at `/` and JSON-RPC 2.0 over WebSocket at `/rpc`. Loopback only; every WebSocket must carry the
 * per-launch token and come from our own origin (or from no browser at all).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Services } from '../app/services'
import { createCallContext } from '../rpc/context'
import { envelopeToResponse, errorResponse, INVALID_REQUEST, notification, PARSE_ERROR, parseFrame, SERVER_ERROR, type JsonRpcRequest } from './json-rpc'
import { allowedHost, clipHeader, DEFAULT_HOST_LIMITS, socketFlow, type HostLimits } from './limits'
import { createStaticHandler } from './static-files'

export interface HostOptions {
  services: Services
  rendererDir: string
  port?: number
  token?: string
  log?: (line: string) => void
  /** Tests lower these; see limits.ts for what each bounds. */
  limits?: Partial<HostLimits>
}

export interface Host {
  readonly url: string
  readonly port: number
  readonly token: string
  close(): Promise<void>
}

/** 32 random bytes, base64url: 43 url-safe characters. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

const MAX_FRAME_BYTES = 4 * 1024 * 1024
export const MAX_HOST_CONNECTIONS = DEFAULT_HOST_LIMITS.maxConnections

export async function startHost(options: HostOptions): Promise<Host> {
  const { services } = options
  const log = options.log ?? (() => {})
  const token = options.token ?? newToken()
  let port = options.port ?? 0
  const limits: HostLimits = { ...DEFAULT_HOST_LIMITS, ...options.limits }

  const serveStatic = createStaticHandler(options.rendererDir, () => port)
  // Connections that send nothing, or only part of a request, are closed within seconds.
  const server: Server = createServer({ headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: 1000 }, (req, res) => {
    if (!allowedHost(req.headers.host, port)) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', connection: 'close' })
      res.end(`This is Dropdeck on 127.0.0.1:${port}; open http://127.0.0.1:${port}/ instead of ${clipHeader(req.headers.host)}.\n`)
      return
    }
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname === '/rpc') {
      // Plain HTTP to /rpc: the answer a browser cannot read from a failed WebSocket handshake.
      const refusal = refuseUpgrade(req, token, port)
      res.writeHead(refusal ? Number(refusal.status.slice(0, 3)) : 426, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
      res.end(`${refusal?.reason ?? 'Connect with a WebSocket.'}\n`)
      return
    }
    serveStatic(req, res).catch((err: unknown) => {
      log(`host: static ${req.url}: ${String(err)}`)
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })

  // A socket idle this long between requests is closed (ws clears the timer on upgrade).
  server.timeout = limits.headersTimeoutMs
  server.keepAliveTimeout = limits.headersTimeoutMs
  server.maxConnections = limits.maxConnections
  // One line per burst, not one per refused socket: a flood would otherwise flood the log too.
  let dropped = 0
  server.on('drop', () => {
    if (dropped++ === 0) setTimeout(() => (log(`host: closed ${dropped} connection(s) at once: ${limits.maxConnections} were open, the most the host holds`), (dropped = 0)), 1000).unref()
  })

  // Refused upgrades: the first of a burst is logged at once, the rest counted in one line a second later.
  let refusedSince = 0
  const logRefusal = (line: string) => {
    if (refusedSince++ === 0) {
      log(line)
      setTimeout(() => {
        if (refusedSince > 1) log(`host: refused ${refusedSince - 1} more WebSocket(s) within a second`)
        refusedSince = 0
      }, 1000).unref()
    }
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  let clients = 0

  server.on('upgrade', (req, socket, head) => {
    const refusal = refuseUpgrade(req, token, port) ?? (wss.clients.size >= limits.maxClients ? { status: '503 Service Unavailable', reason: `${limits.maxClients} clients are connected, the most the host serves; close one and retry.` } : undefined)
    if (refusal) {
      logRefusal(`host: refused WebSocket from ${req.socket.remoteAddress}: ${refusal.reason}`)
      socket.end(`HTTP/1.1 ${refusal.status}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${refusal.reason}\n`)
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveClient(ws, `ws:${++clients}`))
  })

  function serveClient(ws: WebSocket, clientId: string): void {
    const ctx = createCallContext(clientId, services.bus)
    const flow = socketFlow(ws, limits, () => log(`host: ${clientId} stopped reading its answers; closed it`))
    const send = (frame: object | string) => {
      if (ws.readyState !== ws.OPEN) return
      ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame), flow.drained)
      flow.sent()
    }
    const calls = { inFlight: 0 }
    // Shared events, and the events of streams this socket opened: never another socket's output.
    const unsubscribe = services.bus.subscribeClient(clientId, (event, payload) => send(notification(event, payload)))
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        send(errorResponse(null, INVALID_REQUEST, { code: 'BAD_REQUEST', message: 'Send JSON-RPC as text frames.', retryable: false }))
        return
      }
      void handleFrame(data.toString(), ctx, send, calls)
    })
    ws.on('error', (err) => log(`host: ${clientId}: ${err.message}`))
    ws.on('close', () => {
      unsubscribe()
      void ctx.dispose()
    })
  }

  async function handleFrame(text: string, ctx: ReturnType<typeof createCallContext>, send: (frame: object | string) => void, calls: { inFlight: number }): Promise<void> {
    const frame = parseFrame(text, limits.maxBatch)
    if (frame.kind === 'parse-error') {
      send(errorResponse(null, PARSE_ERROR, { code: 'BAD_REQUEST', message: 'Parse error: the frame is not valid JSON.', retryable: false }))
      return
    }
    if (frame.kind === 'batch-too-long') {
      send(errorResponse(null, INVALID_REQUEST, { code: 'BAD_REQUEST', message: `A batch holds at most ${limits.maxBatch} calls; this one had ${frame.length}. Split it.`, retryable: false, data: { maxBatch: limits.maxBatch } }))
      return
    }
    const responses = await Promise.all(
      frame.items.map(async (item) => {
        if ('invalid' in item) {
          return errorResponse(item.invalid, INVALID_REQUEST, { code: 'BAD_REQUEST', message: 'Invalid Request: expected {"jsonrpc":"2.0","method":string,"params"?:object,"id"?:string|number}.', retryable: false })
        }
        const request = item as JsonRpcRequest
        if (calls.inFlight >= limits.maxInFlight) {
          return request.id === undefined ? undefined : errorResponse(request.id, SERVER_ERROR, { code: 'RATE_LIMITED', message: `${limits.maxInFlight} calls are already running on this socket; wait for their answers, then retry.`, retryable: true, data: { maxInFlight: limits.maxInFlight } })
        }
        calls.inFlight++
        const envelope = await services.router.call(request.method, request.params, ctx).finally(() => calls.inFlight--)
        // Notifications (no id) get no response, as JSON-RPC 2.0 says.
        return request.id === undefined ? undefined : envelopeToResponse(request.id, envelope)
      })
    )
    const replies = responses.filter((r): r is { id: string | number | null } => r !== undefined)
    if (replies.length === 0) return
    const answer = JSON.stringify(frame.batch ? replies : replies[0])
    const bytes = Buffer.byteLength(answer)
    if (bytes <= limits.maxAnswerBytes) {
      send(answer)
      return
    }
    // Too large to send whole: every call of the frame is told so, and nothing is buffered for it.
    const mb = (bytes / (1024 * 1024)).toFixed(1)
    const tooLarge = replies.map((r) => errorResponse(r.id, SERVER_ERROR, { code: 'BAD_REQUEST', message: `The answer would be ${mb} MB, more than the ${Math.round(limits.maxAnswerBytes / (1024 * 1024))} MB the host sends at once; narrow the request${frame.batch ? ' or split the batch' : ''}.`, retryable: false, data: { bytes, maxAnswerBytes: limits.maxAnswerBytes } }))
    send(frame.batch ? tooLarge : tooLarge[0])
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const ws of wss.clients) ws.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

function refuseUpgrade(req: IncomingMessage, token: string, port: number): { status: string; reason: string } | undefined {
  if (!allowedHost(req.headers.host, port)) return { status: '421 Misdirected Request', reason: `Connect to 127.0.0.1:${port}, not ${clipHeader(req.headers.host)}.` }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  if (url.pathname !== '/rpc') return { status: '404 Not Found', reason: 'The only WebSocket endpoint is /rpc.' }
  // Browsers always send Origin; a page on another site must never reach the services.
  const origin = req.headers.origin
  if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
    return { status: '403 Forbidden', reason: `Origin ${clipHeader(origin)} is not allowed.` }
  }
  const auth = req.headers.authorization
  const presented = url.searchParams.get('token') ?? (auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined)
  if (!presented) return { status: '401 Unauthorized', reason: 'A token is required: ?token= or Authorization: Bearer.' }
  if (!sameToken(presented, token)) return { status: '401 Unauthorized', reason: 'The token is wrong (it changes at every launch).' }
  return undefined
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
