// TCP helpers: wait for a server to accept connections, and find a free port.
import net from 'node:net'

/** True once something accepts a TCP connection on host:port. */
export function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/**
 * A port that is free on `host` right now (the kernel picks it). There is a small window in
 * which someone else could take it; the servers we start fail loudly if that happens.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.once('error', reject)
    srv.listen({ host, port: 0, exclusive: true }, () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

/** Can we bind host:port right now? */
export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer()
    srv.unref()
    srv.once('error', () => resolve(false))
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(true)))
  })
}

/** 127.0.0.2 + 1 -> 127.0.0.3; the whole 127/8 is loopback on Linux. */
export function nthAddress(base: string, n: number): string {
  const parts = base.split('.').map(Number)
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not an IPv4 address: ${base}`)
  let value = ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3] + n
  const out: number[] = []
  for (let i = 0; i < 4; i++) {
    out.unshift(value & 255)
    value = Math.floor(value / 256)
  }
  return out.join('.')
}
