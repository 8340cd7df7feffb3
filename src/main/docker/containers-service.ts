/**
 * containers.* over the Engine API (./engine.ts): list (inspecting each container for health,
 * exit code and start time), start/stop/restart/remove (remove confirmed by name), health results.
 */
import type { MethodName } from '../../shared/contract'
import type { Container, HealthResult, containersMethods } from '../../shared/contract/containers'
import { DropdeckError } from '../../shared/errors'
import type { Handlers } from '../rpc/router'
import { DockerEngine, type EngineDeps } from './engine'

/** Inspects at once per host; OpenSSH allows 10 sessions per connection and terminals need some. */
const INSPECT_CONCURRENCY = 4
const ACTION_TIMEOUT_MS = 60_000

interface ListEntry {
  Id: string
}

/** The part of GET /containers/{id}/json that Dropdeck reads. */
export interface InspectResult {
  Id: string
  Name: string
  Created: string
  Config: { Image: string; Labels?: Record<string, string> | null }
  State: {
    Status: string
    ExitCode: number
    StartedAt?: string
    Health?: { Status: string; Log?: Array<{ Start: string; End: string; ExitCode: number; Output: string }> | null }
  }
  NetworkSettings?: { Ports?: Record<string, Array<{ HostIp: string; HostPort: string }> | null> | null }
}

type ContainersMethodName = keyof typeof containersMethods & MethodName

export interface ContainersServices {
  handlers: Pick<Handlers, ContainersMethodName>
  engine: DockerEngine
}

export function createContainersServices(deps: EngineDeps): ContainersServices {
  const engine = new DockerEngine(deps)
  const inspect = async (hostId: string, id: string) => (await engine.request(hostId, 'GET', `/containers/${encodeURIComponent(id)}/json`)).json<InspectResult>()

  const handlers: Pick<Handlers, ContainersMethodName> = {
    'containers.list': async ({ hostId }) => {
      const list = (await engine.request(hostId, 'GET', '/containers/json?all=1')).json<ListEntry[]>()
      const out = await mapLimit(list, INSPECT_CONCURRENCY, async (c) => {
        try {
          return toContainer(await inspect(hostId, c.Id))
        } catch (err) {
          if (err instanceof DropdeckError && err.code === 'NOT_FOUND') return undefined // removed meanwhile
          throw err
        }
      })
      return out.filter((c): c is Container => c !== undefined).sort((a, b) => (a.project ?? '\uffff').localeCompare(b.project ?? '\uffff') || a.name.localeCompare(b.name))
    },
    'containers.action': async ({ hostId, id, action, confirm }) => {
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
    },
    'containers.health': async ({ hostId, id }) => healthResults(await inspect(hostId, id))
  }
  return { handlers, engine }
}

const ZERO_TIME = /^0001-01-01/

export function toContainer(i: InspectResult): Container {
  const health = i.State.Health?.Status
  const running = i.State.Status === 'running' || i.State.Status === 'paused' || i.State.Status === 'restarting'
  const ports = Object.entries(i.NetworkSettings?.Ports ?? {}).flatMap(([port, bindings]) =>
    bindings?.length ? bindings.map((b) => `${b.HostIp ? `${b.HostIp}:` : ''}${b.HostPort}->${port}`) : [port]
  )
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
    project: i.Config.Labels?.['com.docker.compose.project'] ?? null
  }
}

export function healthResults(i: InspectResult): HealthResult[] {
  return (i.State.Health?.Log ?? []).map((l) => ({ start: l.Start, end: l.End, exitCode: l.ExitCode, output: l.Output }))
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i])
    }
  }))
  return out
}
