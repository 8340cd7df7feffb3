/**
 * containers.*: Docker containers on SSH hosts (./containers-service.ts), with their details
 * (./container-details.ts), shells as terminals (./container-exec.ts), disk use and prune (./disk-usage.ts).
 */
import type { containersMethods } from '../../shared/contract/containers'
import { DropdeckError } from '../../shared/errors'
import type { Capability } from '../app/capability'
import type { HandlersFor } from '../rpc/router'
import { containerStats, inspectContainer, revealEnv, tailLogs } from './container-details'
import { openContainerShell } from './container-exec'
import { createContainersService, healthResults, portsOf, type ContainersDeps, type ContainersService } from './containers-service'
import { diskUsage, prune, prunePreview } from './disk-usage'

export function createContainersCapability(deps: ContainersDeps): Capability & ContainersService & { handlers: HandlersFor<typeof containersMethods> } {
  const containers = createContainersService(deps)
  const { engine, watches } = containers
  const log = deps.log ?? (() => undefined)
  return {
    ...containers,
    name: 'containers',
    handlers: {
      'containers.list': ({ hostId }) => containers.list(hostId),
      'containers.action': ({ hostId, id, action, confirm }) => containers.action(hostId, id, action, confirm),
      'containers.health': async ({ hostId, id }) => healthResults(await containers.inspect(hostId, id)),
      'containers.inspect': ({ hostId, id }) => inspectContainer(engine, hostId, id, (i) => portsOf(i.NetworkSettings?.Ports, i.Config.ExposedPorts)),
      'containers.revealEnv': ({ hostId, id, name }) => revealEnv(engine, hostId, id, name),
      'containers.stats': ({ hostId, id }) => containerStats(engine, hostId, id),
      'containers.tail': async ({ hostId, id, lines }) => ({ lines: await tailLogs(engine, hostId, id, lines ?? 20) }),
      'containers.shell': async ({ hostId, id, cols, rows }, ctx) => {
        if (!deps.terminals) throw new DropdeckError('INTERNAL', 'Container shells are not available in this build.')
        const session = await openContainerShell(engine, deps.retain, { hostId, container: id, cols, rows }, log)
        return deps.terminals.attach(session, ctx)
      },
      'containers.watch.open': ({ hostId }, ctx) => watches.open(hostId, ctx),
      'containers.watch.close': ({ id }, ctx) => {
        if (ctx.owns(id)) watches.close(id) // another client's watch is closed as an unknown one: not at all
        return { closed: true as const }
      },
      'containers.df': ({ hostId }) => diskUsage(engine, hostId),
      'containers.prunePreview': ({ hostId, volumes }) => prunePreview(engine, hostId, volumes === true),
      'containers.prune': ({ hostId, volumes, confirm }) => prune(engine, hostId, volumes === true, confirm)
    },
    dispose: () => containers.dispose()
  }
}
