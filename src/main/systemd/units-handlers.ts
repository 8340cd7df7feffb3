/** units.*: the systemd units picked per host (./units-service.ts). */
import type { unitsMethods } from '../../shared/contract/units'
import type { Capability } from '../app/capability'
import type { OpsDeps } from '../app/ops-deps'
import type { HandlersFor } from '../rpc/router'
import { createUnitsService, type UnitsService } from './units-service'

export function createUnitsCapability(deps: OpsDeps): Capability & UnitsService & { handlers: HandlersFor<typeof unitsMethods> } {
  const units = createUnitsService(deps)
  return {
    ...units,
    name: 'units',
    handlers: {
      'units.list': ({ hostId }) => units.list(hostId),
      'units.available': ({ hostId }) => units.available(hostId),
      'units.picked': async ({ hostId }) => ({ units: await units.picked.get(hostId) }),
      'units.pick': async ({ hostId, units: names }) => {
        await deps.ssh.hosts.get(hostId) // NOT_FOUND for a host that does not exist, before anything is stored
        return { units: await units.picked.set(hostId, names) }
      },
      'units.action': ({ hostId, unit, action }) => units.act(hostId, unit, action)
    },
    dispose: () => {}
  }
}
