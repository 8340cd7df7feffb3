/**
 * The main-process services, wired once and shared by every transport (Electron IPC and the
 * headless host). Nothing here imports Electron.
 */
import { EventBus } from '../rpc/event-bus'
import { createRouter, type Handlers, type Router } from '../rpc/router'
import { createKeychain, type Keychain } from '../secrets/keychain'
import { SecretsService } from '../secrets/secrets-service'
import { SettingsStore } from '../settings/settings-store'

export interface ServicesOptions {
  dataDir: string
  version: string
  keychain?: Keychain
  log?: (line: string) => void
}

export interface Services {
  readonly router: Router
  readonly bus: EventBus
  readonly secrets: SecretsService
  readonly settings: SettingsStore
  dispose(): Promise<void>
}

export function createServices(options: ServicesOptions): Services {
  const log = options.log ?? (() => {})
  const bus = new EventBus()
  const secrets = new SecretsService(options.keychain ?? createKeychain(), bus)
  const settings = new SettingsStore(options.dataDir, bus, log)

  const handlers: Handlers = {
    'app.info': () => ({ name: 'Dropdeck', version: options.version }),
    'secrets.set': ({ key, value }) => secrets.set(key, value),
    'secrets.delete': ({ key }) => secrets.delete(key),
    'secrets.status': () => secrets.status(),
    'secrets.keychain': () => secrets.keychainStatus(),
    'settings.get': () => settings.get(),
    'settings.update': (patch) => settings.update(patch)
  }

  return {
    router: createRouter(handlers, log),
    bus,
    secrets,
    settings,
    async dispose() {}
  }
}
