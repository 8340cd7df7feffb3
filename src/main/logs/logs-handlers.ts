/** logs.*: log streams of containers, units and files on SSH hosts (./logs-service.ts), acknowledged batch by batch. */
import type { logsMethods } from '../../shared/contract/logs'
import type { Capability } from '../app/capability'
import type { OpsDeps } from '../app/ops-deps'
import type { HandlersFor } from '../rpc/router'
import type { StreamTuning } from './log-stream'
import { createLogsService, type LogsService } from './logs-service'

export function createLogsCapability(deps: OpsDeps, tuning: StreamTuning = {}): Capability & LogsService & { handlers: HandlersFor<typeof logsMethods> } {
  const logs = createLogsService(deps, tuning)
  return {
    ...logs,
    name: 'logs',
    handlers: {
      'logs.open': (p, ctx) => logs.open(p, ctx),
      'logs.ack': ({ id, seq }, ctx) => {
        if (ctx.owns(id)) logs.streams.get(id)?.ack(seq) // acks can trail a closed stream
        return { ok: true as const }
      },
      'logs.close': async ({ id }, ctx) => {
        if (ctx.owns(id)) await logs.close(id) // another client's stream is closed as an unknown one: not at all
        return { closed: true as const }
      }
    }
  }
}
