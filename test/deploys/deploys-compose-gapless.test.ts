// A Compose service with no host port and one container deploys without a gap, on the real bench
// (a private dockerd, a real sshd droplet, Debian's docker-compose 1.29): the new version starts as a
// second container of the service (`up --scale web=2 --no-recreate` with Dropdeck's override), is gated,
// then the old container goes. While it runs, the Engine API is sampled: the service never has zero
// healthy containers. A broken version is removed and the old container (the same one) never stopped.
// A cut connection leaves one healthy container and no lock. A service with `container_name` (which
// Compose cannot run twice) still stops then starts, and says why.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Services } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import type { DeployEntry } from '../../src/shared/contract/deploys'
import { routerCalls } from '../support/router-calls'
import { findDockerd, type DockerDaemon } from '../fleet/dockerd'
import { listContainers, healthOf, type ContainerSummary } from '../fleet/docker-api'
import { SSHD_PATH, type Droplets } from '../fleet/sshd'
import { findExecutable, run, waitFor } from '../fleet/proc'
import { cutSessions, deployServices, lockDirs as locksIn, startDeployBench, webComposeFile, type DeployBench } from './support/deploy-bench'

const compose = findExecutable('docker-compose')
const ready = Boolean(findDockerd() && findExecutable('docker') && existsSync(SSHD_PATH) && compose)
if (!ready) console.warn('[deploys] skipping the gapless Compose tests: dockerd, docker, sshd or docker-compose is missing')

const HOST = 'gapless-host'

const composeFile = (image: string, extra: string[] = []) => webComposeFile({ image, network: 'none', port: 8080, extra })

describe.skipIf(!ready)('a Compose service without a host port deploys without a gap (real dockerd, sshd, docker-compose 1.29)', { timeout: 180_000 }, () => {
  let bench: DeployBench
  let dir: string
  let stateDir: string
  let docker: DockerDaemon
  let droplets: Droplets
  let services: Services
  const pauses = new Map<string, () => Promise<void>>()
  const ctx = createCallContext('test:deploys-gapless', () => services.bus)
  const { call } = routerCalls(() => services, ctx)
  const web = () => listContainers(docker.socketPath, { label: ['com.docker.compose.project=gapc', 'com.docker.compose.service=web'] }, { all: true })
  const lockDirs = () => locksIn(stateDir)
  const override = () => readFileSync(path.join(stateDir, 'compose/gapc/web.override.yml'), 'utf8')

  /** Deploys, sampling the service's containers every 100 ms until it finished: the fewest healthy ones seen, and every container id seen. */
  async function deploySampled(tag: string): Promise<{ entry: DeployEntry; fewestHealthy: number; seen: Set<string> }> {
    let fewestHealthy = Infinity
    const seen = new Set<string>()
    let done = false
    const sampler = (async () => {
      while (!done) {
        const list = await web()
        for (const c of list) seen.add(c.Id)
        fewestHealthy = Math.min(fewestHealthy, list.filter((c) => c.State === 'running' && healthOf(c) === 'healthy').length)
        await new Promise((r) => setTimeout(r, 100))
      }
    })()
    try {
      const { deployId } = await call('deploys.start', { hostId: HOST, serviceId: 'compose:gapc/web', tag })
      let entry: DeployEntry | null | undefined
      while (!(entry = (await call('deploys.active', { hostId: HOST })).find((r) => r.deployId === deployId)?.entry)) await new Promise((r) => setTimeout(r, 200))
      return { entry, fewestHealthy, seen }
    } finally {
      done = true
      await sampler
    }
  }

  async function oneHealthy(): Promise<ContainerSummary> {
    const all = await web()
    expect(all.map((c) => `${c.Names[0]} ${c.State}`)).toHaveLength(1)
    expect(all[0].State).toBe('running')
    await waitFor(async () => healthOf((await web())[0]) === 'healthy', { timeoutMs: 20_000, what: 'gapc web healthy' })
    return all[0]
  }

  beforeAll(async () => {
    bench = await startDeployBench({ dir: mkdtempSync('/tmp/ddg-'), host: HOST, baseAddress: '127.0.42.30' })
    ;({ dir, stateDir, docker, droplets } = bench)
    for (const [project, extra] of [['gapc', []], ['namedc', ['    container_name: named-web']]] as const) {
      const projectDir = path.join(dir, project)
      mkdirSync(projectDir)
      writeFileSync(path.join(projectDir, 'docker-compose.yml'), composeFile('dropdeck/web:deploy_bbbbbbbb', [...extra]))
      await run('sh', ['-c', `cd '${projectDir}' && DOCKER_HOST='${docker.env.DOCKER_HOST}' docker-compose -p ${project} up -d`], { timeoutMs: 120_000 })
    }
    await waitFor(async () => healthOf((await web())[0]) === 'healthy', { timeoutMs: 30_000, what: 'gapc web healthy' })
    services = deployServices(bench, { lockTimeoutMs: 60_000, reconnectWaitMs: 60_000, pause: (_id, point) => pauses.get(point)?.() ?? Promise.resolve() })
  }, 180_000)

  afterAll(async () => {
    await ctx.dispose()
    await services?.dispose()
    await bench?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('is offered as gapless; a service with container_name stops then starts, saying why', async () => {
    const { services: list } = await call('deploys.services', { hostId: HOST })
    expect(list.find((s) => s.id === 'compose:gapc/web')).toMatchObject({ kind: 'compose', switchMode: 'gapless', gapReason: null })
    expect(list.find((s) => s.id === 'compose:namedc/web')).toMatchObject({ kind: 'compose', switchMode: 'stop-first', gapReason: 'it sets container_name, so Compose cannot run a second container beside it' })
  })

  it('deploys deploy_aaaaaaaa beside the running container: never without a healthy container, gap 0, one container left', async () => {
    const before = (await web())[0]
    const { entry, fewestHealthy, seen } = await deploySampled('deploy_aaaaaaaa')
    expect(entry).toMatchObject({ result: 'succeeded', gapMs: 0, fromImage: 'dropdeck/web:deploy_bbbbbbbb', toImage: 'dropdeck/web:deploy_aaaaaaaa' })
    expect(fewestHealthy).toBeGreaterThanOrEqual(1)
    expect(seen.size).toBe(2) // the old container and the new one, nothing else
    const now = await oneHealthy()
    expect(now.Id).not.toBe(before.Id)
    expect(now.Image).toBe('dropdeck/web:deploy_aaaaaaaa')
    expect(override()).toMatch(/image: "dropdeck\/web:deploy_aaaaaaaa"/)
    expect(await lockDirs()).toEqual([])
    // Compose itself sees the remaining container as the service, up to date with the override
    const up = await run('sh', ['-c', `cd '${path.join(dir, 'gapc')}' && DOCKER_HOST='${docker.env.DOCKER_HOST}' docker-compose -p gapc -f docker-compose.yml -f '${path.join(stateDir, 'compose/gapc/web.override.yml')}' up -d --no-deps web 2>&1`], { timeoutMs: 60_000 })
    expect(up).toMatch(/is up-to-date/)
    expect((await web()).map((c) => c.Id)).toEqual([now.Id])
  })

  it('the broken deploy_cccccccc is removed and the old container, never stopped, keeps serving; the override pins it again', async () => {
    const before = (await web())[0]
    const { entry, fewestHealthy } = await deploySampled('deploy_cccccccc')
    expect(entry).toMatchObject({ result: 'rolled-back', reason: expect.stringMatching(/deploy_cccccccc failed its health gate/) })
    expect(fewestHealthy).toBeGreaterThanOrEqual(1)
    const now = await oneHealthy()
    expect(now.Id).toBe(before.Id)
    expect(override()).toMatch(/image: "dropdeck\/web:deploy_aaaaaaaa"/)
    expect(await lockDirs()).toEqual([])
  })

  for (const point of ['started', 'switching'] as const) {
    it(`the SSH connection cut ${point === 'started' ? 'after the new container started' : 'at the switch'}: one healthy container, no orphan, the lock released`, async () => {
      const current = (await web())[0].Image.endsWith('deploy_aaaaaaaa') ? 'deploy_aaaaaaaa' : 'deploy_bbbbbbbb'
      const target = current === 'deploy_aaaaaaaa' ? 'deploy_bbbbbbbb' : 'deploy_aaaaaaaa'
      pauses.set(point, async () => cutSessions(droplets))
      try {
        const { entry } = await deploySampled(target)
        expect(['succeeded', 'rolled-back'], entry.reason ?? '').toContain(entry.result)
        const now = await oneHealthy()
        // before the switch the old version stays; once the switch was decided the new one does
        expect(now.Image).toBe(`dropdeck/web:${point === 'switching' ? target : entry.result === 'succeeded' ? target : current}`)
        expect(override()).toMatch(new RegExp(`image: "dropdeck/web:${now.Image.split(':')[1]}"`))
        expect(await lockDirs()).toEqual([])
      } finally {
        pauses.delete(point)
      }
    })
  }
})
