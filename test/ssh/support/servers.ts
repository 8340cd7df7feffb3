/**
 * Small real servers on loopback for the SSH tests: a TCP echo that honours half-close (it answers
 * after the client's EOF and then ends), a sink that counts and hashes, and a SOCKS5 proxy (RFC 1928,
 * CONNECT only, optional RFC 1929 username/password).
 */
import { createHash } from 'node:crypto'
import net from 'node:net'

export interface TestServer {
  port: number
  connections: number
  close(): Promise<void>
}

function track(server: net.Server, sockets: Set<net.Socket>) {
  server.on('connection', (s) => {
    sockets.add(s)
    s.once('close', () => sockets.delete(s))
  })
}

async function listen(server: net.Server, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, () => resolve())
  })
  return (server.address() as net.AddressInfo).port
}

function closer(server: net.Server, sockets: Set<net.Socket>) {
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy()
      server.close(() => resolve())
    })
}

/** Echoes bytes as they come; with `afterEof`, answers only after the client's EOF (a half-close test). */
export async function startEchoServer(opts: { afterEof?: (received: Buffer) => Buffer } = {}): Promise<TestServer> {
  const sockets = new Set<net.Socket>()
  const state = { connections: 0 }
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    state.connections++
    s.on('error', () => s.destroy())
    if (opts.afterEof) {
      const chunks: Buffer[] = []
      s.on('data', (c: Buffer) => chunks.push(c))
      s.on('end', () => s.end(opts.afterEof!(Buffer.concat(chunks))))
    } else {
      s.pipe(s)
    }
  })
  track(server, sockets)
  const port = await listen(server)
  return { port, get connections() { return state.connections }, close: closer(server, sockets) }
}

/**
 * On connect, sends `sendBytes` random bytes and reads everything the client sends; when both are
 * done it ends, and reports the sha256 of what it sent and received per connection.
 */
export async function startSourceSink(sendBytes: number): Promise<TestServer & { results: Promise<{ sentSha: string; receivedSha: string; received: number }>[] }> {
  const sockets = new Set<net.Socket>()
  const results: Promise<{ sentSha: string; receivedSha: string; received: number }>[] = []
  const state = { connections: 0 }
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    state.connections++
    s.on('error', () => s.destroy())
    const payload = Buffer.alloc(sendBytes)
    for (let i = 0; i < payload.length; i += 65536) payload.set(randomChunk(Math.min(65536, payload.length - i)), i)
    const sentSha = createHash('sha256').update(payload).digest('hex')
    const h = createHash('sha256')
    let received = 0
    results.push(new Promise((resolve) => {
      s.on('data', (c: Buffer) => {
        received += c.length
        h.update(c)
      })
      s.on('end', () => {
        s.end()
        resolve({ sentSha, receivedSha: h.digest('hex'), received })
      })
    }))
    s.write(payload)
  })
  track(server, sockets)
  const port = await listen(server)
  return { port, results, get connections() { return state.connections }, close: closer(server, sockets) }
}

function randomChunk(n: number): Buffer {
  const b = Buffer.allocUnsafe(n)
  // crypto.randomFillSync would do; a xorshift keeps 5 MB cheap and still incompressible enough.
  let x = (Math.random() * 0xffffffff) >>> 0 || 1
  for (let i = 0; i < n; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    b[i] = x & 0xff
  }
  return b
}

export interface Socks5Server extends TestServer {
  /** Every CONNECT target asked for, host:port. */
  targets: string[]
}

/** A real SOCKS5 proxy: no-auth, or username/password when credentials are given. CONNECT only. */
export async function startSocks5Server(opts: { credentials?: { username: string; password: string } } = {}): Promise<Socks5Server> {
  const sockets = new Set<net.Socket>()
  const targets: string[] = []
  const state = { connections: 0 }
  const server = net.createServer((client) => {
    state.connections++
    client.on('error', () => client.destroy())
    let buf = Buffer.alloc(0)
    let stage: 'greeting' | 'auth' | 'request' | 'done' = 'greeting'
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk])
      for (;;) {
        if (stage === 'greeting') {
          if (buf.length < 2 || buf.length < 2 + buf[1]) return
          const methods = [...buf.subarray(2, 2 + buf[1])]
          buf = buf.subarray(2 + buf[1])
          const want = opts.credentials ? 0x02 : 0x00
          if (buf.length === 0 && !methods.includes(want)) return void client.end(Buffer.from([5, 0xff]))
          client.write(Buffer.from([5, want]))
          stage = opts.credentials ? 'auth' : 'request'
        } else if (stage === 'auth') {
          if (buf.length < 2) return
          const ulen = buf[1]
          if (buf.length < 3 + ulen) return
          const plen = buf[2 + ulen]
          if (buf.length < 3 + ulen + plen) return
          const user = buf.subarray(2, 2 + ulen).toString()
          const pass = buf.subarray(3 + ulen, 3 + ulen + plen).toString()
          buf = buf.subarray(3 + ulen + plen)
          const ok = user === opts.credentials!.username && pass === opts.credentials!.password
          client.write(Buffer.from([1, ok ? 0 : 1]))
          if (!ok) return void client.end()
          stage = 'request'
        } else if (stage === 'request') {
          if (buf.length < 5) return
          const atyp = buf[3]
          let host: string
          let off: number
          if (atyp === 1) {
            if (buf.length < 10) return
            host = [...buf.subarray(4, 8)].join('.')
            off = 8
          } else if (atyp === 3) {
            if (buf.length < 5 + buf[4] + 2) return
            host = buf.subarray(5, 5 + buf[4]).toString()
            off = 5 + buf[4]
          } else {
            return void client.end(Buffer.from([5, 8, 0, 1, 0, 0, 0, 0, 0, 0]))
          }
          const port = buf.readUInt16BE(off)
          const rest = buf.subarray(off + 2)
          stage = 'done'
          client.off('data', onData)
          client.pause()
          targets.push(`${host}:${port}`)
          const upstream = net.connect({ host, port }, () => {
            client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]))
            if (rest.length) upstream.write(rest)
            upstream.pipe(client)
            client.pipe(upstream)
            client.resume()
          })
          sockets.add(upstream)
          upstream.once('close', () => sockets.delete(upstream))
          upstream.on('error', () => {
            if (!client.destroyed) client.end(Buffer.from([5, 5, 0, 1, 0, 0, 0, 0, 0, 0]))
          })
          client.once('close', () => upstream.destroy())
          return
        } else {
          return
        }
      }
    }
    client.on('data', onData)
  })
  track(server, sockets)
  const port = await listen(server)
  return { port, targets, get connections() { return state.connections }, close: closer(server, sockets) }
}
