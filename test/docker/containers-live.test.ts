// Live container updates, disk use, prune and faults on the real bench: a private dockerd with the
// seeded containers, reached through real sshd droplets, through the real services (router,
// contract validation, event bus, SSH pool). Faults: an events stream cut (its dial-stdio process
// killed on the host), a daemon that is down, a host without docker.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import path from 'node:path'
import { createServices, type Services } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import { routerCalls } from '../support/router-calls'
import type { EventName, EventPayload } from '../../src/shared/contract'
import type { Container } from '../../src/shared/contract/containers'
import { startDocker, findDockerd, seedImages, seedContainers, waitForSeededStates, type DockerDaemon } from '../fleet/dockerd'
import { SEEDED_CONTAINERS, BASE_IMAGE } from '../fleet/docker-seed'
import { dockerCall, dockerRequest } from '../fleet/docker-api'
import { startDroplets, SSHD_PATH, type Droplets } from '../fleet/sshd'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { isPortFree } from '../fleet/net'
import { findExecutable, waitFor } from '../fleet/proc'
import { tar } from '../fleet/tar'
import { memoryKeychain } from '../ssh/support/ssh-env'
import { dialProcesses } from './dial-processes'

const dockerd = findDockerd()
const ready = Boolean(dockerd && findExecutable('docker') && existsSync(SSHD_PATH))
if (!ready) console.warn('[docker] skipping live container tests: dockerd, the docker CLI or sshd is missing')

async function freeOffset(): Promise<number> {
  for (let offset = 43_000; offset < 50_000; offset += 1_000) {
    const free = await Promise.all(SEEDED_CONTAINERS.map((c) => isPortFree('127.0.0.1', c.port + offset)))
    if (free.every(Boolean)) return offset
  }
  throw new Error('no free port range for the seeded containers')
}

type Seen = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName]

describe.skipIf(!ready)('live containers, disk use, prune and faults (real dockerd and sshd)', () => {
  let dir: string
  let docker: DockerDaemon
  let live: Droplets
  let down: Droplets
  let noDocker: Droplets
  let services: Services
  const seen: Seen[] = []
  let firstWatch = ''
  const ctx = createCallContext('test:containers-live', () => services.bus)

  const { call, failure } = routerCalls(() => services, ctx)
  function eventsOf<E extends EventName>(event: E, from = 0): Array<EventPayload<E>> {
    return seen.slice(from).filter((s) => s.event === event).map((s) => s.payload as EventPayload<E>)
  }
  type WatchData = EventPayload<'containers.watch.data'>
  const syncedOf = (from = 0) => eventsOf('containers.watch.data', from).filter((d): d is Extract<WatchData, { kind: 'synced' }> => d.kind === 'synced')
  const changedOf = (from = 0) => eventsOf('containers.watch.data', from).filter((d): d is Extract<WatchData, { kind: 'changed' }> => d.kind === 'changed')
  /** What a client holds after applying synced and changed data for the host, as the view does. */
  function folded(hostId: string): Map<string, Container> {
    const out = new Map<string, Container>()
    for (const s of seen) {
      if (s.event !== 'containers.watch.data' || s.payload.hostId !== hostId) continue
      if (s.payload.kind === 'synced') {
        out.clear()
        for (const c of s.payload.containers) out.set(c.id, c)
      } else {
        const c = s.payload.container
        if ('removed' in c) out.delete(c.id)
        else out.set(c.id, c)
      }
    }
    return out
  }
  const byName = (hostId: string, name: string) => [...folded(hostId).values()].find((c) => c.name === name)

  beforeAll(async () => {
    dir = mkdtempSync('/tmp/ddl-') // short: unix socket paths are limited
    docker = await startDocker({ dir: path.join(dir, 'd') })
    const emptyBin = path.join(dir, 'empty-bin')
    mkdirSync(emptyBin)
    ;[live, down, noDocker] = await Promise.all([
      startDroplets({ count: 1, dir: path.join(dir, 's1'), names: ['live-droplet'], port: 'auto', baseAddress: '127.0.40.2', env: { DOCKER_HOST: docker.env.DOCKER_HOST } }),
      startDroplets({ count: 1, dir: path.join(dir, 's2'), names: ['down-droplet'], port: 'auto', baseAddress: '127.0.40.3', env: { DOCKER_HOST: `unix://${dir}/no-daemon.sock` } }),
      // no docker on PATH (nor sudo): a host without Docker
      startDroplets({ count: 1, dir: path.join(dir, 's3'), names: ['nodocker-droplet'], port: 'auto', baseAddress: '127.0.40.4', env: { PATH: emptyBin } })
    ])
    const files = writeSshClientFiles(dir, [...live.droplets, ...down.droplets, ...noDocker.droplets])
    await seedImages(docker)
    const seeded = await seedContainers(docker, { portOffset: await freeOffset() })
    await waitForSeededStates(docker, seeded, 45_000)
    services = createServices({ dataDir: path.join(dir, 'data'), version: '0.0.0-test', keychain: memoryKeychain(), env: { DROPDECK_SSH_CONFIG: files.sshConfigPath }, log: () => undefined })
    services.bus.subscribe((event, payload) => {
      if (event.startsWith('containers.')) seen.push({ event, payload } as Seen)
    })
  }, 180_000)

  afterAll(async () => {
    await ctx.dispose()
    await services?.dispose()
    await Promise.all([live?.stop(), down?.stop(), noDocker?.stop()])
    await docker?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('a watch syncs the host, then follows a restart live: starting, then healthy, without polling', async () => {
    const watch = await call('containers.watch.open', { hostId: 'live-droplet' })
    firstWatch = watch.id
    expect(watch.status).toMatchObject({ hostId: 'live-droplet', state: 'connecting' })
    await waitFor(() => eventsOf('containers.watch.state').some((s) => s.hostId === 'live-droplet' && s.state === 'live'), { timeoutMs: 20_000, what: 'the watch to go live' })
    const synced = syncedOf().filter((s) => s.hostId === 'live-droplet')
    expect(synced).toHaveLength(1)
    expect(synced[0].containers.map((c) => c.name).sort()).toEqual(SEEDED_CONTAINERS.map((c) => c.name).sort())
    expect(dialProcesses(live.droplets[0].pid)).toHaveLength(1) // the events stream, and nothing else

    const from = seen.length
    const mlflow = byName('live-droplet', 'e2i-mlflow-1')!
    expect(mlflow.health).toBe('healthy')
    // Restarted behind Dropdeck's back (the host's own docker), so only the events stream can tell.
    await dockerCall(docker.socketPath, 'POST', `/containers/${mlflow.id}/restart`, { query: { t: 0 } })
    await waitFor(() => changedOf(from).length > 0 && byName('live-droplet', 'e2i-mlflow-1')?.health === 'healthy', { timeoutMs: 30_000, what: 'e2i-mlflow-1 to be healthy again' })
    const changes = changedOf(from).map((c) => c.container).filter((c): c is Container => 'name' in c && c.id === mlflow.id)
    expect(changes.some((c) => c.health === 'starting' || c.state !== 'running')).toBe(true)
    expect(changes.at(-1)).toMatchObject({ state: 'running', health: 'healthy' })
    // Every re-inspect went over one kept-open session: the stream plus one channel, not one per event.
    expect(changes.length).toBeGreaterThan(1)
    expect(dialProcesses(live.droplets[0].pid)).toHaveLength(2)
    expect(Date.parse(changes.at(-1)!.startedAt!)).toBeGreaterThan(Date.parse(mlflow.startedAt!))
  })

  it('reports created and removed containers', async () => {
    const from = seen.length
    const created = await dockerCall(docker.socketPath, 'POST', '/containers/create', { query: { name: 'live-scratch' }, body: { Image: BASE_IMAGE, Cmd: ['true'], Labels: { 'com.dropdeck.fleet': 'test' } } })
    const id = created.json<{ Id: string }>().Id
    await waitFor(() => byName('live-droplet', 'live-scratch'), { timeoutMs: 15_000, what: 'live-scratch to appear' })
    expect(byName('live-droplet', 'live-scratch')).toMatchObject({ id, state: 'created', project: null })
    await dockerCall(docker.socketPath, 'DELETE', `/containers/${id}`, { query: { force: true } })
    await waitFor(() => changedOf(from).some((c) => c.container.id === id && 'removed' in c.container), { timeoutMs: 15_000, what: 'the removal event' })
    expect(byName('live-droplet', 'live-scratch')).toBeUndefined()
  })

  it('a cut events stream reconnects with backoff and resyncs what changed meanwhile', async () => {
    const from = seen.length
    // The events stream's process and the re-inspect session's: both die on the host, the channels close mid-stream.
    const pids = dialProcesses(live.droplets[0].pid)
    expect(pids.length).toBeGreaterThanOrEqual(1)
    for (const pid of pids) process.kill(pid, 'SIGKILL')
    await waitFor(() => eventsOf('containers.watch.state', from).some((s) => s.state === 'reconnecting'), { timeoutMs: 10_000, what: 'the watch to notice' })
    const reconnecting = eventsOf('containers.watch.state', from).find((s) => s.state === 'reconnecting')!
    expect(reconnecting).toMatchObject({ hostId: 'live-droplet', attempt: 1, retryInMs: 500 })
    expect(reconnecting.message).toContain('events stream ended')
    // Changed while no stream is open: only the resync can tell.
    const tax = byName('live-droplet', 'tax-rules-service')!
    await dockerCall(docker.socketPath, 'POST', `/containers/${tax.id}/restart`, { query: { t: 0 } })
    await waitFor(() => eventsOf('containers.watch.state', from).some((s) => s.state === 'live'), { timeoutMs: 20_000, what: 'the watch to be live again' })
    expect(Date.parse(byName('live-droplet', 'tax-rules-service')!.startedAt!)).toBeGreaterThan(Date.parse(tax.startedAt!))
    expect(syncedOf(from).filter((s) => s.hostId === 'live-droplet')).toHaveLength(1)
    expect(dialProcesses(live.droplets[0].pid).length).toBeLessThanOrEqual(2) // the new stream, and a session if an event came
  })

  it('disposing the watch\'s owner closes its stream on the host', async () => {
    const owner = createCallContext('test:owner', services.bus)
    const before = dialProcesses(live.droplets[0].pid).length
    const second = await call('containers.watch.open', { hostId: 'live-droplet' }, owner)
    expect(second.status.state).toBe('live') // shares the host's live stream
    expect(dialProcesses(live.droplets[0].pid)).toHaveLength(before)
    await owner.dispose()
    expect(dialProcesses(live.droplets[0].pid)).toHaveLength(before) // ctx's watch still needs it
    await call('containers.watch.close', { id: firstWatch })
    await waitFor(() => dialProcesses(live.droplets[0].pid).length === 0, { timeoutMs: 10_000, what: 'the stream to close on the host' })
  })

  it('a daemon that is down: list says so and is retryable; a watch keeps retrying with that reason', async () => {
    const err = await failure('containers.list', { hostId: 'down-droplet' })
    expect(err.code).toBe('UPSTREAM')
    expect(err.message).toContain('down-droplet: the Docker daemon is not running. Start it on the host')
    expect(err.retryable).toBe(true)
    const owner = createCallContext('test:down', services.bus)
    const from = seen.length
    await call('containers.watch.open', { hostId: 'down-droplet' }, owner)
    await waitFor(() => eventsOf('containers.watch.state', from).filter((s) => s.hostId === 'down-droplet' && s.state === 'reconnecting').length >= 2, { timeoutMs: 15_000, what: 'two reconnect attempts' })
    const attempts = eventsOf('containers.watch.state', from).filter((s) => s.hostId === 'down-droplet' && s.state === 'reconnecting')
    expect(attempts.map((a) => a.attempt).slice(0, 2)).toEqual([1, 2])
    expect(attempts[1].retryInMs).toBe(2 * attempts[0].retryInMs!) // exponential backoff
    expect(attempts[0].message).toContain('the Docker daemon is not running')
    await owner.dispose()
  })

  it('a watch on a host that cannot be reached says why while it retries, and stops with containers.watch.close', async () => {
    const from = seen.length
    const watch = await call('containers.watch.open', { hostId: 'no-such-host.invalid' })
    await waitFor(() => eventsOf('containers.watch.state', from).find((s) => s.hostId === 'no-such-host.invalid' && s.state === 'reconnecting'), { timeoutMs: 15_000, what: 'the first failed attempt' })
    const first = eventsOf('containers.watch.state', from).find((s) => s.state === 'reconnecting')!
    expect(first.message).toMatch(/no-such-host\.invalid/)
    await call('containers.watch.close', { id: watch.id })
    const after = seen.length
    await new Promise((r) => setTimeout(r, 1500)) // past the next retry (0.5 s, then 1 s)
    expect(eventsOf('containers.watch.state', after)).toEqual([])
  })

  it('a host without docker says docker is not installed', async () => {
    const err = await failure('containers.list', { hostId: 'nodocker-droplet' })
    expect(err.code).toBe('UPSTREAM')
    expect(err.message).toContain(`nodocker-droplet: docker is not installed (no docker command on ${noDocker.droplets[0].user}'s PATH)`)
    expect(err.retryable).toBe(false)
  })

  it('df reports images, containers, volumes and build cache with what is reclaimable', async () => {
    const df = await call('containers.df', { hostId: 'live-droplet' })
    const images = (await dockerCall(docker.socketPath, 'GET', '/images/json')).json<unknown[]>()
    expect(df.images.count).toBe(images.length)
    expect(df.images.active).toBe(3) // deploy_aaaaaaaa, _bbbbbbbb and _cccccccc have containers; busybox has none
    expect(df.images.size).toBeGreaterThan(0)
    // Only what a prune removes counts as reclaimable: dangling images. The unused but tagged busybox image
    // stays (container-depth.test.ts checks that Disk and the prune preview agree once one is dangling).
    expect(df.images.reclaimable).toBe(0)
    expect(df.containers).toMatchObject({ count: SEEDED_CONTAINERS.length, active: SEEDED_CONTAINERS.length - 1 })
    expect(df.volumes).toMatchObject({ count: 0, size: 0, reclaimable: 0 })
    expect(df.buildCache.reclaimable).toBeLessThanOrEqual(df.buildCache.size)
  })

  it('prune previews, refuses without the host name, then removes only what the preview listed (volumes only when asked)', async () => {
    // A stopped container with a few KB written, a dangling image and an unused volume.
    const stopped = (await dockerCall(docker.socketPath, 'POST', '/containers/create', { query: { name: 'prune-me' }, body: { Image: BASE_IMAGE, Cmd: ['sh', '-c', 'head -c 20000 /dev/zero > /junk'] } })).json<{ Id: string }>().Id
    await dockerCall(docker.socketPath, 'POST', `/containers/${stopped}/start`)
    await dockerCall(docker.socketPath, 'POST', `/containers/${stopped}/wait`)
    await dockerCall(docker.socketPath, 'POST', '/images/create', { query: { fromSrc: '-', message: 'dangling' }, body: tar([{ type: 'file', name: 'data', data: 'x'.repeat(5000) }]) })
    const dangling = (await dockerCall(docker.socketPath, 'GET', '/images/json', { query: { filters: JSON.stringify({ dangling: ['true'] }) } })).json<Array<{ Id: string }>>()
    expect(dangling).toHaveLength(1)
    await dockerCall(docker.socketPath, 'POST', '/volumes/create', { body: { Name: 'keep-me' } })

    const preview = await call('containers.prunePreview', { hostId: 'live-droplet' })
    expect(preview.containers.map((c) => c.name).sort()).toEqual(['odoo-ocr-adapter-1', 'prune-me'])
    expect(preview.containers.find((c) => c.name === 'prune-me')!.size).toBeGreaterThanOrEqual(20_000)
    expect(preview.images.map((i) => i.id)).toEqual([dangling[0].Id])
    expect(preview).toMatchObject({ volumes: [], volumesIncluded: false })
    expect(preview.spaceReclaimed).toBeGreaterThanOrEqual(25_000)
    const withVolumes = await call('containers.prunePreview', { hostId: 'live-droplet', volumes: true })
    expect(withVolumes.volumes.map((v) => v.name)).toEqual(['keep-me'])

    for (const confirm of [undefined, 'live', 'down-droplet']) {
      const refused = await failure('containers.prune', { hostId: 'live-droplet', confirm })
      expect(refused.code).toBe('CONFIRMATION_REQUIRED')
      expect(refused.message).toContain('confirm with the host name')
      expect((refused.data as { expected: string; preview: unknown }).expected).toBe('live-droplet')
      expect((refused.data as { preview: { containers: unknown[] } }).preview.containers).toHaveLength(2)
    }
    expect((await call('containers.list', { hostId: 'live-droplet' })).map((c) => c.name)).toContain('prune-me') // nothing went

    const removed = await call('containers.prune', { hostId: 'live-droplet', confirm: 'live-droplet' })
    expect(removed.containers.map((c) => c.name).sort()).toEqual(['odoo-ocr-adapter-1', 'prune-me'])
    expect(removed.images.map((i) => i.id)).toEqual([dangling[0].Id])
    expect(removed.volumes).toEqual([])
    expect(removed.spaceReclaimed).toBeGreaterThanOrEqual(20_000)
    const after = await call('containers.list', { hostId: 'live-droplet' })
    expect(after.filter((c) => c.state !== 'running')).toEqual([])
    expect(after).toHaveLength(SEEDED_CONTAINERS.length - 1)
    expect((await dockerCall(docker.socketPath, 'GET', '/images/json', { query: { filters: JSON.stringify({ dangling: ['true'] }) } })).json<unknown[]>()).toEqual([])
    expect((await dockerRequest(docker.socketPath, 'GET', '/volumes/keep-me')).status).toBe(200)
    const again = await call('containers.prunePreview', { hostId: 'live-droplet' })
    expect(again).toMatchObject({ containers: [], images: [], spaceReclaimed: again.buildCache.size })
  })
})
