/** secrets.*: provider tokens in the keychain. A new token is checked with its provider first (`storeToken`). */
import type { Params, Result, secretsMethods } from '../../shared/contract'
import type { Capability } from '../app/capability'
import type { HandlersFor } from '../rpc/router'
import type { Keychain } from './keychain'
import type { SecretsService } from './secrets-service'

export function createSecretsCapability(deps: {
  secrets: SecretsService
  keychain: Keychain
  /** The providers verify a token before it replaces the stored one. */
  storeToken(params: Params<'secrets.set'>): Promise<Result<'secrets.set'>>
}): Capability & { handlers: HandlersFor<typeof secretsMethods> } {
  const { secrets } = deps
  return {
    name: 'secrets',
    handlers: {
      'secrets.set': (params) => deps.storeToken(params),
      'secrets.delete': ({ key, context }) => secrets.delete(key, context),
      'secrets.status': () => secrets.status(),
      'secrets.keychain': () => secrets.keychainStatus()
    },
    // The keychain helper process, if the platform's keychain runs one.
    dispose: () => deps.keychain.dispose?.()
  }
}
