/**
 * The first hop out of a corporate network: a TCP stream to the SSH server through an HTTP CONNECT
 * proxy (Basic credentials) or a SOCKS5 proxy, or through the list a PAC file or the system proxy
 * settings give (DIRECT, PROXY, SOCKS), tried in order as browsers do. ProxyJump hops are handled by
 * the pool (forwardOut).
 */
import net from 'node:net'
import { SocksClient } from 'socks'
import { DropdeckError } from '../../shared/errors'
import { HOST_ADDRESS_HINT, isHostAddress } from '../../shared/contract/host-address'
import { formatHop } from '../network/proxy-answer'
import type { ProxyCredentials, ResolvedProxies } from '../network/proxy-resolver'

export interface ProxySpec {
  type: 'http' | 'socks5' | 'socks4'
  host: string
  port: number
  username?: string
  password?: string
  /** Where the operator fixes the credentials, for a 407: default "the user and password in the proxy URL". */
  credentialsHint?: string
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
export const describeProxy = (p: ProxySpec) => `${{ http: 'HTTP', socks5: 'SOCKS5', socks4: 'SOCKS4' }[p.type]} proxy ${p.host}:${p.port}`

export async function connectViaProxy(proxy: ProxySpec, host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  // The target goes into the CONNECT request line: CR, LF or a space would end it and start headers of the caller's choosing.
  if (!isHostAddress(host)) {
    throw new DropdeckError('BAD_REQUEST', `"${JSON.stringify(host.slice(0, 100)).slice(1, -1)}" is not ${HOST_ADDRESS_HINT}; nothing was sent to the ${describeProxy(proxy)}.`)
  }
  return proxy.type === 'http' ? httpConnect(proxy, host, port, timeoutMs) : socks5(proxy, host, port, timeoutMs)
}

/**
 * The SSH server's stream through the hops a PAC file or the system settings gave, in order. A hop is
 * skipped only when its proxy cannot be reached; a proxy that answers (a refusal, a 407) ends the search,
 * as in browsers. An HTTPS proxy (TLS to the proxy itself) is skipped: Dropdeck speaks CONNECT in clear text.
 */
export async function connectThroughHops(
  resolved: ResolvedProxies,
  host: string,
  port: number,
  timeoutMs: number,
  credentialsFor?: (hop: { host: string; port: number }) => Promise<ProxyCredentials | undefined>,
  log?: (line: string) => void
): Promise<net.Socket> {
  const skipped: string[] = []
  let last: unknown
  for (const hop of resolved.hops) {
    if (hop.kind === 'https') {
      skipped.push(`${formatHop(hop)} (a TLS proxy, which Dropdeck does not speak for SSH)`)
      continue
    }
    try {
      log?.(`ssh: ${host}:${port} via ${formatHop(hop)} (${resolved.from})`)
      if (hop.kind === 'direct') return await connectDirect(host, port, timeoutMs)
      const credentials = await credentialsFor?.(hop)
      const spec: ProxySpec = { type: hop.kind, host: hop.host, port: hop.port, ...(credentials ?? {}), credentialsHint: `the credentials for proxy ${hop.host}:${hop.port} under Settings, Network` }
      return await connectViaProxy(spec, host, port, timeoutMs)
    } catch (err) {
      last = err
      const reason = ((err as DropdeckError).data as { reason?: string } | undefined)?.reason
      if (reason !== 'PROXY_UNREACHABLE') throw withSource(err, resolved)
      skipped.push(`${formatHop(hop)} (${(err as Error).message.replace(/\.$/, '')})`)
    }
  }
  if (last && skipped.length === 1) throw withSource(last, resolved)
  throw new DropdeckError('UPSTREAM', `No route to ${host}:${port} from ${resolved.from} ("${resolved.answer}"): ${skipped.join('; ')}.`, {
    retryable: true,
    data: { reason: 'PROXY_UNREACHABLE', source: resolved.source }
  })
}

function withSource(err: unknown, resolved: ResolvedProxies): unknown {
  if (!(err instanceof DropdeckError)) return err
  return new DropdeckError(err.code, `${err.message} Route from ${resolved.from}.`, { retryable: err.retryable, data: { ...(err.data as object), source: resolved.source } })
}

function connectDirect(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port })
    socket.setTimeout(timeoutMs, () => {
      socket.destroy()
      reject(new DropdeckError('TIMEOUT', `${host}:${port} did not accept the connection within ${Math.round(timeoutMs / 1000)} s.`, { retryable: true }))
    })
    socket.once('error', (err) => reject(new DropdeckError('UPSTREAM', `${host}:${port} cannot be reached: ${err.message}.`, { retryable: true, data: { direct: true } })))
    socket.once('connect', () => {
      socket.setTimeout(0)
      socket.removeAllListeners('error')
      resolve(socket)
    })
  })
}

/** Errors that happen before a proxy answered: the proxy itself cannot be reached. */
const unreachable = (message: string) => /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EAI_AGAIN|Proxy connection timed out|Socket closed/i.test(message)

async function socks5(proxy: ProxySpec, host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  try {
    const { socket } = await SocksClient.createConnection({
      proxy: { host: proxy.host, port: proxy.port, type: proxy.type === 'socks4' ? 4 : 5, ...(proxy.username ? { userId: proxy.username, password: proxy.password ?? '' } : {}) },
      command: 'connect',
      destination: { host, port },
      timeout: timeoutMs
    })
    return socket
  } catch (err) {
    const message = (err as Error).message
    const reason = unreachable(message) ? 'PROXY_UNREACHABLE' : 'PROXY_REFUSED'
    throw new DropdeckError('UPSTREAM', `The ${describeProxy(proxy)} could not reach ${host}:${port}: ${message}.`, { retryable: true, data: { proxy: `${proxy.host}:${proxy.port}`, reason } })
  }
}

function httpConnect(proxy: ProxySpec, host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: proxy.host, port: proxy.port })
    const target = `${host.includes(':') ? `[${host}]` : host}:${port}`
    let connected = false
    const fail = (message: string, code: 'UPSTREAM' | 'TIMEOUT' | 'AUTH_FAILED' = 'UPSTREAM', reason?: string) => {
      socket.destroy()
      reject(new DropdeckError(code, message, { retryable: code !== 'AUTH_FAILED', data: { proxy: `${proxy.host}:${proxy.port}`, ...(reason ? { reason } : {}) } }))
    }
    socket.setTimeout(timeoutMs, () => fail(`The ${describeProxy(proxy)} did not answer within ${Math.round(timeoutMs / 1000)} s.`, 'TIMEOUT', connected ? undefined : 'PROXY_UNREACHABLE'))
    socket.once('error', (err) => fail(`The ${describeProxy(proxy)} cannot be reached: ${err.message}.`, 'UPSTREAM', connected ? undefined : 'PROXY_UNREACHABLE'))
    socket.once('connect', () => {
      connected = true
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
      if (status === 407) return fail(proxyAuthMessage(proxy, head.subarray(0, end).toString('latin1')), 'AUTH_FAILED', 'PROXY_AUTH')
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

/**
 * A 407 in the operator's words. Dropdeck answers Basic only; a proxy that offers just NTLM or Negotiate
 * (Windows domain sign-in) cannot be satisfied from here, and the way out is named.
 */
export function proxyAuthMessage(proxy: ProxySpec, head: string): string {
  const schemes = [...head.matchAll(/^proxy-authenticate:\s*([A-Za-z0-9-]+)/gim)].map((m) => m[1].toLowerCase())
  const where = proxy.credentialsHint ?? 'the user and password in the proxy URL'
  if (schemes.length > 0 && !schemes.includes('basic')) {
    const named = [...new Set(schemes)].map((s) => ({ ntlm: 'NTLM', negotiate: 'Negotiate (Kerberos)' })[s] ?? s).join(' or ')
    return `The ${describeProxy(proxy)} asks for ${named} sign-in (407), which Dropdeck cannot do itself: run a local proxy that signs in for you (such as cntlm or px) and point Dropdeck at it, or ask your network team to allow Basic authentication for this proxy.`
  }
  return proxy.username === undefined
    ? `The ${describeProxy(proxy)} asks for credentials (407): set ${where}.`
    : `The ${describeProxy(proxy)} refused the credentials (407); check ${where}.`
}
