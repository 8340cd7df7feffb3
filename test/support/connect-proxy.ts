/**
 * A real, small HTTP proxy on loopback for tests: CONNECT tunnels (for https) and absolute-form requests
 * (for plain http), optional Basic credentials (wrong or missing -> 407), a switch to refuse every CONNECT
 * with 403, and a record of what it was asked to do.
 */
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http'
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'

export interface ConnectProxyOptions {
  credentials?: { username: string; password: string }
  /** Answer every CONNECT with 403 Forbidden. */
  refuse?: boolean
}

export interface ConnectProxy {
  /** http://127.0.0.1:port, no credentials. */
  url: string
  port: number
  /** The same proxy URL with userinfo, percent-encoded. */
  urlWith(username: string, password: string): string
  /** TCP connections accepted from clients. */
  readonly connections: number
  /** Every CONNECT asked for (host:port) and how the proxy answered. */
  readonly connects: Array<{ target: string; status: number }>
  /** Every absolute-form request forwarded (the full URL) and how the proxy answered. */
  readonly forwarded: Array<{ url: string; method: string; status: number }>
  refuse: boolean
  close(): Promise<void>
}

export async function startConnectProxy(options: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const sockets = new Set<Socket>()
  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  }
  const connects: ConnectProxy['connects'] = []
  const forwarded: ConnectProxy['forwarded'] = []
  let connections = 0

  const expected = options.credentials
    ? `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`
    : undefined
  const authorized = (req: IncomingMessage) => expected === undefined || req.headers['proxy-authorization'] === expected

  const server = createServer((req, res) => {
    // Absolute-form: GET http://host:port/path HTTP/1.1
    const url = req.url ?? ''
    const record = (status: number) => forwarded.push({ url, method: req.method ?? '', status })
    if (!authorized(req)) {
      record(407)
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test proxy"', connection: 'close' }).end()
      return
    }
    let target: URL
    try {
      target = new URL(url)
    } catch {
      record(400)
      res.writeHead(400).end()
      return
    }
    const headers = { ...req.headers }
    delete headers['proxy-authorization']
    delete headers['proxy-connection']
    const upstream = httpRequest({ host: target.hostname, port: target.port || 80, path: target.pathname + target.search, method: req.method, headers }, (answer) => {
      record(answer.statusCode ?? 502)
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('socket', track)
    upstream.on('error', () => {
      record(502)
      if (!res.headersSent) res.writeHead(502).end()
    })
    req.pipe(upstream)
  })

  server.on('connection', (socket: Socket) => {
    connections++
    track(socket)
  })

  server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => {
    const target = req.url ?? ''
    client.on('error', () => client.destroy())
    const answer = (status: number, text: string, extra = '') => {
      connects.push({ target, status })
      client.end(`HTTP/1.1 ${status} ${text}\r\n${extra}Content-Length: 0\r\nConnection: close\r\n\r\n`)
    }
    if (proxy.refuse) return answer(403, 'Forbidden')
    if (!authorized(req)) return answer(407, 'Proxy Authentication Required', 'Proxy-Authenticate: Basic realm="test proxy"\r\n')
    const { hostname, port } = new URL(`http://${target}`)
    let established = false
    const upstream = netConnect(Number(port || 443), hostname.replace(/^\[|\]$/g, ''), () => {
      established = true
      connects.push({ target, status: 200 })
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    track(upstream)
    upstream.on('error', () => {
      if (!established) answer(502, 'Bad Gateway')
      else client.destroy()
    })
    client.on('close', () => upstream.destroy())
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo

  const proxy: ConnectProxy = {
    url: `http://127.0.0.1:${port}`,
    port,
    urlWith: (username, password) => `http://${encodeURIComponent(username)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    get connections() {
      return connections
    },
    connects,
    forwarded,
    refuse: options.refuse ?? false,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const socket of sockets) socket.destroy()
      await closed
    }
  }
  return proxy
}
