/**
 * Whether an area's provider token is usable, and if not, why: a missing token and an unreachable
 * keychain need different next steps.
 */
import type { SecretKey } from '../../../shared/contract'
import { useKeychainStatus, useSecretsStatus } from '../rpc/queries'

export type TokenState = 'checking' | 'present' | 'missing' | 'keychain-unavailable'

export function useTokenState(keys: SecretKey[] | undefined): TokenState {
  const secrets = useSecretsStatus()
  const keychain = useKeychainStatus()
  if (!keys) return 'present'
  if (secrets.data && keys.some((key) => secrets.data[key])) return 'present'
  if (keychain.data?.available === false || secrets.isError) return 'keychain-unavailable'
  if (secrets.data) return 'missing'
  return 'checking'
}
