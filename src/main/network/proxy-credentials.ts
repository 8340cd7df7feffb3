/**
 * Credentials for proxies that a PAC file or the system settings choose (an HTTPS_PROXY carries its own in
 * its URL): kept in the OS keychain per proxy, as `proxy:<host>:<port>`, never in a settings file and never
 * sent back to a client. Basic authentication only; see ssh/proxy-route.ts for NTLM and Negotiate.
 */
import type { Keychain } from '../secrets/keychain'
import type { ProxyCredentials } from './proxy-resolver'

const account = (host: string, port: number) => `proxy:${host.toLowerCase()}:${port}`

export class ProxyCredentialStore {
  constructor(private readonly keychain: Keychain) {}

  async get(proxy: { host: string; port: number }): Promise<ProxyCredentials | undefined> {
    const stored = await this.keychain.get(account(proxy.host, proxy.port)).catch(() => null)
    if (!stored) return undefined
    try {
      const parsed = JSON.parse(stored) as Partial<ProxyCredentials>
      return typeof parsed.username === 'string' && typeof parsed.password === 'string' ? { username: parsed.username, password: parsed.password } : undefined
    } catch {
      return undefined
    }
  }

  async has(proxy: { host: string; port: number }): Promise<boolean> {
    return (await this.get(proxy)) !== undefined
  }

  set(proxy: { host: string; port: number }, credentials: ProxyCredentials): Promise<void> {
    return this.keychain.set(account(proxy.host, proxy.port), JSON.stringify(credentials))
  }

  delete(proxy: { host: string; port: number }): Promise<void> {
    return this.keychain.delete(account(proxy.host, proxy.port))
  }
}
