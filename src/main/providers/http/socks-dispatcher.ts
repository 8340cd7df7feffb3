/**
 * Provider HTTP through a SOCKS proxy that a PAC file or the system settings name (`SOCKS`, `SOCKS4`,
 * `SOCKS5`): an undici Agent whose connections are opened by the `socks` client, with TLS on top for https,
 * trusting the same CAs as every other provider call. Failures say whether the proxy could not be reached
 * (the next PAC entry may be tried) or refused the destination.
 */
import { isIP } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { SocksClient } from 'socks'
import { Agent, type Dispatcher } from 'undici'
import { DropdeckError } from '../../../shared/errors'
import type { ProxyCredentials } from '../../network/proxy-resolver'

export interface SocksHop {
  kind: 'socks4' | 'socks5'
  host: string
  port: number
}

/** Errors before the proxy answered: it cannot be reached. */
const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EAI_AGAIN|Proxy connection timed out/i

export function socksDispatcher(hop: SocksHop, credentials: ProxyCredentials | undefined, ca: string[], timeoutMs = 20_000): Dispatcher {
  const label = `the ${hop.kind === 'socks4' ? 'SOCKS4' : 'SOCKS5'} proxy at ${hop.host}:${hop.port}`
  return new Agent({
    connect: (opts, callback) => {
      const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80)
      const destination = `${opts.hostname}:${port}`
      SocksClient.createConnection({
        proxy: { host: hop.host, port: hop.port, type: hop.kind === 'socks4' ? 4 : 5, ...(credentials ? { userId: credentials.username, password: credentials.password } : {}) },
        command: 'connect',
        destination: { host: opts.hostname.replace(/^\[|\]$/g, ''), port },
        timeout: timeoutMs
      }).then(
        ({ socket }) => {
          if (opts.protocol !== 'https:') return callback(null, socket)
          const servername = opts.servername ?? (isIP(opts.hostname) ? undefined : opts.hostname)
          const secured = tlsConnect({ socket, ...(servername ? { servername } : {}), host: opts.hostname, ca, ALPNProtocols: ['http/1.1'] })
          secured.once('secureConnect', () => callback(null, secured))
          secured.once('error', (err) => callback(err, null))
        },
        (err: Error) => {
          const reachable = !UNREACHABLE.test(err.message)
          const error = new DropdeckError('UPSTREAM', `Could not reach ${destination}: ${label} ${reachable ? `refused it (${err.message})` : `is unreachable (${err.message})`}.`, {
            retryable: !reachable,
            data: { reason: reachable ? 'PROXY_REFUSED' : 'PROXY_UNREACHABLE', host: destination, proxy: `${hop.host}:${hop.port}` }
          })
          callback(error, null)
        }
      )
    }
  })
}
