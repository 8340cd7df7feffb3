// The faults a deploy must survive, on the real bench: a private dockerd whose data root is a 256 MB
// tmpfs (so its disk fills for real), a real registry (Debian's docker-registry, no auth, on loopback)
// holding an image larger than that disk and images whose layers the host has never seen, a real sshd
// droplet, and the real services (Engine API over `docker system dial-stdio`, lock and history in the
// state folder, Debian's docker-compose 1.29).
// - A pull that fills the disk: a clear error saying the disk is full and what to do; nothing changed.
// - A disk nearly full: refused before the pull.
// - A lock judged on the host's clock: a laptop hours ahead does not break a live lock, one hours
//   behind still sees a stale one.
// - The SSH connection cut at the points deploys.test.ts does not cover (during the pull and after the
//   switch for a plain container; during the pull, after the lock, at and after the switch for a
//   Compose service): afterwards exactly one healthy version runs, no orphaned container, the lock released.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Services } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import { HostState } from '../../src/main/deploys/host-state'
import type { DeployEntry } from '../../src/shared/contract/deploys'
import { routerCalls } from '../support/router-calls'
import { findDockerd, type DockerDaemon } from '../fleet/dockerd'
import { dockerCall, listContainers, healthOf, streamError, type ContainerSummary } from '../fleet/docker-api'
import { baseRootfs, findStaticBusybox, webRootfs, WEB_VERSIONS } from '../fleet/busybox-rootfs'
import { tar } from '../fleet/tar'
import { SSHD_PATH, type Droplets } from '../fleet/sshd'
import { isPortFree } from '../fleet/net'
import { findExecutable, run, waitFor } from '../fleet/proc'
import { HEALTHCHECK, cutSessions, deployServices, lockDirs as locksIn, readHistory, startDeployBench, webComposeFile, type DeployBench } from './support/deploy-bench'

const REGISTRY = '/usr/bin/docker-registry'
const compose = findExecutable('docker-compose')
// mounting the tmpfs needs root
const ready = Boolean(findDockerd() && findExecutable('docker') && existsSync(SSHD_PATH) && existsSync(REGISTRY) && process.getuid?.() === 0)
if (!ready) console.warn('[deploys] skipping fault tests: dockerd, docker, sshd or docker-registry is missing, or not root (the data root is a tmpfs)')

const HOST = 'fault-host'
const REGISTRY_ADDRESS = '127.0.42.20'
const DISK_MB = 256
const HOUR = 3_600_000

async function freePort(address: string, from: number): Promise<number> {
  for (let p = from; p < from + 500; p++) if (await isPortFree(address, p)) return p
  throw new Error('no free port')
}

/** A push through the Engine API, which wants an X-Registry-Auth header even for a registry without a login. */
function push(socketPath: string, urlPath: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method: 'POST', path: urlPath, headers: { Host: 'docker', 'X-Registry-Auth': Buffer.from('{}').toString('base64') } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end()
  })
}

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`

/** Uploads one blob with the registry's monolithic upload (POST, then PUT with the digest). */
async function pushBlob(base: string, name: string, data: Buffer): Promise<string> {
  const digest = sha256(data)
  const start = await fetch(`${base}/v2/${name}/blobs/uploads/`, { method: 'POST' })
  expect(start.status).toBe(202)
  const url = new URL(start.headers.get('location')!, base)
  url.searchParams.set('digest', digest)
  const put = await fetch(url, { method: 'PUT', body: new Uint8Array(data), headers: { 'Content-Type': 'application/octet-stream' } })
  expect(put.status, await put.text()).toBe(201)
  return digest
}

/**
 * An image larger than the host's disk, written straight into the registry (the host could never
 * hold it to push it): one layer with a file of `mb` MiB, stored uncompressed in gzip (level 0).
 */
async function pushHugeImage(base: string, name: string, tag: string, mb: number): Promise<void> {
  const layerTar = tar([{ type: 'file', name: 'huge.bin', data: Buffer.alloc(mb * 1024 * 1024, 0x5a) }])
  const layer = gzipSync(layerTar, { level: 0 })
  const layerDigest = await pushBlob(base, name, layer)
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created: '2026-03-01T00:00:00Z', config: { Cmd: ['/huge.bin'] }, rootfs: { type: 'layers', diff_ids: [sha256(layerTar)] } }))
  const configDigest = await pushBlob(base, name, config)
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: configDigest },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: layer.length, digest: layerDigest }]
  }
  const put = await fetch(`${base}/v2/${name}/manifests/${tag}`, { method: 'PUT', body: JSON.stringify(manifest), headers: { 'Content-Type': manifest.mediaType } })
  expect(put.status, await put.text()).toBe(201)
}

describe.skipIf(!ready)('deploy faults on the bench (a 256 MB Docker disk, a real registry, sshd, docker-compose)', { timeout: 240_000 }, () => {
  let bench: DeployBench
  let dir: string
  let stateDir: string
  let docker: DockerDaemon
  let droplets: Droplets
  let registry: ChildProcess
  let services: Services
  let repo: string
  let composePort: number
  /** The operator's clock, as far off as a test wants it. */
  const clock = { offsetMs: 0 }
  const pauses = new Map<string, () => Promise<void>>()
  const ctx = createCallContext('test:deploys-faults', () => services.bus)
  const { call, failure } = routerCalls(() => services, ctx)
  const sock = () => docker.socketPath

  const plain = async () => (await listContainers(sock(), undefined, { all: true })).filter((c) => c.Names.some((n) => n === '/svc' || n.startsWith('/svc-dropdeck-')))
  const composed = () => listContainers(sock(), { label: ['com.docker.compose.project=faultc'] }, { all: true })
  const lockDirs = () => locksIn(stateDir)
  const hasImage = async (ref: string) => (await dockerCall(sock(), 'GET', `/images/${ref}/json`).then(() => true, () => false))
  const freeBytes = async () => Number((await run('df', ['-Pk', docker.dataRoot])).trim().split('\n').at(-1)!.split(/\s+/)[3]) * 1024
  const history = () => readHistory(stateDir)

  const cutSsh = () => cutSessions(droplets)

  type StepEvent = { step: string; status: string; bytes?: { current: number; total: number } }

  /** Starts a deploy and waits for its `finished` state; `onStep` sees each step event as it is emitted. */
  async function deploy(serviceId: string, tag: string, onStep?: (s: StepEvent) => void): Promise<{ entry: DeployEntry; steps: string[] }> {
    const steps: string[] = []
    let id = ''
    const early: Array<{ event: string; payload: { id: string; step?: StepEvent; phase?: string; entry?: DeployEntry | null } }> = []
    let resolveEntry!: (e: DeployEntry) => void
    const done = new Promise<DeployEntry>((r) => (resolveEntry = r))
    const handle = (event: string, p: { step?: StepEvent; phase?: string; entry?: DeployEntry | null }) => {
      if (event === 'deploys.data' && p.step) {
        if (steps.at(-1) !== `${p.step.step}:${p.step.status}`) steps.push(`${p.step.step}:${p.step.status}`)
        onStep?.(p.step)
      }
      if (event === 'deploys.state' && p.phase === 'finished' && p.entry) resolveEntry(p.entry)
    }
    const off = services.bus.subscribe((event, payload, to?: string) => {
      if (!event.startsWith('deploys.') || event === 'deploys.changed' || to !== 'test:deploys-faults') return
      const p = payload as { id: string }
      if (!id) early.push({ event, payload: p })
      else if (p.id === id) handle(event, p as Parameters<typeof handle>[1])
    })
    try {
      id = (await call('deploys.start', { hostId: HOST, serviceId, tag })).deployId
      for (const b of early) if (b.payload.id === id) handle(b.event, b.payload)
      return { entry: await done, steps }
    } finally {
      off()
    }
  }

  /** The invariant after any fault: exactly one version of the service runs and turns healthy, nothing left over. */
  async function oneHealthyVersion(list: () => Promise<ContainerSummary[]>, what: string): Promise<ContainerSummary> {
    const all = await list()
    expect(all.map((c) => `${c.Names[0]} ${c.State}`)).toHaveLength(1)
    expect(all[0].State).toBe('running')
    await waitFor(async () => healthOf((await list())[0]) === 'healthy', { timeoutMs: 20_000, what: `${what} healthy` })
    return all[0]
  }

  /** An image the host has never held (its own random layer), in the registry as `repo:tag`. */
  async function pushFreshImage(tag: string): Promise<void> {
    const base = baseRootfs(findStaticBusybox())
    const rootfs = [...webRootfs(base, WEB_VERSIONS[0]), { type: 'file' as const, name: 'www/pad.bin', data: randomBytes(12 * 1024 * 1024) }]
    const res = await dockerCall(sock(), 'POST', '/images/create', {
      query: { fromSrc: '-', repo, tag, changes: ['ENV PORT=8080', 'WORKDIR /www', 'CMD ["/bin/sh", "-c", "exec httpd -f -vv -p 127.0.0.1:${PORT} -h /www"]'], message: 'dropdeck fault bench' },
      body: tar(rootfs),
      timeoutMs: 120_000
    })
    expect(streamError(res.text)).toBeUndefined()
    const pushed = await push(sock(), `/images/${repo}/push?tag=${tag}`)
    expect(pushed.status).toBe(200)
    expect(streamError(pushed.text)).toBeUndefined()
    await dockerCall(sock(), 'DELETE', `/images/${repo}:${tag}`)
    expect(await hasImage(`${repo}:${tag}`)).toBe(false)
  }

  beforeAll(async () => {
    dir = mkdtempSync('/tmp/ddf-')
    stateDir = path.join(dir, 'state')
    const port = await freePort(REGISTRY_ADDRESS, 42_500)
    const registryBase = `http://${REGISTRY_ADDRESS}:${port}`
    repo = `${REGISTRY_ADDRESS}:${port}/bench/web`
    writeFileSync(
      path.join(dir, 'registry.yml'),
      ['version: 0.1', 'log:', '  level: warn', 'storage:', '  filesystem:', `    rootdirectory: ${path.join(dir, 'registry')}`, '  delete:', '    enabled: true', 'http:', `  addr: ${REGISTRY_ADDRESS}:${port}`, ''].join('\n')
    )
    registry = spawn(REGISTRY, ['serve', path.join(dir, 'registry.yml')], { stdio: 'ignore' })
    await waitFor(async () => (await fetch(`${registryBase}/v2/`).catch(() => null))?.status === 200, { timeoutMs: 20_000, what: 'the registry answering' })

    bench = await startDeployBench({ dir, host: HOST, baseAddress: '127.0.42.10', dataRootSizeMb: DISK_MB })
    ;({ docker, droplets } = bench)
    for (const tag of ['deploy_aaaaaaaa', 'deploy_bbbbbbbb']) await dockerCall(sock(), 'POST', `/images/dropdeck/web:${tag}/tag`, { query: { repo, tag } })
    // larger than the whole disk: the pull fills it whatever the seeds take
    await pushHugeImage(registryBase, 'bench/web', 'huge', DISK_MB + 64)
    for (const tag of ['fresh_plain', 'fresh_compose']) await pushFreshImage(tag)

    // svc: a plain container with no network of its own (the new version starts beside the old one)
    const created = await dockerCall(sock(), 'POST', '/containers/create', {
      query: { name: 'svc' },
      body: { Image: `${repo}:deploy_bbbbbbbb`, Env: ['PORT=8080'], Labels: { 'com.dropdeck.fleet': 'test' }, Healthcheck: HEALTHCHECK, HostConfig: { NetworkMode: 'none' } }
    })
    await dockerCall(sock(), 'POST', `/containers/${created.json<{ Id: string }>().Id}/start`)
    await waitFor(async () => healthOf((await plain())[0]) === 'healthy', { timeoutMs: 30_000, what: 'svc healthy' })

    services = deployServices(bench, { lockTimeoutMs: 15 * 60_000, reconnectWaitMs: 60_000, now: () => Date.now() + clock.offsetMs, pause: (_id, point) => pauses.get(point)?.() ?? Promise.resolve() })
  }, 240_000)

  afterAll(async () => {
    await ctx.dispose()
    await services?.dispose()
    await bench?.stop() // the daemon's stop unmounts the tmpfs
    registry?.kill()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('a pull that fills the disk fails saying the disk is full and what to do; the same container runs, healthy, the lock is free, the history says why', async () => {
    const before = (await plain()).map((c) => `${c.Id} ${c.Image} ${c.State}`)
    const freeBefore = await freeBytes()
    expect(freeBefore).toBeGreaterThan(100 * 1024 * 1024) // the check before the pull lets it through
    const { entry, steps } = await deploy('container:svc', 'huge')
    expect(entry.result).toBe('failed')
    expect(entry.reason).toMatch(new RegExp(`^The disk of ${HOST} is full: pulling ${repo.replace(/[.]/g, '\\.')}:huge stopped with "no space left on device"`))
    expect(entry.reason).toMatch(/Nothing on the host was changed\. Free some space \(Containers → Disk shows what a prune of unused images and build cache frees\) and retry\.$/)
    expect(steps).toEqual(['pull:running', 'pull:failed']) // never locked, never started anything
    expect((await plain()).map((c) => `${c.Id} ${c.Image} ${c.State}`)).toEqual(before)
    expect(healthOf((await plain())[0])).toBe('healthy')
    expect(await hasImage(`${repo}:huge`)).toBe(false)
    // Docker discarded the partial download: the disk is as free as before (give or take its own files)
    await waitFor(async () => Math.abs((await freeBytes()) - freeBefore) < 8 * 1024 * 1024, { timeoutMs: 10_000, what: 'the partial download gone' })
    expect(await lockDirs()).toEqual([])
    expect(history().at(-1)).toMatchObject({ deployId: entry.deployId, serviceId: 'container:svc', result: 'failed', reason: entry.reason })
  })

  it('a disk nearly full refuses before the pull, with how much is free and what to do', async () => {
    const filler = path.join(docker.dataRoot, 'filler.bin')
    writeFileSync(filler, Buffer.alloc(Math.max(0, (await freeBytes()) - 60 * 1024 * 1024)))
    try {
      const before = (await plain()).map((c) => `${c.Id} ${c.State}`)
      const { entry, steps } = await deploy('container:svc', 'fresh_plain')
      expect(entry.result).toBe('failed')
      expect(entry.reason).toMatch(new RegExp(`^The disk of ${HOST} is full: only \\d+\\.\\d MB is free for Docker \\(${docker.dataRoot.replace(/[.]/g, '\\.')}\\), pulling ${repo.replace(/[.]/g, '\\.')}:fresh_plain needs 100\\.0 MB\\. Nothing on the host was changed\\. Free some space`))
      expect(steps).toEqual(['pull:running', 'pull:failed'])
      expect(await hasImage(`${repo}:fresh_plain`)).toBe(false)
      expect((await plain()).map((c) => `${c.Id} ${c.State}`)).toEqual(before)
      expect(await lockDirs()).toEqual([])
    } finally {
      rmSync(filler, { force: true })
    }
  })

  describe('a lock judged on the host\'s clock, not the operator\'s', () => {
    const lockFile = () => path.join(stateDir, 'locks', 'container_svc', 'info.json')
    const state = () => new HostState((h, c, o) => services.ssh.exec(h, c, o))

    it('an operator whose clock is hours ahead sees a lock written a moment ago on the host as live: no takeover, a deploy is refused', async () => {
      const since = new Date().toISOString() // the holder's clock agrees with the host
      expect(await state().acquire({ deployId: 'feedfacefeedface', hostId: HOST, serviceId: 'container:svc', who: 'bob', machine: 'bob-desktop', what: `deploy ${repo}:deploy_aaaaaaaa`, since, updatedAt: since, timeoutMs: 15 * 60_000, step: 'lock' })).toEqual({ acquired: true })
      clock.offsetMs = 3 * HOUR
      try {
        const svc = (await call('deploys.services', { hostId: HOST })).services.find((s) => s.id === 'container:svc')!
        expect(svc.lock).toMatchObject({ who: 'bob', machine: 'bob-desktop', stale: false })
        expect(await failure('deploys.takeover', { hostId: HOST, serviceId: 'container:svc', confirm: 'svc' })).toMatchObject({ code: 'DEPLOY_LOCKED', data: { holder: { who: 'bob' } } })
        expect((await failure('deploys.start', { hostId: HOST, serviceId: 'container:svc', tag: 'deploy_aaaaaaaa' })).code).toBe('DEPLOY_LOCKED')
        expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ deployId: 'feedfacefeedface' }) // still bob's
      } finally {
        clock.offsetMs = 0
      }
    })

    it('an operator whose clock is hours behind sees a lock left quiet for two hours on the host as stale, and takes it over', async () => {
      // bob's app went away: the host last saw the lock written two hours ago (its own clock)
      await run('touch', ['-d', `@${Math.floor((Date.now() - 2 * HOUR) / 1000)}`, lockFile()])
      clock.offsetMs = -3 * HOUR
      try {
        const svc = (await call('deploys.services', { hostId: HOST })).services.find((s) => s.id === 'container:svc')!
        expect(svc.lock).toMatchObject({ who: 'bob', stale: true })
        await call('deploys.takeover', { hostId: HOST, serviceId: 'container:svc', confirm: 'svc' })
        expect(await lockDirs()).toEqual([])
        expect(history().at(-1)).toMatchObject({ action: 'recover', result: 'succeeded', reason: expect.stringMatching(/took over a stale lock held by bob on bob-desktop/) })
        await oneHealthyVersion(plain, 'svc')
      } finally {
        clock.offsetMs = 0
      }
    })
  })

  describe('the SSH connection cut', () => {
    const other = (tag: string) => (tag === 'deploy_aaaaaaaa' ? 'deploy_bbbbbbbb' : 'deploy_aaaaaaaa')

    it('during the pull of a plain container\'s new version: nothing switched, one healthy version, the lock free; the next deploy pulls it', async () => {
      const before = (await plain())[0]
      let cut = false
      const { entry } = await deploy('container:svc', 'fresh_plain', (s) => {
        if (!cut && s.step === 'pull' && s.bytes) {
          cut = true
          cutSsh()
        }
      })
      expect(cut).toBe(true)
      expect(['failed', 'succeeded']).toContain(entry.result) // Docker may finish the pull on its own
      const now = await oneHealthyVersion(plain, 'svc')
      if (entry.result === 'failed') {
        expect(entry.reason).toMatch(/^Pulling .*fresh_plain on fault-host was cut off: the connection to the host dropped \(.+\)\. Nothing on the host was changed; deploy again once the host answers\.$/)
        expect(now.Id).toBe(before.Id)
      }
      expect(await lockDirs()).toEqual([])
      const again = await deploy('container:svc', 'fresh_plain')
      expect(again.entry).toMatchObject({ result: 'succeeded', toImage: expect.stringMatching(/:deploy_[0-9a-f]{8}$/) }) // tagged deploy_<id8>
      expect((await oneHealthyVersion(plain, 'svc')).Image).toBe(again.entry.toImage)
    })

    it('right after the switch of a plain container: the new version runs alone, healthy, and the lock is released', async () => {
      const target = (await plain())[0].Image === `${repo}:deploy_aaaaaaaa` ? 'deploy_bbbbbbbb' : 'deploy_aaaaaaaa'
      let cut = false
      const { entry, steps } = await deploy('container:svc', target, (s) => {
        if (!cut && s.step === 'switch' && s.status === 'ok') {
          cut = true
          cutSsh()
        }
      })
      expect(cut).toBe(true)
      expect(steps).toContain('switch:ok')
      expect(entry.result).toBe('succeeded')
      const now = await oneHealthyVersion(plain, 'svc')
      expect(now).toMatchObject({ Names: ['/svc'], Image: `${repo}:${target}` })
      expect(await lockDirs()).toEqual([])
      expect(history().at(-1)).toMatchObject({ deployId: entry.deployId, result: 'succeeded' })
    })

    describe.skipIf(!compose)('of a Compose service (docker-compose v1)', () => {
      beforeAll(async () => {
        const projectDir = path.join(dir, 'faultc')
        mkdirSync(projectDir)
        composePort = await freePort('127.0.0.1', 42_100)
        writeFileSync(path.join(projectDir, 'docker-compose.yml'), webComposeFile({ image: `${repo}:deploy_bbbbbbbb`, network: 'host', port: composePort, extra: ['    stop_grace_period: 1s'] }))
        await run('sh', ['-c', `cd '${projectDir}' && DOCKER_HOST='${docker.env.DOCKER_HOST}' docker-compose -p faultc up -d`], { timeoutMs: 120_000 })
        await waitFor(async () => (await composed()).some((c) => healthOf(c) === 'healthy'), { timeoutMs: 30_000, what: 'faultc web healthy' })
      }, 120_000)

      const current = async () => (await composed())[0].Image.split(':').at(-1)!

      it('during the pull: one healthy version, the lock free', async () => {
        let cut = false
        const { entry } = await deploy('compose:faultc/web', 'fresh_compose', (s) => {
          if (!cut && s.step === 'pull' && s.bytes) {
            cut = true
            cutSsh()
          }
        })
        expect(cut).toBe(true)
        expect(['failed', 'succeeded']).toContain(entry.result)
        await oneHealthyVersion(composed, 'faultc web')
        expect(await lockDirs()).toEqual([])
      })

      for (const point of ['locked', 'switch', 'switched'] as const) {
        const what = point === 'locked' ? 'after the lock' : point === 'switch' ? 'as the switch is written' : 'right after the switch'
        it(`${what}: exactly one healthy container of the service, the lock released`, async () => {
          const target = other(await current())
          let cut = false
          if (point === 'locked') {
            pauses.set('locked', async () => {
              cut = true
              cutSsh()
            })
          }
          try {
            const { entry } = await deploy('compose:faultc/web', target, (s) => {
              if (cut || s.step !== 'switch') return
              if ((point === 'switch' && s.status === 'running') || (point === 'switched' && s.status === 'ok')) {
                cut = true
                cutSsh()
              }
            })
            expect(cut).toBe(true)
            expect(['succeeded', 'rolled-back'], entry.reason ?? '').toContain(entry.result)
            const now = await oneHealthyVersion(composed, 'faultc web')
            expect(now.Image).toBe(`${repo}:${entry.result === 'succeeded' ? target : other(target)}`)
            if (point !== 'locked') expect(entry.result).toBe('succeeded') // the new version was healthy before the cut
            expect(await lockDirs()).toEqual([])
          } finally {
            pauses.delete('locked')
          }
        })
      }
    })
  })
})
