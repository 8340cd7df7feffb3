/** The units methods of the contract. */
import type { MethodName } from '../../shared/contract'
import type { unitsMethods } from '../../shared/contract/units'
import type { OpsDeps } from '../app/ops-deps'
import type { Handlers } from '../rpc/router'

type UnitsMethodName = keyof typeof unitsMethods & MethodName

export interface UnitsServices {
  handlers: Pick<Handlers, UnitsMethodName>
  dispose(): Promise<void>
}

export function createUnitsServices(deps: OpsDeps): UnitsServices {
  void deps
  return { handlers: {}, dispose: async () => {} }
}
