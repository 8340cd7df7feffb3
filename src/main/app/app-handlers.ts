/** app.*: what the app is. */
import type { appMethods } from '../../shared/contract'
import type { HandlersFor } from '../rpc/router'
import type { Capability } from './capability'

export function createAppCapability(version: string): Capability & { handlers: HandlersFor<typeof appMethods> } {
  return {
    name: 'app',
    handlers: { 'app.info': () => ({ name: 'Dropdeck', version }) },
    dispose: () => {}
  }
}
