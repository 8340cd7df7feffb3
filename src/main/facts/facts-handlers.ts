/** hosts.facts: a host's CPU, memory, disks, load and OS (./facts-service.ts). */
import type { factsMethods } from '../../shared/contract/facts'
import type { Capability } from '../app/capability'
import type { OpsDeps } from '../app/ops-deps'
import type { HandlersFor } from '../rpc/router'
import { createFactsService, type FactsService } from './facts-service'

export function createFactsCapability(deps: OpsDeps): Capability & FactsService & { handlers: HandlersFor<typeof factsMethods> } {
  const facts = createFactsService(deps)
  return {
    ...facts,
    name: 'facts',
    handlers: { 'hosts.facts': ({ hostId }) => facts.read(hostId) },
    dispose: () => {}
  }
}
