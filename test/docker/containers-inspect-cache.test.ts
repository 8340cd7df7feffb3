// containers.list inspects a container only when the list shows it changed (src/main/docker/inspect-cache.ts):
// on the real bench (a private dockerd with the seeded containers, reached through a real sshd droplet),
// counting the requests that reach the host's kept-open Engine session.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import path from 'node:path'
import { createServices, type Services } from '../../src/main/app/services'
import { createContainersService, type ContainersService } from '../../src/main/docker/containers-service'
import { stableForMs } from '../../src/main/docker/inspect-cache'
import { startDocker, findDockerd, seedImages, seedContainers, waitForSeededStates, type DockerDaemon } from '../fleet/dockerd'
import { dockerCall } from '../fleet/docker-api'
import { SEEDED_CONTAINERS } from '../fleet/docker-seed'
import { startDroplets, SSHD_PATH, type Droplets } from '../fleet/sshd'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { isPortFree } from '../fleet/net'
import { findExecutable, waitFor } from '../fleet/proc'
import { memoryKeychain } from '../ssh/support/ssh-env'

const dockerd = findDockerd()
const ready = Boolean(dockerd && findExecutable('docker') && existsSync(SSHD_PATH))
if (!ready) console.warn('[docker] skipping inspect cache tests: dockerd, the docker CLI or sshd is missing')

async function freeOffset(): Promise<number> {
  for (let offset = 51_000; offset < 60_000; offset += 1_000) {
    const free = await Promise.all(SEEDED_CONTAINERS.map((c) => isPortFree('127.0.0.1', c.port + offset)))
    if (free.every(Boolean)) return offset
  }
  throw new Error('no free port range for the seeded containers')
}

describe('stableForMs: the least time a docker Status says its container has been as it is', () => {
  it('reads go-units durations, conservatively, and nothing it does not know', () => {
    expect(stableForMs('Up Less than a second')).toBe(0)
    expect(stableForMs('Up 1 second (health: starting)')).toBe(1000)
    expect(stableForMs('Up 42 seconds (healthy)')).toBe(42_000)
    expect(stableForMs('Up About a minute')).toBe(60_000)
    expect(stableForMs('Up 3 minutes (Paused)')).toBe(180_000)
    expect(stableForMs('Up About an hour')).toBe(3_600_000)
    expect(stableForMs('Up 2 hours (unhealthy)')).toBe(1.5 * 3_600_000) // hours are rounded
    expect(stableForMs('Exited (1) 3 days ago')).toBe(72 * 3_600_000 - 1_800_000)
    expect(stableForMs('Restarting (137) 5 seconds ago')).toBe(5000)
    expect(stableForMs('Created')).toBe(Number.POSITIVE_INFINITY)
    expect(stableForMs('Removal In Progress')).toBeUndefined()
    expect(stableForMs('Up for a while')).toBeUndefined()
  })
})

describe.skipIf(!ready)('containers.list re-inspects only changed containers (real dockerd and sshd)', () => {
  let dir: string
  let docker: DockerDaemon
  let droplets: Droplets
  let services: Services
  let containers: ContainersService
  /** Every request path sent over an Engine session, in order. */
  const requests: string[] = []
  const inspects = () => requests.filter((p) => /^\/containers\/[^/]+\/json$/.test(p))

  beforeAll(async () => {
    dir = mkdtempSync('/tmp/ddi-') // short: unix socket paths are limited
    docker = await startDocker({ dir: path.join(dir, 'd') })
    droplets = await startDroplets({ count: 1, dir: path.join(dir, 'ssh'), names: ['docker-droplet'], port: 'auto', baseAddress: '127.0.49.40', env: { DOCKER_HOST: docker.env.DOCKER_HOST } })
    const files = writeSshClientFiles(dir, droplets.droplets)
    await seedImages(docker)
    const seeded = await seedContainers(docker, { portOffset: await freeOffset() })
    await waitForSeededStates(docker, seeded, 45_000)
    // A container started a second ago may have restarted since any inspect but the last instant's:
    // the cache trusts an inspect only for as long as Status says the container has been as it is.
    await waitFor(async () => (await dockerCall(docker.socketPath, 'GET', '/containers/json?all=1')).json<Array<{ Status: string }>>().every((c) => (stableForMs(c.Status) ?? 0) >= 10_000), { timeoutMs: 45_000, intervalMs: 500, what: 'every seeded container up 10 s' })
    services = createServices({ dataDir: path.join(dir, 'data'), version: '0.0.0-test', keychain: memoryKeychain(), env: { DROPDECK_SSH_CONFIG: files.sshConfigPath }, log: () => undefined })
    containers = createContainersService({ acquire: (hostId) => services.ssh.pool.acquire(hostId), retain: (hostId) => services.ssh.pool.retain(hostId), userOf: async () => 'dropdeck' })
    // Count at the session: every request a list sends goes through the session's request().
    const session = containers.engine.session.bind(containers.engine)
    containers.engine.session = async (hostId) => {
      const s = await session(hostId)
      const request = s.request
      return Object.assign(s, {
        request: (method: string, p: string, options?: { timeoutMs?: number; body?: unknown }) => {
          requests.push(p)
          return request(method, p, options)
        }
      })
    }
  })

  afterAll(async () => {
    containers?.dispose()
    await services?.dispose()
    await droplets?.stop()
    await docker?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('a warm refresh of an unchanged host sends the list alone, and answers the same', async () => {
    const cold = await containers.list('docker-droplet')
    expect(cold.map((c) => c.name).sort()).toEqual(SEEDED_CONTAINERS.map((c) => c.name).sort())
    expect(inspects()).toHaveLength(cold.length)
    requests.length = 0
    const warm = await containers.list('docker-droplet')
    expect(requests).toEqual(['/containers/json?all=1'])
    expect(warm).toEqual(cold)
  })

  it('re-inspects a renamed container, and a restarted one, and only those', async () => {
    const before = await containers.list('docker-droplet')
    const plain = before.find((c) => c.name === 'tax-rules-service')!
    requests.length = 0
    await dockerCall(docker.socketPath, 'POST', `/containers/${plain.id}/rename?name=tax-rules-renamed`)
    const renamed = await containers.list('docker-droplet')
    expect(inspects()).toEqual([`/containers/${plain.id}/json`])
    expect(renamed.find((c) => c.id === plain.id)?.name).toBe('tax-rules-renamed')

    const mlflow = before.find((c) => c.name === 'e2i-mlflow-1')!
    requests.length = 0
    await dockerCall(docker.socketPath, 'POST', `/containers/${mlflow.id}/restart?t=1`)
    const restarted = await containers.list('docker-droplet')
    expect(inspects()).toEqual([`/containers/${mlflow.id}/json`])
    const after = restarted.find((c) => c.id === mlflow.id)!
    expect(Date.parse(after.startedAt!)).toBeGreaterThan(Date.parse(mlflow.startedAt!))
    // What the list says matches a fresh inspect of every container.
    const fresh = await Promise.all(restarted.map(async (c) => (await containers.inspect('docker-droplet', c.id)).State.StartedAt))
    expect(restarted.map((c) => c.startedAt)).toEqual(fresh.map((t) => (t && !t.startsWith('0001-01-01') ? t : null)))
  })
})
