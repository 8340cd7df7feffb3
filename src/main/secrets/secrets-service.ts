/**
 * Provider tokens: write-only across the boundary. The UI can set, delete and ask which are
 * present; only services inside main can read one (`token()`), to call a provider.
 */
import { SecretKeySchema, type Result, type SecretKey } from '../../shared/contract'
import type { EventBus } from '../rpc/event-bus'
import type { Keychain } from './keychain'

type SecretsStatus = Result<'secrets.status'>

const KEYCHAIN_PROBE = 'dropdeck-keychain-probe'

export class SecretsService {
  constructor(
    private readonly keychain: Keychain,
    private readonly bus: EventBus
  ) {}

  async status(): Promise<SecretsStatus> {
    const entries = await Promise.all(SecretKeySchema.options.map(async (key) => [key, (await this.keychain.get(key)) !== null] as const))
    return Object.fromEntries(entries) as SecretsStatus
  }

  async set(key: SecretKey, value: string): Promise<SecretsStatus> {
    await this.keychain.set(key, value)
    return this.changed()
  }

  async delete(key: SecretKey): Promise<SecretsStatus> {
    await this.keychain.delete(key)
    return this.changed()
  }

  /** For provider clients in main only; never routed to a client. */
  async token(key: SecretKey): Promise<string | null> {
    return this.keychain.get(key)
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

  private async changed(): Promise<SecretsStatus> {
    const status = await this.status()
    this.bus.emit('secrets.changed', status)
    return status
  }
}
