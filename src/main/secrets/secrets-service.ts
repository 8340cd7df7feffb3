/**
 * Provider tokens: write-only across the boundary. The UI can set, delete and ask which are
 * present; only services inside main can read one (`token()`), to call a provider.
 */
import { SecretKeySchema, type Result, type SecretKey } from '../../shared/contract'
import type { EventBus } from '../rpc/event-bus'
import type { Keychain } from './keychain'

type SecretsStatus = Result<'secrets.status'>

const KEYCHAIN_PROBE = 'dropdeck-keychain-probe'

/**
 * The keychain account a token lives under. DigitalOcean teams other than 'default' get their own
 * account (`digitalocean:<team>`), so switching teams never overwrites a token.
 */
export function keychainAccount(key: SecretKey, context?: string): string {
  return key === 'digitalocean' && context && context !== 'default' ? `digitalocean:${context}` : key
}

export class SecretsService {
  constructor(
    private readonly keychain: Keychain,
    private readonly bus: EventBus,
    /** The active DigitalOcean team, from the settings. */
    private readonly activeContext: () => Promise<string> = async () => 'default'
  ) {}

  /** Presence of each token; DigitalOcean's is the active team's. */
  async status(): Promise<SecretsStatus> {
    const context = await this.activeContext()
    const entries = await Promise.all(SecretKeySchema.options.map(async (key) => [key, (await this.keychain.get(keychainAccount(key, context))) !== null] as const))
    return Object.fromEntries(entries) as SecretsStatus
  }

  async hasToken(key: SecretKey, context?: string): Promise<boolean> {
    return (await this.keychain.get(keychainAccount(key, context))) !== null
  }

  async set(key: SecretKey, value: string, context?: string): Promise<SecretsStatus> {
    await this.keychain.set(keychainAccount(key, context ?? (await this.activeContext())), value)
    return this.changed()
  }

  async delete(key: SecretKey, context?: string): Promise<SecretsStatus> {
    await this.keychain.delete(keychainAccount(key, context ?? (await this.activeContext())))
    return this.changed()
  }

  /** For provider clients in main only; never routed to a client. The active team's when no context is given. */
  async token(key: SecretKey, context?: string): Promise<string | null> {
    return this.keychain.get(keychainAccount(key, context ?? (await this.activeContext())))
  }

  /** Tell every client the presence changed (e.g. after the active team changed). */
  async changed(): Promise<SecretsStatus> {
    const status = await this.status()
    this.bus.emit('secrets.changed', status)
    return status
  }

  async keychainStatus(): Promise<Result<'secrets.keychain'>> {
    try {
      // Only a write proves the store answers and is unlocked: on Linux a read can come back
      // empty from the kernel keyring cache even with no Secret Service running.
      await this.keychain.set(KEYCHAIN_PROBE, 'probe')
      await this.keychain.delete(KEYCHAIN_PROBE)
      return { available: true, backend: this.keychain.backend }
    } catch (err) {
      return { available: false, backend: this.keychain.backend, message: err instanceof Error ? err.message : String(err) }
    }
  }
}
