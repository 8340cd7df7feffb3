// Container CPU and memory history on the real bench: a private dockerd reached through a real sshd,
// through the real services. A container spinning a CPU and one asleep are sampled with the Engine
// API's one-shot stats while the host is connected, the points survive a restart of the services
// (same data dir), only the newest containers are sampled when a host runs more than the bound, and
// nothing is sampled once the host is disconnected.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import path from 'node:path'
import { createServices, type Services } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import { routerCalls } from '../support/router-calls'
import { startDocker, findDockerd, seedImages, type DockerDaemon } from '../fleet/dockerd'
import { BASE_IMAGE } from '../fleet/docker-seed'
import { dockerCall } from '../fleet/docker-api'
import { startDroplets, SSHD_PATH, type Droplets } from '../fleet/sshd'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { findExecutable, waitFor } from '../fleet/proc'
import { memoryKeychain } from '../ssh/support/ssh-env'
import { dialProcesses } from './dial-processes'

const dockerd = findDockerd()
const ready = Boolean(dockerd && findExecutable('docker') && existsSync(SSHD_PATH))
if (!ready) console.warn('[docker] skipping container metrics tests: dockerd, the docker CLI or sshd is missing')

const HOST = 'metrics-droplet'

describe.skipIf(!ready)('container CPU and memory history (real dockerd and sshd)', () => {
  let dir: string
  let docker: DockerDaemon
  let droplets: Droplets
  let noDocker: Droplets
  let services: Services
  const log: string[] = []
  let sshConfig: string
  const ctx = createCallContext('test:container-metrics', () => services.bus)
  const { call } = routerCalls(() => services, ctx)
  const ids: Record<string, string> = {}

  const start = () =>
    createServices({
      dataDir: path.join(dir, 'data'),
      version: '0.0.0-test',
      keychain: memoryKeychain(),
      env: { DROPDECK_SSH_CONFIG: sshConfig },
      log: (line) => log.push(line),
      // two containers a round on this host of three: the bound, visible
      metricsHistoryTuning: { containerSampleMs: 400, containersPerHost: 2 }
    })

  const run = async (name: string, cmd: string[]) => {
    const created = await dockerCall(docker.socketPath, 'POST', '/containers/create', { query: { name }, body: { Image: BASE_IMAGE, Cmd: cmd, HostConfig: { NetworkMode: 'none' }, Labels: { 'com.dropdeck.fleet': 'test' } } })
    const id = created.json<{ Id: string }>().Id
    await dockerCall(docker.socketPath, 'POST', `/containers/${id}/start`)
    return id
  }

  beforeAll(async () => {
    dir = mkdtempSync('/tmp/ddcm-') // short: unix socket paths are limited
    docker = await startDocker({ dir: path.join(dir, 'd') })
    const emptyBin = path.join(dir, 'empty-bin')
    mkdirSync(emptyBin)
    ;[droplets, noDocker] = await Promise.all([
      startDroplets({ count: 1, dir: path.join(dir, 's'), names: [HOST], port: 'auto', baseAddress: '127.0.43.60', env: { DOCKER_HOST: docker.env.DOCKER_HOST } }),
      // no docker on PATH: a host without Docker
      startDroplets({ count: 1, dir: path.join(dir, 's2'), names: ['nodocker'], port: 'auto', baseAddress: '127.0.43.61', env: { PATH: emptyBin } })
    ])
    sshConfig = writeSshClientFiles(dir, [...droplets.droplets, ...noDocker.droplets]).sshConfigPath
    await seedImages(docker)
    // created one after another: "asleep" is the oldest and falls outside the bound of two
    ids.asleep = await run('asleep', ['sleep', '3600'])
    await new Promise((r) => setTimeout(r, 1100)) // docker's Created is in whole seconds
    ids.idle = await run('idle', ['sleep', '3600'])
    await new Promise((r) => setTimeout(r, 1100))
    ids.spin = await run('spin', ['sh', '-c', 'while :; do :; done'])
    services = start()
  }, 180_000)

  afterAll(async () => {
    await ctx.dispose()
    await services?.dispose()
    await Promise.all([droplets?.stop(), noDocker?.stop()])
    await docker?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('samples nothing before the host is connected (sampling never opens a connection)', async () => {
    await new Promise((r) => setTimeout(r, 1500))
    expect((await call('metrics.container', { hostId: HOST, containerId: ids.spin, range: '1h' })).points).toEqual([])
    expect((await call('hosts.list', {})).find((h) => h.id === HOST)?.state).not.toBe('connected')
  })

  it('samples CPU and memory of the newest running containers while the host is connected', async () => {
    await call('hosts.connect', { hostId: HOST })
    let spin: { t: number; cpu: number | null; mem: number }[] = []
    await waitFor(async () => (spin = (await call('metrics.container', { hostId: HOST, containerId: ids.spin, range: '1h' })).points).filter((p) => p.cpu !== null).length >= 3, { timeoutMs: 30_000, what: 'three CPU figures for spin' })
    const idle = (await call('metrics.container', { hostId: HOST, containerId: 'idle', range: '1h' })).points // by name
    expect(idle.length).toBeGreaterThanOrEqual(3)
    // a container spinning a loop uses a share of a core (how much depends on the machine's load); one asleep next to nothing
    const busy = spin.filter((p) => p.cpu !== null).map((p) => p.cpu!)
    const calm = idle.filter((p) => p.cpu !== null).map((p) => p.cpu!)
    expect(Math.max(...busy)).toBeGreaterThan(5)
    expect(Math.max(...calm)).toBeLessThan(1)
    expect(spin[0].cpu).toBeNull() // the first sample has no previous counters
    expect(spin.every((p) => p.mem > 0 && p.mem < 512 * 1024 * 1024)).toBe(true)
    expect(spin.every((p, i) => i === 0 || p.t > spin[i - 1].t)).toBe(true)
    // by a short id too
    expect((await call('metrics.container', { hostId: HOST, containerId: ids.spin.slice(0, 12), range: '1h' })).points.length).toBeGreaterThanOrEqual(spin.length)
    // every round went over one kept-open Engine session: one dial-stdio process on the host, not one a request
    expect(dialProcesses(droplets.droplets[0].pid)).toHaveLength(1)
    // the bound: two a round, the newest; the oldest is not sampled
    expect((await call('metrics.container', { hostId: HOST, containerId: ids.asleep, range: '1h' })).points).toEqual([])
  })

  it('a connected host without Docker is tried less and less often, not every round', async () => {
    await call('hosts.connect', { hostId: 'nodocker' })
    const failures = () => log.filter((l) => l.startsWith('metrics: nodocker containers:'))
    await waitFor(() => failures().length >= 1, { timeoutMs: 20_000, what: 'the first failed round on nodocker' })
    // rounds every 400 ms here: ~10 in 4 s without the backoff; with it, retries after 0.8 s and 1.6 s more
    await new Promise((r) => setTimeout(r, 4000))
    expect(failures().length).toBeLessThanOrEqual(4)
    expect(failures()[0]).toMatch(/next try in \d+ s/)
    await call('hosts.disconnect', { hostId: 'nodocker' })
  })

  it('keeps the history across a restart of the services, and stops sampling once the host is disconnected', async () => {
    const before = (await call('metrics.container', { hostId: HOST, containerId: ids.spin, range: '1h' })).points
    await call('hosts.disconnect', { hostId: HOST })
    await services.dispose()
    services = start()
    const after = (await call('metrics.container', { hostId: HOST, containerId: ids.spin, range: '1h' })).points
    expect(after.length).toBeGreaterThanOrEqual(before.length)
    expect(after.slice(0, before.length)).toEqual(before)
    // not connected in the new services: no new points
    await new Promise((r) => setTimeout(r, 1500))
    expect((await call('metrics.container', { hostId: HOST, containerId: ids.spin, range: '1h' })).points).toEqual(after)
  })
})
