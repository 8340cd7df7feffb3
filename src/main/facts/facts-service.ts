/** The facts methods of the contract. */
import type { MethodName } from '../../shared/contract'
import type { factsMethods } from '../../shared/contract/facts'
import type { OpsDeps } from '../app/ops-deps'
import type { Handlers } from '../rpc/router'

type FactsMethodName = keyof typeof factsMethods & MethodName

export interface FactsServices {
  handlers: Pick<Handlers, FactsMethodName>
  dispose(): Promise<void>
}

export function createFactsServices(deps: OpsDeps): FactsServices {
  void deps
  return { handlers: {}, dispose: async () => {} }
}
