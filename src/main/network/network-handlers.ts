/**
 * The network.* methods: the connection test (connection-test.ts) and the keychain's proxy credentials
 * (proxy-credentials.ts). Nothing here ever returns a stored password.
 */
import type { Handlers } from '../rpc/router'
import { testConnection, type ConnectionTestDeps } from './connection-test'
import type { ProxyCredentialStore } from './proxy-credentials'

type NetworkMethod = 'network.test' | 'network.proxyCredentials.set' | 'network.proxyCredentials.delete'

export function createNetworkHandlers(deps: ConnectionTestDeps & { credentials: ProxyCredentialStore }): Pick<Handlers, NetworkMethod> {
  const split = (proxy: string) => {
    const colon = proxy.lastIndexOf(':')
    return { host: proxy.slice(0, colon).replace(/^\[|\]$/g, ''), port: Number(proxy.slice(colon + 1)) }
  }
  return {
    'network.test': ({ target }) => testConnection(deps, target),
    'network.proxyCredentials.set': async ({ proxy, username, password }) => {
      await deps.credentials.set(split(proxy), { username, password })
      return { proxy, stored: true as const }
    },
    'network.proxyCredentials.delete': async ({ proxy }) => {
      await deps.credentials.delete(split(proxy))
      return { proxy, stored: false as const }
    }
  }
}
