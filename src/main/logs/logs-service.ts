/** The logs methods of the contract. */
import type { MethodName } from '../../shared/contract'
import type { logsMethods } from '../../shared/contract/logs'
import type { OpsDeps } from '../app/ops-deps'
import type { Handlers } from '../rpc/router'

type LogsMethodName = keyof typeof logsMethods & MethodName

export interface LogsServices {
  handlers: Pick<Handlers, LogsMethodName>
  dispose(): Promise<void>
}

export function createLogsServices(deps: OpsDeps): LogsServices {
  void deps
  return { handlers: {}, dispose: async () => {} }
}
