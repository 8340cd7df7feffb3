/** The terminals.* methods of the contract, wired to the terminals service and its saved commands. */
import type { terminalMethods } from '../../shared/contract/terminals'
import type { HandlersFor } from '../rpc/router'
import type { TerminalsService } from './terminals-service'

export function createTerminalHandlers(terminals: TerminalsService, hosts: { get(hostId: string): Promise<unknown> }): HandlersFor<typeof terminalMethods> {
  return {
    'terminals.open': async (p, ctx) => {
      if (p.kind === 'local') return terminals.openLocal(p, ctx)
      await hosts.get(p.hostId) // NOT_FOUND for an unknown host before anything connects
      return terminals.open(p, ctx)
    },
    'terminals.write': ({ id, data }, ctx) => {
      terminals.write(id, data, ctx)
      return { ok: true as const }
    },
    'terminals.resize': ({ id, cols, rows }, ctx) => {
      terminals.resize(id, cols, rows, ctx)
      return { ok: true as const }
    },
    'terminals.ack': ({ id, bytes }, ctx) => {
      terminals.ack(id, bytes, ctx)
      return { ok: true as const }
    },
    'terminals.close': async ({ id }, ctx) => {
      // Another client's terminal is closed as an unknown one: not at all.
      if (ctx.owns(id)) await terminals.close(id)
      return { closed: true as const }
    },
    'terminals.commands.list': ({ hostId }) => terminals.listCommands(hostId),
    'terminals.commands.add': (input) => terminals.addCommand(input),
    'terminals.commands.remove': async ({ id }) => {
      await terminals.removeCommand(id)
      return { removed: true as const }
    }
  }
}
