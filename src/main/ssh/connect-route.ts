/**
 * The stream to a host's SSH server, before any SSH is spoken: through its ProxyJump hops (a channel
 * on the last hop's pooled connection), through a proxy (its own, DROPDECK_SSH_PROXY, or what the
 * PAC file or the system says), or none (the handshake dials directly).
 */
import type { Duplex } from 'node:stream'
import type { Client, ClientChannel } from 'ssh2'
import { DropdeckError } from '../../shared/errors'
import { sshProbeUrl, type ProxyResolver } from '../network/proxy-resolver'
import type { HostConfig } from './host-config'
import { connectThroughHops, connectViaProxy, describeProxy, parseProxyUrl } from './proxy-route'

export interface RouteDeps {
  /** DROPDECK_SSH_PROXY: used for hosts without their own proxy or ProxyJump. */
  globalProxy?: string
  proxyResolver?: ProxyResolver
  log(line: string): void
  /**
   * Keeps the jump host `hop` up (reached through `via`, the hops before it, when given) until the
   * returned release; the pool's retain.
   */
  holdHop(hop: string, via: string | undefined): () => void
  /** The hop's connection, once up (the pool's waitReady). */
  waitReady(hop: string, timeoutMs: number): Promise<Client>
}

export interface Route {
  /** Undefined: dial the host directly. */
  sock?: Duplex
  /** Lets go of the jump host; call when the connection ends or fails. */
  release?: () => void
}

export async function routeTo(hostId: string, host: HostConfig, timeoutMs: number, deps: RouteDeps): Promise<Route> {
  if (host.proxyJump) {
    const hops = host.proxyJump.split(',').map((h) => h.trim()).filter(Boolean)
    const last = hops.pop()!
    if (last === hostId) throw new DropdeckError('BAD_REQUEST', `${hostId} names itself as its ProxyJump.`)
    const release = deps.holdHop(last, hops.length ? hops.join(',') : undefined)
    try {
      const jc = await deps.waitReady(last, timeoutMs)
      const sock = await new Promise<ClientChannel>((resolve, reject) => {
        jc.forwardOut('127.0.0.1', 0, host.hostname, host.port, (err, ch) => (err ? reject(err) : resolve(ch)))
      })
      return { sock, release }
    } catch (err) {
      release()
      if (err instanceof DropdeckError) throw err
      throw new DropdeckError('UPSTREAM', `The jump host ${last} could not reach ${host.hostname}:${host.port}: ${(err as Error).message}.`, { retryable: true, data: { jumpHost: last } })
    }
  }
  const proxyUrl = host.proxy ?? deps.globalProxy
  if (proxyUrl) {
    const proxy = parseProxyUrl(proxyUrl)
    deps.log(`ssh: ${host.id} via ${describeProxy(proxy)}`)
    return { sock: await connectViaProxy(proxy, host.hostname, host.port, timeoutMs) }
  }
  const resolver = deps.proxyResolver
  const resolved = await resolver?.resolve(sshProbeUrl(host.hostname, host.port))
  if (resolver && resolved) return { sock: await connectThroughHops(resolved, host.hostname, host.port, timeoutMs, resolver.credentialsFor?.bind(resolver), deps.log) }
  return {}
}
