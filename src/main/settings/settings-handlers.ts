/** settings.*: the operator's preferences (dataDir/settings.json). */
import type { settingsMethods } from '../../shared/contract'
import type { Capability } from '../app/capability'
import type { HandlersFor } from '../rpc/router'
import type { SettingsStore } from './settings-store'

export function createSettingsCapability(settings: SettingsStore): Capability & { handlers: HandlersFor<typeof settingsMethods> } {
  return {
    name: 'settings',
    handlers: {
      'settings.get': () => settings.get(),
      'settings.update': (patch) => settings.update(patch)
    },
    dispose: () => {}
  }
}
