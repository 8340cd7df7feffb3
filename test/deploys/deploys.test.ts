// deploys.* on the real bench: a private dockerd with the seeded dropdeck/web images
// (deploy_aaaaaaaa, deploy_bbbbbbbb = latest, and the broken deploy_cccccccc with no /health), reached
// through a real sshd droplet (DOCKER_HOST and DROPDECK_STATE_DIR set for its sessions), through the real
// services: the Engine API over `docker system dial-stdio`, the lock and history in the state folder, and
// Debian's docker-compose 1.29 for a Compose service. Faults: a failed health gate, two deploys at once,
// a pull of a missing tag, the SSH connection cut mid-deploy, a stale lock left by an app that went away.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Services } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import { routerCalls } from '../support/router-calls'
import { findDockerd, type DockerDaemon } from '../fleet/dockerd'
import { dockerCall, listContainers, healthOf } from '../fleet/docker-api'
import { SSHD_PATH, type Droplets } from '../fleet/sshd'
import { isPortFree } from '../fleet/net'
import { descendants, findExecutable, run, waitFor } from '../fleet/proc'
import { HEALTHCHECK, deployServices, lockDirs as locksIn, readHistory, startDeployBench, webComposeFile, type DeployBench } from './support/deploy-bench'
import { HostState } from '../../src/main/deploys/host-state'
import type { DeployEntry, DeployService } from '../../src/shared/contract/deploys'

const dockerd = findDockerd()
const compose = findExecutable('docker-compose')
const ready = Boolean(dockerd && findExecutable('docker') && existsSync(SSHD_PATH))
if (!ready) console.warn('[deploys] skipping deploy tests: dockerd, the docker CLI or sshd is missing')

const HOST = 'deploy-droplet'

async function freePort(from: number): Promise<number> {
  for (let p = from; p < from + 500; p++) if (await isPortFree('127.0.0.1', p)) return p
  throw new Error('no free port')
}

// Each deploy of a host-network container waits out Docker's 10 s stop timeout (busybox httpd as PID 1 ignores SIGTERM).
describe.skipIf(!ready)('deploys on the bench (real dockerd, sshd and docker-compose)', { timeout: 180_000 }, () => {
  let bench: DeployBench
  let dir: string
  let stateDir: string
  let docker: DockerDaemon
  let droplets: Droplets
  let services: Services
  let shopPort: number
  let tillPort: number
  const pauses = new Map<string, (deployId: string) => Promise<void>>()
  const ctx = createCallContext('test:deploys', () => services.bus)
  const { call, failure } = routerCalls(() => services, ctx)

  const sock = () => docker.socketPath
  const named = async (name: string) => (await listContainers(sock(), undefined, { all: true })).filter((c) => c.Names.some((n) => n === `/${name}` || n.startsWith(`/${name}-dropdeck-`)))
  const service = async (id: string): Promise<DeployService> => (await call('deploys.services', { hostId: HOST })).services.find((s) => s.id === id)!
  const lockDirs = () => locksIn(stateDir)

  /** Starts a deploy (or rollback) and waits for its deploys.state `finished`, collecting its step events. */
  async function deploy(serviceId: string, tag: string, opts: { rollback?: boolean; confirm?: string } = {}): Promise<{ entry: DeployEntry; steps: string[] }> {
    const steps: string[] = []
    let id = ''
    const buffered: Array<{ event: string; payload: { id: string } }> = []
    let resolveEntry!: (e: DeployEntry) => void
    const done = new Promise<DeployEntry>((r) => (resolveEntry = r))
    const handle = (event: string, payload: { id: string; step?: { step: string; status: string }; phase?: string; entry?: DeployEntry | null }) => {
      if (event === 'deploys.data' && payload.step) steps.push(`${payload.step.step}:${payload.step.status}`)
      if (event === 'deploys.state' && payload.phase === 'finished' && payload.entry) resolveEntry(payload.entry)
    }
    const off = services.bus.subscribe((event, payload, to?: string) => {
      if (!event.startsWith('deploys.') || event === 'deploys.changed') return
      expect(to).toBeDefined() // progress is a stream: never broadcast to every client
      if (to !== 'test:deploys') return
      const p = payload as { id: string }
      if (!id) buffered.push({ event, payload: p })
      else if (p.id === id) handle(event, p as never)
    })
    try {
      const res = opts.rollback
        ? await call('deploys.rollback', { hostId: HOST, serviceId, tag, confirm: opts.confirm })
        : await call('deploys.start', { hostId: HOST, serviceId, tag })
      id = res.deployId
      for (const b of buffered) if (b.payload.id === id) handle(b.event, b.payload as never)
      const entry = await done
      return { entry, steps }
    } finally {
      off()
    }
  }

  beforeAll(async () => {
    bench = await startDeployBench({ dir: mkdtempSync('/tmp/ddd-'), host: HOST, baseAddress: '127.0.39.2' })
    ;({ dir, stateDir, docker, droplets } = bench)
    shopPort = await freePort(39_100)
    // shop: host networking (stop-then-start); calc: no network of its own to share (starts beside the old one)
    tillPort = await freePort(shopPort + 1)
    // till: no Docker health check, so the gate asks its HTTP health URL from the host
    for (const spec of [
      { name: 'shop', env: [`PORT=${shopPort}`], network: 'host', healthcheck: true },
      { name: 'calc', env: ['PORT=8080'], network: 'none', healthcheck: true },
      { name: 'till', env: [`PORT=${tillPort}`], network: 'host', healthcheck: false }
    ]) {
      const created = await dockerCall(sock(), 'POST', '/containers/create', {
        query: { name: spec.name },
        body: { Image: 'dropdeck/web:deploy_bbbbbbbb', Env: spec.env, Labels: { 'com.dropdeck.fleet': 'test' }, ...(spec.healthcheck ? { Healthcheck: HEALTHCHECK } : {}), HostConfig: { NetworkMode: spec.network, RestartPolicy: { Name: 'unless-stopped' } } }
      })
      await dockerCall(sock(), 'POST', `/containers/${created.json<{ Id: string }>().Id}/start`)
    }
    await waitFor(async () => (await named('shop'))[0]?.Status.includes('(healthy)') && (await named('calc'))[0]?.Status.includes('(healthy)'), { timeoutMs: 30_000, what: 'shop and calc healthy' })
    services = deployServices(bench, { lockTimeoutMs: 60_000, reconnectWaitMs: 60_000, pause: (deployId, point) => pauses.get(point)?.(deployId) ?? Promise.resolve() })
  }, 180_000)

  afterAll(async () => {
    await ctx.dispose()
    await services?.dispose()
    await bench?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('finds plain containers as services, with their running version, retained versions and how they switch', async () => {
    const { services: list, compose: cli } = await call('deploys.services', { hostId: HOST })
    const shop = list.find((s) => s.id === 'container:shop')!
    expect(shop).toMatchObject({ kind: 'container', project: null, name: 'shop', image: 'dropdeck/web', switchMode: 'stop-first', lock: null, lastDeploy: null })
    expect(shop.running).toMatchObject({ tag: 'deploy_bbbbbbbb', containerName: 'shop', health: 'healthy' })
    expect(shop.gapReason).toMatch(/host network/)
    expect(shop.retained.map((r) => r.tag)).toEqual(expect.arrayContaining(['deploy_aaaaaaaa', 'deploy_bbbbbbbb', 'deploy_cccccccc', 'latest']))
    expect(list.find((s) => s.id === 'container:calc')).toMatchObject({ switchMode: 'gapless', gapReason: null })
    if (compose) expect(cli).toEqual({ command: 'docker-compose', version: expect.stringMatching(/^1\.29\./) })
  })

  it('deploys deploy_aaaaaaaa over deploy_bbbbbbbb: health-gated, one container left, the gap measured, the lock released, the history on the host', async () => {
    const before = (await named('shop'))[0]
    const { entry, steps } = await deploy('container:shop', 'deploy_aaaaaaaa')
    expect(entry).toMatchObject({ result: 'succeeded', action: 'deploy', fromImage: 'dropdeck/web:deploy_bbbbbbbb', toImage: 'dropdeck/web:deploy_aaaaaaaa', reason: null })
    expect(entry.gapMs).toBeGreaterThan(0) // host networking: stop-then-start
    expect(steps).toEqual(expect.arrayContaining(['pull:skipped', 'checks:ok', 'start:ok', 'health:ok', 'switch:ok', 'release:ok']))
    const now = await named('shop')
    expect(now).toHaveLength(1)
    expect(now[0].Id).not.toBe(before.Id)
    expect(now[0].Image).toBe('dropdeck/web:deploy_aaaaaaaa')
    expect(now[0].State).toBe('running')
    await waitFor(async () => healthOf((await named('shop'))[0]) === 'healthy', { timeoutMs: 10_000, what: 'shop healthy' })
    const inspect = (await dockerCall(sock(), 'GET', `/containers/${now[0].Id}/json`)).json<{ Config: { Env: string[]; Healthcheck: unknown }; HostConfig: { NetworkMode: string; RestartPolicy: { Name: string } } }>()
    expect(inspect.Config.Env).toContain(`PORT=${shopPort}`) // the operator's configuration carried over
    expect(inspect.HostConfig).toMatchObject({ NetworkMode: 'host', RestartPolicy: { Name: 'unless-stopped' } })
    expect(await lockDirs()).toEqual([])
    const history = readHistory(stateDir)
    expect(history.at(-1)).toMatchObject({ deployId: entry.deployId, result: 'succeeded' })
    expect((await service('container:shop')).lastDeploy).toMatchObject({ deployId: entry.deployId })
  })

  it('the broken deploy_cccccccc rolls back by itself: the previous version healthy, the lock released, the history says why', async () => {
    const { entry, steps } = await deploy('container:shop', 'deploy_cccccccc')
    expect(entry.result).toBe('rolled-back')
    expect(entry.reason).toMatch(/deploy_cccccccc failed its health gate: unhealthy/)
    expect(entry.healthOutput.join('\n')).toMatch(/exit 1/)
    expect(entry.logTail.join('\n')).toMatch(/httpd|GET|health/i) // the new container's last log lines
    expect(steps).toEqual(expect.arrayContaining(['health:failed', 'rollback:ok', 'release:ok']))
    expect(steps).not.toContain('switch:ok')
    const now = await named('shop')
    expect(now).toHaveLength(1)
    expect(now[0]).toMatchObject({ Image: 'dropdeck/web:deploy_aaaaaaaa', State: 'running' })
    await waitFor(async () => healthOf((await named('shop'))[0]) === 'healthy', { timeoutMs: 10_000, what: 'shop healthy again' })
    expect(await lockDirs()).toEqual([])
    const history = await call('deploys.history', { hostId: HOST, serviceId: 'container:shop' })
    expect(history[0]).toMatchObject({ deployId: entry.deployId, result: 'rolled-back' })
  })

  it('starts the new version beside the old one when no host port is bound (gap 0)', async () => {
    const { entry, steps } = await deploy('container:calc', 'deploy_aaaaaaaa')
    expect(entry).toMatchObject({ result: 'succeeded', gapMs: 0 })
    expect(steps).toContain('switch:ok')
    expect(await named('calc')).toHaveLength(1)
  })

  it('without a Docker health check, gates on the saved HTTP health URL requested from the host: a 404 rolls back by itself', async () => {
    const settings = await call('deploys.configure', { hostId: HOST, serviceId: 'container:till', settings: { healthUrl: `http://127.0.0.1:${tillPort}/health`, successes: 2, healthTimeoutMs: 8000 } })
    expect(settings).toMatchObject({ healthUrl: `http://127.0.0.1:${tillPort}/health`, successes: 2, expectStatus: 200, keep: 5 })
    const good = await deploy('container:till', 'deploy_aaaaaaaa')
    expect(good.entry.result).toBe('succeeded')
    expect(good.entry.healthOutput.join('\n')).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/health → 200 \{"status":"ok","version":"deploy_aaaaaaaa"\}/)
    const bad = await deploy('container:till', 'deploy_cccccccc')
    expect(bad.entry).toMatchObject({ result: 'rolled-back', reason: expect.stringMatching(/no 200 from http:\/\/127\.0\.0\.1:\d+\/health after 8 s/) })
    expect(bad.entry.healthOutput.at(-1)).toMatch(/→ 404/)
    const till = await named('till')
    expect(till.map((c) => [c.Image, c.State])).toEqual([['dropdeck/web:deploy_aaaaaaaa', 'running']])
  })

  it('two deploys of one service at once: one runs, the other gets DEPLOY_LOCKED with the holder', async () => {
    const [a, b] = await Promise.allSettled([deploy('container:shop', 'deploy_bbbbbbbb'), deploy('container:shop', 'deploy_bbbbbbbb')])
    const ok = [a, b].filter((r) => r.status === 'fulfilled')
    const refused = [a, b].filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(ok).toHaveLength(1)
    expect(refused).toHaveLength(1)
    expect(refused[0].reason).toMatchObject({ code: 'DEPLOY_LOCKED' })
    expect((refused[0].reason as { data: { holder: { who: string; machine: string; what: string } } }).data.holder).toMatchObject({ what: 'deploy dropdeck/web:deploy_bbbbbbbb' })
    expect((ok[0] as PromiseFulfilledResult<{ entry: DeployEntry }>).value.entry.result).toBe('succeeded')
    expect(await lockDirs()).toEqual([])
  })

  it('a pull of a tag that does not exist fails clearly and changes nothing on the host', async () => {
    const before = (await named('shop'))[0]
    const { entry, steps } = await deploy('container:shop', 'deploy_deadbeef')
    expect(entry.result).toBe('failed')
    expect(entry.reason).toMatch(/Pulling dropdeck\/web:deploy_deadbeef on deploy-droplet failed: .+Nothing on the host was changed/)
    expect(steps).toEqual(['pull:running', 'pull:failed'])
    const after = await named('shop')
    expect(after.map((c) => [c.Id, c.State])).toEqual([[before.Id, 'running']])
    expect(await lockDirs()).toEqual([])
  })

  for (const point of ['locked', 'started', 'switching']) {
    it(`the SSH connection cut ${point === 'locked' ? 'after the lock' : point === 'started' ? 'after the new container started' : 'at the switch'}: afterwards exactly one healthy version runs and the lock is released`, async () => {
      const sshdPid = droplets.droplets[0].pid
      pauses.set(point, async () => {
        // every SSH session of the droplet (the app's pooled connection and its docker channels) dies
        for (const pid of descendants(sshdPid)) {
          try {
            process.kill(pid, 'SIGKILL')
          } catch {
            /* gone already */
          }
        }
      })
      try {
        const current = (await service('container:shop')).running!.tag
        const target = current === 'deploy_aaaaaaaa' ? 'deploy_bbbbbbbb' : 'deploy_aaaaaaaa'
        const { entry } = await deploy('container:shop', target)
        expect(['succeeded', 'rolled-back']).toContain(entry.result)
        const now = await named('shop')
        expect(now).toHaveLength(1)
        expect(now[0].State).toBe('running')
        await waitFor(async () => healthOf((await named('shop'))[0]) === 'healthy', { timeoutMs: 15_000, what: 'shop healthy' })
        expect(await lockDirs()).toEqual([])
      } finally {
        pauses.delete(point)
      }
    })
  }

  it('a stale lock left by an app that went away after starting the new container: shown with its holder, taken over after typing the name, the service recovered', async () => {
    const shop = (await named('shop'))[0]
    // What a deploy from another machine left behind: the old version stopped, the new one started under its temporary name.
    await dockerCall(sock(), 'POST', `/containers/${shop.Id}/stop`, { query: { t: 1 } })
    const temp = await dockerCall(sock(), 'POST', '/containers/create', {
      query: { name: 'shop-dropdeck-0123abcd' },
      body: { Image: 'dropdeck/web:deploy_cccccccc', Env: [`PORT=${shopPort}`], Healthcheck: HEALTHCHECK, HostConfig: { NetworkMode: 'host' } }
    })
    const tempId = temp.json<{ Id: string }>().Id
    await dockerCall(sock(), 'POST', `/containers/${tempId}/start`)
    const old = new Date(Date.now() - 3_600_000).toISOString()
    const state = new HostState((h, c, o) => services.ssh.exec(h, c, o))
    expect(
      await state.acquire({
        deployId: '0123abcd0123abcd', hostId: HOST, serviceId: 'container:shop', who: 'alice', machine: 'alice-laptop', what: 'deploy dropdeck/web:deploy_cccccccc', since: old, updatedAt: old, timeoutMs: 900_000, step: 'start',
        journal: { kind: 'container', name: 'shop', oldContainerId: shop.Id, fromImage: shop.Image, toImage: 'dropdeck/web:deploy_cccccccc', tempName: 'shop-dropdeck-0123abcd', newContainerId: tempId, oldStopped: true }
      })
    ).toEqual({ acquired: true })
    // Staleness is judged on the host's clock: the lock's info was last written an hour ago there.
    await run('touch', ['-d', `@${Math.floor(Date.parse(old) / 1000)}`, path.join(stateDir, 'locks', 'container_shop', 'info.json')])

    const listed = await service('container:shop')
    expect(listed.lock).toMatchObject({ who: 'alice', machine: 'alice-laptop', stale: true, step: 'start' })
    expect((await failure('deploys.start', { hostId: HOST, serviceId: 'container:shop', tag: 'deploy_aaaaaaaa' })).code).toBe('DEPLOY_LOCKED')
    const unconfirmed = await failure('deploys.takeover', { hostId: HOST, serviceId: 'container:shop' })
    expect(unconfirmed).toMatchObject({ code: 'CONFIRMATION_REQUIRED', data: { expected: 'shop' } })
    await call('deploys.takeover', { hostId: HOST, serviceId: 'container:shop', confirm: 'shop' })

    const now = await named('shop')
    expect(now.map((c) => [c.Id, c.State])).toEqual([[shop.Id, 'running']])
    await waitFor(async () => healthOf((await named('shop'))[0]) === 'healthy', { timeoutMs: 15_000, what: 'shop healthy' })
    expect(await lockDirs()).toEqual([])
    const history = await call('deploys.history', { hostId: HOST, serviceId: 'container:shop' })
    expect(history[0]).toMatchObject({ action: 'recover', result: 'succeeded', reason: expect.stringMatching(/took over a stale lock held by alice on alice-laptop.*runs dropdeck\/web:deploy_/) })
  })

  it('a live lock is never broken by a takeover; a window that reconnects picks the running deploy up with deploys.open', async () => {
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    let seen!: () => void
    const paused = new Promise<void>((r) => (seen = r))
    pauses.set('locked', async () => {
      seen()
      await held
    })
    try {
      const running = deploy('container:shop', 'deploy_bbbbbbbb')
      await paused
      expect((await service('container:shop')).lock).toMatchObject({ stale: false })
      expect((await failure('deploys.takeover', { hostId: HOST, serviceId: 'container:shop', confirm: 'shop' })).code).toBe('DEPLOY_LOCKED')
      const active = await call('deploys.active', { hostId: HOST })
      const live = active.find((r) => r.phase === 'running')!
      expect(live).toMatchObject({ serviceId: 'container:shop', cancellable: true })
      // another window (client) opens the deploy's stream: the steps so far, then its events
      const other = createCallContext('test:other-window', () => services.bus)
      const seen: string[] = []
      const off = services.bus.subscribe((event, payload, to?: string) => {
        if (to === 'test:other-window' && (payload as { id?: string }).id === live.deployId) seen.push(event === 'deploys.state' ? `state:${(payload as { phase: string }).phase}` : 'data')
      })
      try {
        const opened = await call('deploys.open', { deployId: live.deployId }, other)
        expect(opened.steps.map((s) => `${s.step}:${s.status}`)).toEqual(['pull:running', 'pull:skipped'])
        release()
        expect((await running).entry.result).toBe('succeeded')
        expect(seen).toContain('data')
        expect(seen.at(-1)).toBe('state:finished')
      } finally {
        off()
        await other.dispose()
      }
    } finally {
      pauses.delete('locked')
      release()
    }
  })

  it('rolls back to a retained version from the history, after the service\'s name is typed', async () => {
    expect((await failure('deploys.rollback', { hostId: HOST, serviceId: 'container:shop', tag: 'deploy_aaaaaaaa' })).code).toBe('CONFIRMATION_REQUIRED')
    const { entry } = await deploy('container:shop', 'deploy_aaaaaaaa', { rollback: true, confirm: 'shop' })
    expect(entry).toMatchObject({ action: 'rollback', result: 'succeeded', toImage: 'dropdeck/web:deploy_aaaaaaaa' })
    expect((await named('shop'))[0].Image).toBe('dropdeck/web:deploy_aaaaaaaa')
  })

  describe.skipIf(!compose)('a Compose service (docker-compose v1)', () => {
    let projectDir: string
    beforeAll(async () => {
      projectDir = path.join(dir, 'shopc')
      mkdirSync(projectDir)
      const port = await freePort(tillPort + 1)
      writeFileSync(path.join(projectDir, 'docker-compose.yml'), webComposeFile({ image: 'dropdeck/web:deploy_bbbbbbbb', network: 'host', port }))
      await runIn(projectDir, ['docker-compose', '-p', 'shopc', 'up', '-d'], docker.env.DOCKER_HOST)
      await waitFor(async () => (await listContainers(sock(), { label: ['com.docker.compose.project=shopc'] })).some((c) => healthOf(c) === 'healthy'), { timeoutMs: 30_000, what: 'shopc web healthy' })
    }, 60_000)

    it('is found from its Compose labels, deploys through an override in the state folder, and rolls back the broken version by itself', async () => {
      const svc = await service('compose:shopc/web')
      expect(svc).toMatchObject({ kind: 'compose', project: 'shopc', name: 'web', switchMode: 'stop-first', running: { tag: 'deploy_bbbbbbbb', health: 'healthy' } })
      expect(svc.compose).toMatchObject({ workingDir: projectDir, configFiles: [expect.stringMatching(/docker-compose\.yml$/)] })
      expect(svc.compose!.overrideFile).toBe(path.join(stateDir, 'compose/shopc/web.override.yml'))

      const good = await deploy('compose:shopc/web', 'deploy_aaaaaaaa')
      expect(good.entry).toMatchObject({ result: 'succeeded', fromImage: 'dropdeck/web:deploy_bbbbbbbb', toImage: 'dropdeck/web:deploy_aaaaaaaa' })
      expect(readFileSync(svc.compose!.overrideFile, 'utf8')).toMatch(/version: "3.8"[\s\S]*"web":\n\s+image: "dropdeck\/web:deploy_aaaaaaaa"/)
      expect(readFileSync(path.join(projectDir, 'docker-compose.yml'), 'utf8')).toMatch(/image: dropdeck\/web:deploy_bbbbbbbb/) // the operator's file untouched
      let web = await listContainers(sock(), { label: ['com.docker.compose.project=shopc'] }, { all: true })
      expect(web.map((c) => c.Image)).toEqual(['dropdeck/web:deploy_aaaaaaaa'])

      const bad = await deploy('compose:shopc/web', 'deploy_cccccccc')
      expect(bad.entry).toMatchObject({ result: 'rolled-back', reason: expect.stringMatching(/failed its health gate/) })
      web = await listContainers(sock(), { label: ['com.docker.compose.project=shopc'] }, { all: true })
      expect(web.map((c) => [c.Image, c.State])).toEqual([['dropdeck/web:deploy_aaaaaaaa', 'running']])
      await waitFor(async () => healthOf((await listContainers(sock(), { label: ['com.docker.compose.project=shopc'] }))[0]) === 'healthy', { timeoutMs: 15_000, what: 'shopc web healthy again' })
      expect(await lockDirs()).toEqual([])
    })

    it('the SSH connection cut after compose up started the new version: afterwards exactly one healthy container and the lock released', async () => {
      const sshdPid = droplets.droplets[0].pid
      pauses.set('started', async () => {
        for (const pid of descendants(sshdPid)) {
          try {
            process.kill(pid, 'SIGKILL')
          } catch {
            /* gone already */
          }
        }
      })
      try {
        const { entry } = await deploy('compose:shopc/web', 'deploy_bbbbbbbb')
        expect(['succeeded', 'rolled-back']).toContain(entry.result)
        const web = await listContainers(sock(), { label: ['com.docker.compose.project=shopc'] }, { all: true })
        expect(web).toHaveLength(1)
        expect(web[0].State).toBe('running')
        await waitFor(async () => healthOf((await listContainers(sock(), { label: ['com.docker.compose.project=shopc'] }))[0]) === 'healthy', { timeoutMs: 15_000, what: 'shopc web healthy' })
        expect(await lockDirs()).toEqual([])
      } finally {
        pauses.delete('started')
      }
    })
  })
})

async function runIn(cwd: string, argv: string[], dockerHost: string): Promise<void> {
  const { execFile } = await import('node:child_process')
  await new Promise<void>((resolve, reject) =>
    execFile(argv[0], argv.slice(1), { cwd, env: { ...process.env, DOCKER_HOST: dockerHost }, timeout: 120_000 }, (err, _out, stderr) => (err ? reject(new Error(`${argv.join(' ')}: ${stderr || err.message}`)) : resolve()))
  )
}
