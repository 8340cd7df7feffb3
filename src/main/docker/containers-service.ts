/**
 * Containers over the Engine API (./engine.ts): list (inspecting each container for health, exit code
 * and start time, again only once it changed), start/stop/restart/remove (remove confirmed by name), health results and live
 * watches (./containers-watch.ts). The contract's containers.* are in ./containers-handlers.ts, with
 * details, shells, disk use and prune.
 */
import type { z } from 'zod'
import type { Container, ContainerActionSchema, HealthResult } from '../../shared/contract/containers'
import { DropdeckError } from '../../shared/errors'
import { ContainersWatches, type WatchTuning } from './containers-watch'
import type { CallContext } from '../rpc/context'
import type { ShellSession } from '../terminals/shell-session'
import { EngineSessions } from './session-cache'
import { InspectCache, type ListEntry } from './inspect-cache'
import { DockerEngine, type EngineDeps, type EngineSession } from './engine'

const ACTION_TIMEOUT_MS = 60_000

type ContainerAction = z.infer<typeof ContainerActionSchema>

/** The part of GET /containers/{id}/json that Dropdeck reads. */
export interface InspectResult {
  Id: string
  Name: string
  Created: string
  Config: { Image: string; Labels?: Record<string, string> | null; ExposedPorts?: Record<string, object> | null }
  State: {
    Status: string
    ExitCode: number
    StartedAt?: string
    FinishedAt?: string
    Health?: { Status: string; Log?: Array<{ Start: string; End: string; ExitCode: number; Output: string }> | null }
  }
  NetworkSettings?: { Ports?: Record<string, Array<{ HostIp: string; HostPort: string }> | null> | null }
}

export interface ContainersService {
  engine: DockerEngine
  watches: ContainersWatches
  /** Every container of the host, by Compose project then name. */
  list(hostId: string): Promise<Container[]>
  inspect(hostId: string, id: string): Promise<InspectResult>
  /** start/stop/restart, or remove (`confirm` must be the container's name); the container after. */
  action(hostId: string, id: string, action: ContainerAction, confirm?: string): Promise<Container>
  dispose(): void
}

export interface ContainersDeps extends EngineDeps {
  /** Keeps the host's SSH connection up while a watch needs it (the pool's retain). */
  retain(hostId: string): () => void
  log?: (line: string) => void
  watchTuning?: WatchTuning
  /** Where container shells become terminal tabs (the terminals service's adopt). */
  terminals?: { attach(session: ShellSession, ctx: CallContext): { id: string } }
}

export function createContainersService(deps: ContainersDeps): ContainersService {
  const engine = new DockerEngine(deps)
  const inspect = async (hostId: string, id: string) => (await engine.request(hostId, 'GET', `/containers/${encodeURIComponent(id)}/json`)).json<InspectResult>()
  const inspectOn = async (session: EngineSession, id: string): Promise<Container | undefined> => {
    try {
      return toContainer((await session.request('GET', `/containers/${encodeURIComponent(id)}/json`)).json<InspectResult>())
    } catch (err) {
      if (err instanceof DropdeckError && err.code === 'NOT_FOUND') return undefined // removed
      throw err
    }
  }
  // The list and every inspect go over one kept-open dial-stdio channel, reused by the next refresh:
  // each new channel costs a docker CLI process on the host, a request on an open one a round trip.
  // A container the list shows unchanged since its last inspect is not inspected again (./inspect-cache.ts).
  const inspected = new InspectCache()
  const listOn = async (hostId: string, session: EngineSession): Promise<Container[]> => {
    const entries = (await session.request('GET', '/containers/json?all=1')).json<ListEntry[]>()
    const listedAt = performance.now()
    const out: Array<Container | undefined> = []
    for (const entry of entries) {
      const cached = inspected.get(hostId, entry, listedAt)
      if (cached) {
        out.push(cached)
        continue
      }
      const sentAt = performance.now()
      const container = await inspectOn(session, entry.Id)
      if (container) inspected.put(hostId, entry, container, sentAt)
      out.push(container)
    }
    inspected.keepOnly(hostId, entries.map((e) => e.Id))
    return out.filter((c): c is Container => c !== undefined).sort((a, b) => (a.project ?? '\uffff').localeCompare(b.project ?? '\uffff') || a.name.localeCompare(b.name))
  }
  const sessions = new EngineSessions(engine)
  const list = (hostId: string): Promise<Container[]> => sessions.use(hostId, (session) => listOn(hostId, session))
  // A watch resyncs rarely (on connect and after a drop) and keeps its own stream open: a session
  // just for that sync, closed after.
  const listOnce = async (hostId: string): Promise<Container[]> => {
    const session = await engine.session(hostId)
    try {
      return await listOn(hostId, session)
    } finally {
      session.close()
    }
  }
  const watches = new ContainersWatches({ engine, retain: deps.retain, list: listOnce, inspect: inspectOn, log: deps.log ?? (() => undefined), tuning: deps.watchTuning })

  const action = async (hostId: string, id: string, action: ContainerAction, confirm?: string): Promise<Container> => {
    const before = toContainer(await inspect(hostId, id))
    const path = `/containers/${encodeURIComponent(before.id)}`
    if (action === 'remove') {
      if (confirm !== before.name) {
        throw new DropdeckError('CONFIRMATION_REQUIRED', `Removing ${before.name} on ${hostId} cannot be undone; confirm with its name.`, { data: { expected: before.name } })
      }
      await engine.request(hostId, 'DELETE', `${path}?force=1`, { timeoutMs: ACTION_TIMEOUT_MS })
      return { ...before, state: 'removed' }
    }
    await engine.request(hostId, 'POST', `${path}/${action}`, { timeoutMs: ACTION_TIMEOUT_MS })
    return toContainer(await inspect(hostId, before.id))
  }
  return {
    engine,
    watches,
    list,
    inspect,
    action,
    dispose: () => {
      watches.dispose()
      sessions.closeAll()
      inspected.clear()
    }
  }
}

const ZERO_TIME = /^0001-01-01/

export function toContainer(i: InspectResult): Container {
  const health = i.State.Health?.Status
  const running = i.State.Status === 'running' || i.State.Status === 'paused' || i.State.Status === 'restarting'
  const ports = portsOf(i.NetworkSettings?.Ports, i.Config.ExposedPorts)
  return {
    id: i.Id,
    name: i.Name.replace(/^\//, ''),
    image: i.Config.Image,
    state: i.State.Status,
    health: health === 'healthy' || health === 'unhealthy' || health === 'starting' ? health : null,
    exitCode: running || i.State.Status === 'created' ? null : i.State.ExitCode,
    ports,
    createdAt: i.Created,
    startedAt: i.State.StartedAt && !ZERO_TIME.test(i.State.StartedAt) ? i.State.StartedAt : null,
    finishedAt: !running && i.State.FinishedAt && !ZERO_TIME.test(i.State.FinishedAt) ? i.State.FinishedAt : null,
    project: i.Config.Labels?.['com.docker.compose.project'] ?? null,
    projectDir: i.Config.Labels?.['com.docker.compose.project.working_dir'] ?? null
  }
}

/**
 * `127.0.0.1:8080->80/tcp` for a published port, `80/tcp` for one only exposed (also when its network
 * has no port table, as `none` has, where docker ps would show nothing).
 */
export function portsOf(ports: Record<string, Array<{ HostIp: string; HostPort: string }> | null> | null | undefined, exposed?: Record<string, object> | null): string[] {
  const listed = Object.entries(ports ?? {}).flatMap(([port, bindings]) => (bindings?.length ? bindings.map((b) => `${b.HostIp ? `${b.HostIp}:` : ''}${b.HostPort}->${port}`) : [port]))
  const unlisted = Object.keys(exposed ?? {}).filter((port) => !(ports && port in ports))
  return [...listed, ...unlisted]
}

export function healthResults(i: InspectResult): HealthResult[] {
  return (i.State.Health?.Log ?? []).map((l) => ({ start: l.Start, end: l.End, exitCode: l.ExitCode, output: l.Output }))
}
