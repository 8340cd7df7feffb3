/**
 * SSH through the system proxy in Electron: Chromium says which proxies serve a host (its answer to
 * `session.resolveProxy` covers the OS settings, PAC and WPAD, in PAC syntax), and the same route logic as
 * the headless host's PAC file (proxy-answer.ts, ssh/proxy-route.ts) opens the connection. Provider calls
 * need none of this: net.fetch already goes through Chromium. Credentials for those proxies come from the
 * keychain (proxy-credentials.ts).
 */
import { session } from 'electron'
import { parseProxyAnswer } from './proxy-answer'
import type { ProxyCredentialStore } from './proxy-credentials'
import type { ProxyResolver } from './proxy-resolver'

const FROM = 'the system proxy settings'

export function createSystemProxyResolver(credentials: ProxyCredentialStore): ProxyResolver {
  return {
    async resolve(url) {
      const answer = await session.defaultSession.resolveProxy(url.href)
      return { source: 'system', from: FROM, answer, hops: parseProxyAnswer(answer, FROM) }
    },
    credentialsFor: (hop) => credentials.get(hop),
    dispose() {}
  }
}
