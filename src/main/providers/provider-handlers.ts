/**
 * The provider methods of the contract (accounts, droplets, snapshots, firewalls, audit, DNS),
 * wired to their services. IN PROGRESS: every handler below is replaced by the providers work.
 */
import type { MethodName } from '../../shared/contract'
import { DropdeckError } from '../../shared/errors'
import type { EventBus } from '../rpc/event-bus'
import type { Handlers } from '../rpc/router'
import type { SecretsService } from '../secrets/secrets-service'
import type { SettingsStore } from '../settings/settings-store'
import { providerMethods } from '../../shared/contract/providers'

export interface ProviderDeps {
  dataDir: string
  secrets: SecretsService
  settings: SettingsStore
  bus: EventBus
  env: NodeJS.ProcessEnv
  fetch?: typeof fetch
  log: (line: string) => void
}

type ProviderMethodName = keyof typeof providerMethods & MethodName

export function createProviderHandlers(_deps: ProviderDeps): { handlers: Pick<Handlers, ProviderMethodName>; dispose(): Promise<void> } {
  const pending = () => {
    throw new DropdeckError('UPSTREAM', 'Not built yet.')
  }
  const handlers = Object.fromEntries(Object.keys(providerMethods).map((name) => [name, pending])) as unknown as Pick<Handlers, ProviderMethodName>
  return { handlers, async dispose() {} }
}
