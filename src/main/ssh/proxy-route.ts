/**
 * The first hop out of a corporate network: a TCP stream to the SSH server through an HTTP CONNECT
 * proxy (Basic credentials) or a SOCKS5 proxy. ProxyJump hops are handled by the pool (forwardOut).
 */
import net from 'node:net'
import { SocksClient } from 'socks'
import { DropdeckError } from '../../shared/errors'
import { HOST_ADDRESS_HINT, isHostAddress } from '../../shared/contract/host-address'

export interface ProxySpec {
  type: 'http' | 'socks5'
  host: string
  port: number
  username?: string
  password?: string
}

export function parseProxyUrl(url: string): ProxySpec {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new DropdeckError('BAD_REQUEST', `The SSH proxy "${url}" is not a URL; use http://user:pass@host:port or socks5://host:port.`)
  }
  const type = u.protocol === 'http:' ? 'http' : u.protocol === 'socks5:' || u.protocol === 'socks5h:' || u.protocol === 'socks:' ? 'socks5' : undefined
  if (!type) throw new DropdeckError('BAD_REQUEST', `The SSH proxy "${u.protocol}" scheme is not supported; use http:// (CONNECT) or socks5://.`)
  return {
    type,
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || (type === 'http' ? 3128 : 1080)),
    ...(u.username ? { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) } : {})
  }
}

/** Host and port of a proxy for messages, never its credentials. */
export const describeProxy = (p: ProxySpec) => `${p.type === 'http' ? 'HTTP' : 'SOCKS5'} proxy ${p.host}:${p.port}`

export async function connectViaProxy(proxy: ProxySpec, host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  // The target goes into the CONNECT request line: CR, LF or a space would end it and start headers of the caller's choosing.
  if (!isHostAddress(host)) {
    throw new DropdeckError('BAD_REQUEST', `"${JSON.stringify(host.slice(0, 100)).slice(1, -1)}" is not ${HOST_ADDRESS_HINT}; nothing was sent to the ${describeProxy(proxy)}.`)
  }
  return proxy.type === 'http' ? httpConnect(proxy, host, port, timeoutMs) : socks5(proxy, host, port, timeoutMs)
}

async function socks5(proxy: ProxySpec, host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  try {
    const { socket } = await SocksClient.createConnection({
      proxy: { host: proxy.host, port: proxy.port, type: 5, ...(proxy.username ? { userId: proxy.username, password: proxy.password ?? '' } : {}) },
      command: 'connect',
      destination: { host, port },
      timeout: timeoutMs
    })
    return socket
  } catch (err) {
    throw new DropdeckError('UPSTREAM', `The ${describeProxy(proxy)} could not reach ${host}:${port}: ${(err as Error).message}.`, { retryable: true, data: { proxy: `${proxy.host}:${proxy.port}` } })
  }
}

function httpConnect(proxy: ProxySpec, host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: proxy.host, port: proxy.port })
    const target = `${host.includes(':') ? `[${host}]` : host}:${port}`
    const fail = (message: string, code: 'UPSTREAM' | 'TIMEOUT' | 'AUTH_FAILED' = 'UPSTREAM') => {
      socket.destroy()
      reject(new DropdeckError(code, message, { retryable: code !== 'AUTH_FAILED', data: { proxy: `${proxy.host}:${proxy.port}` } }))
    }
    socket.setTimeout(timeoutMs, () => fail(`The ${describeProxy(proxy)} did not answer within ${Math.round(timeoutMs / 1000)} s.`, 'TIMEOUT'))
    socket.once('error', (err) => fail(`The ${describeProxy(proxy)} cannot be reached: ${err.message}.`))
    socket.once('connect', () => {
      const auth = proxy.username !== undefined ? `Proxy-Authorization: Basic ${Buffer.from(`${proxy.username}:${proxy.password ?? ''}`).toString('base64')}\r\n` : ''
      socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth}\r\n`)
    })
    let head = Buffer.alloc(0)
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk])
      const end = head.indexOf('\r\n\r\n')
      if (end < 0) {
        if (head.length > 16384) fail(`The ${describeProxy(proxy)} sent an oversized answer.`)
        return
      }
      socket.off('data', onData)
      const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(head.subarray(0, end).toString('latin1'))?.[1])
      if (status === 407) return fail(`The ${describeProxy(proxy)} refused the credentials (407); check the user and password in the proxy URL.`, 'AUTH_FAILED')
      if (status !== 200) return fail(`The ${describeProxy(proxy)} refused CONNECT ${target} (HTTP ${Number.isNaN(status) ? '?' : status}).`)
      socket.setTimeout(0)
      socket.removeAllListeners('error')
      socket.pause()
      // Anything after the header already belongs to the SSH stream.
      const rest = head.subarray(end + 4)
      if (rest.length) socket.unshift(rest)
      resolve(socket)
    }
    socket.on('data', onData)
  })
}
