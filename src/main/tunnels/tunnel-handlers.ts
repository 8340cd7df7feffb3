/** tunnels.*: local port forwards over the pooled connections (./tunnels-service.ts). */
import type { tunnelsMethods } from '../../shared/contract/ssh'
import type { HandlersFor } from '../rpc/router'
import type { ConnectionPool } from '../ssh/connection-pool'
import type { HostsService } from '../ssh/hosts-service'
import { tunnelPresets } from './presets'
import type { TunnelsService } from './tunnels-service'

export function createTunnelHandlers({ tunnels, hosts, pool }: { tunnels: TunnelsService; hosts: HostsService; pool: ConnectionPool }): HandlersFor<typeof tunnelsMethods> {
  return {
    'tunnels.start': async (p, ctx) => {
      const host = await hosts.get(p.hostId) // NOT_FOUND before any port is bound
      pool.allow(p.hostId) // the operator wants this host again, after a disconnect too
      return tunnels.start(p, ctx, host)
    },
    'tunnels.list': () => tunnels.list(),
    'tunnels.stop': async ({ id }) => {
      await tunnels.stop(id)
      return { stopped: true as const }
    },
    'tunnels.setStartOnLaunch': ({ id, startOnLaunch }, ctx) => tunnels.setStartOnLaunch(id, startOnLaunch, ctx),
    'tunnels.presets': async () => tunnelPresets(await hosts.configs())
  }
}
