// Git deploys and the operator's pre/post-deploy commands on the real bench: a bare repository (the
// "remote"), the host's clone of it holding a Compose project whose service `web` has `build: .` (a
// busybox image serving /health, built on the host's dockerd by Debian's docker-compose 1.29), reached
// through a real sshd droplet. Deploy ref A, then branch main at B, then a ref whose build fails
// (nothing changed), then a ref whose image is unhealthy (rolled back by itself, the checkout put back),
// then a rollback to A with no rebuild. A failing pre-deploy command stops the deploy with nothing changed;
// a failing post-deploy command is a warning and the deploy stays. The SSH connection cut right after
// the checkout under the lock: the version from before runs, healthy, and its checkout is back.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { createServices, type Services } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import { routerCalls } from '../support/router-calls'
import { startDocker, findDockerd, seedImages, type DockerDaemon } from '../fleet/dockerd'
import { dockerCall, listContainers, healthOf } from '../fleet/docker-api'
import { startDroplets, SSHD_PATH, type Droplets } from '../fleet/sshd'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { isPortFree } from '../fleet/net'
import { descendants, findExecutable, run, waitFor } from '../fleet/proc'
import { memoryKeychain } from '../ssh/support/ssh-env'
import { serviceHasBuild } from '../../src/main/deploys/git-source'
import type { DeployEntry, DeployStep } from '../../src/shared/contract/deploys'

const dockerd = findDockerd()
const compose = findExecutable('docker-compose')
const ready = Boolean(dockerd && findExecutable('docker') && findExecutable('git') && compose && existsSync(SSHD_PATH))
if (!ready) console.warn('[deploys-git] skipping: dockerd, the docker CLI, git, docker-compose or sshd is missing')

const HOST = 'git-droplet'
const WEB = 'compose:gitw/web'

async function freePort(from: number): Promise<number> {
  for (let p = from; p < from + 500; p++) if (await isPortFree('127.0.0.1', p)) return p
  throw new Error('no free port')
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'dev', GIT_COMMITTER_EMAIL: 'dev@example.com' } }).trim()

describe('serviceHasBuild reads `docker-compose config` output', () => {
  const v1 = ['services:', '  side:', '    image: dropdeck/web:deploy_aaaaaaaa', '    network_mode: none', '  web:', '    build:', '      context: /srv/app', '    environment:', '      PORT: "8080"', "version: '3.8'", ''].join('\n')
  // v2 prints a `name:` first and quotes nothing differently for these keys
  const v2 = ['name: gitw', 'services:', '  side:', '    image: dropdeck/web:deploy_aaaaaaaa', '  web:', '    build:', '      context: /srv/app', '      dockerfile: Dockerfile', '    networks:', '      default: null', ''].join('\n')
  it('finds build: under the service, not under another one', () => {
    for (const out of [v1, v2]) {
      expect(serviceHasBuild(out, 'web')).toBe(true)
      expect(serviceHasBuild(out, 'side')).toBe(false)
      expect(serviceHasBuild(out, 'missing')).toBe(false)
    }
  })
})

describe.skipIf(!ready)('git deploys on the bench (real git, dockerd, sshd and docker-compose v1)', { timeout: 240_000 }, () => {
  let dir: string
  let stateDir: string
  let origin: string
  let work: string
  let app: string
  let port: number
  let docker: DockerDaemon
  let droplets: Droplets
  let services: Services
  const commits: Record<string, string> = {}
  const ctx = createCallContext('test:deploys-git', () => services.bus)
  const { call, failure } = routerCalls(() => services, ctx)
  const sock = () => docker.socketPath

  const webContainers = () => listContainers(sock(), { label: ['com.docker.compose.project=gitw', 'com.docker.compose.service=web'] }, { all: true })
  const lockDirs = () => (existsSync(path.join(stateDir, 'locks')) ? run('ls', ['-A', path.join(stateDir, 'locks')]).then((o) => o.split('\n').filter(Boolean)) : Promise.resolve([]))
  const served = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/health`).catch(() => null)
    return res?.ok ? ((await res.json()) as { version: string }).version : null
  }

  /** A commit on `branch` in the developer's clone, pushed to the bare repository. */
  function commit(branch: string, name: string, files: Record<string, string | null>, options: { tag?: string } = {}): string {
    git(work, 'checkout', '-q', '-B', branch)
    for (const [f, content] of Object.entries(files)) {
      const p = path.join(work, f)
      if (content === null) rmSync(p, { force: true })
      else {
        mkdirSync(path.dirname(p), { recursive: true })
        writeFileSync(p, content)
      }
    }
    git(work, 'add', '-A')
    git(work, 'commit', '-q', '-m', name)
    if (options.tag) git(work, 'tag', options.tag)
    git(work, 'push', '-q', 'origin', branch, ...(options.tag ? [options.tag] : []))
    return (commits[name] = git(work, 'rev-parse', 'HEAD'))
  }

  /** Every SSH session of the droplet (the app's pooled connection and its channels) dies now. */
  function cutSsh(): void {
    for (const pid of descendants(droplets.droplets[0].pid)) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        /* gone already */
      }
    }
  }

  /** Starts a deploy (or rollback) and waits for it to finish, collecting its step events. */
  async function deploy(params: { gitRef: string } | { tag: string; rollback?: boolean }, onStep?: (step: DeployStep, deployId: string) => void): Promise<{ entry: DeployEntry; steps: DeployStep[]; names: string[] }> {
    const steps: DeployStep[] = []
    let id = ''
    const early: Array<{ id: string; step?: DeployStep; phase?: string; entry?: DeployEntry | null }> = []
    let resolveEntry!: (e: DeployEntry) => void
    const done = new Promise<DeployEntry>((r) => (resolveEntry = r))
    const handle = (p: { id: string; step?: DeployStep; phase?: string; entry?: DeployEntry | null }) => {
      if (p.step) {
        steps.push(p.step)
        onStep?.(p.step, p.id)
      }
      if (p.phase === 'finished' && p.entry) resolveEntry(p.entry)
    }
    const off = services.bus.subscribe((event, payload, to?: string) => {
      if (!event.startsWith('deploys.') || event === 'deploys.changed' || to !== 'test:deploys-git') return
      const p = payload as { id: string }
      if (!id) early.push(p)
      else if (p.id === id) handle(p)
    })
    try {
      const res =
        'gitRef' in params
          ? await call('deploys.start', { hostId: HOST, serviceId: WEB, gitRef: params.gitRef })
          : params.rollback
            ? await call('deploys.rollback', { hostId: HOST, serviceId: WEB, tag: params.tag, confirm: 'web' })
            : await call('deploys.start', { hostId: HOST, serviceId: WEB, tag: params.tag })
      id = res.deployId
      for (const p of early) if (p.id === id) handle(p)
      const entry = await done
      const names = steps.filter((s) => s.status !== 'running').map((s) => `${s.step}:${s.status}`)
      return { entry, steps, names }
    } finally {
      off()
    }
  }

  const site = (version: string, healthy = true) => ({
    'www/index.html': `<h1>${version}</h1>\n`,
    'www/health': healthy ? `{"status":"ok","version":"${version}"}\n` : null
  })

  beforeAll(async () => {
    dir = mkdtempSync('/tmp/dddg-')
    stateDir = path.join(dir, 'state')
    docker = await startDocker({ dir: path.join(dir, 'd') })
    droplets = await startDroplets({ count: 1, dir: path.join(dir, 'ssh'), names: [HOST], port: 'auto', baseAddress: '127.0.51.2', env: { DOCKER_HOST: docker.env.DOCKER_HOST, DROPDECK_STATE_DIR: stateDir } })
    const files = writeSshClientFiles(dir, droplets.droplets)
    await seedImages(docker)
    port = await freePort(41_100)

    origin = path.join(dir, 'origin.git')
    work = path.join(dir, 'work')
    app = path.join(dir, 'app')
    git(dir, 'init', '-q', '--bare', '--initial-branch=main', origin)
    git(dir, 'clone', '-q', origin, work)
    // No RUN step: the bench's dockerd has no bridge network for a build container; COPY needs none.
    commit('main', 'A', {
      Dockerfile: ['FROM dropdeck/busybox:1', 'COPY www /www', 'ENV PORT=8080', 'CMD ["/bin/sh", "-c", "exec httpd -f -vv -p 127.0.0.1:${PORT} -h /www"]', ''].join('\n'),
      'docker-compose.yml': [
        'version: "3.8"',
        'services:',
        '  web:',
        '    build: .',
        '    network_mode: host',
        '    environment: ["PORT=${WEB_PORT}"]',
        '    healthcheck:',
        '      test: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:$$PORT/health || exit 1"]',
        '      interval: 500ms',
        '      timeout: 2s',
        '      retries: 2',
        '  side:',
        '    image: dropdeck/web:deploy_aaaaaaaa',
        '    network_mode: none',
        ''
      ].join('\n'),
      '.gitignore': '.env\n',
      ...site('A')
    })
    git(dir, 'clone', '-q', origin, app)
    // The operator's untracked .env (Compose reads it; a git deploy's build must too).
    writeFileSync(path.join(app, '.env'), `WEB_PORT=${port}\n`)
    execFileSync('docker-compose', ['-p', 'gitw', 'up', '-d', '--build'], { cwd: app, env: { ...process.env, DOCKER_HOST: docker.env.DOCKER_HOST }, stdio: 'pipe', timeout: 180_000 })
    await waitFor(async () => (await webContainers()).some((c) => healthOf(c) === 'healthy'), { timeoutMs: 60_000, what: 'gitw web healthy' })

    services = createServices({
      dataDir: path.join(dir, 'data'),
      version: '0.0.0-test',
      keychain: memoryKeychain(),
      env: { DROPDECK_SSH_CONFIG: files.sshConfigPath },
      log: () => undefined,
      deploysTuning: { lockTimeoutMs: 120_000, reconnectWaitMs: 30_000 }
    })
  }, 240_000)

  afterAll(async () => {
    await ctx.dispose()
    await services?.dispose()
    await droplets?.stop()
    await docker?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('deploys.refs lists the clone\'s branches, tags and commits after a fetch; a service without build: and a plain container say a git deploy needs one', async () => {
    commit('main', 'B', site('B'))
    const refs = await call('deploys.refs', { hostId: HOST, serviceId: WEB })
    expect(refs).toMatchObject({ workingDir: app, repoDir: app, fetched: true, fetchError: null, dirty: [], head: { branch: 'main', commit: commits.A } })
    // the fetch brought B: main is offered at B though the clone's own main is still at A
    expect(refs.branches.find((b) => b.name === 'main')).toMatchObject({ commit: commits.B, subject: 'B' })
    expect(refs.commits.map((c) => c.commit)).toEqual(expect.arrayContaining([commits.A, commits.B]))

    expect(await failure('deploys.refs', { hostId: HOST, serviceId: 'compose:gitw/side' })).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/side has no `build:` section .*a git deploy needs a Compose `build:`/) })
    const plain = await dockerCall(sock(), 'POST', '/containers/create', { query: { name: 'plain' }, body: { Image: 'dropdeck/web:deploy_aaaaaaaa', HostConfig: { NetworkMode: 'none' } } })
    await dockerCall(sock(), 'POST', `/containers/${plain.json<{ Id: string }>().Id}/start`)
    expect(await failure('deploys.start', { hostId: HOST, serviceId: 'container:plain', gitRef: 'main' })).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/plain is a plain container: a git deploy builds a Compose service from its `build:` section/) })
    // exactly one of tag and gitRef
    expect((await failure('deploys.start', { hostId: HOST, serviceId: WEB, tag: 'x', gitRef: 'main' })).code).toBe('BAD_REQUEST')
    expect((await failure('deploys.start', { hostId: HOST, serviceId: WEB })).code).toBe('BAD_REQUEST')
  })

  it('deploys ref A (a commit), then branch main at B: built on the host as <repo>:deploy_<id8>, checked out, health-gated, history with the ref and commit', async () => {
    const a = await deploy({ gitRef: commits.A })
    const a8 = commits.A.slice(0, 8)
    expect(a.entry).toMatchObject({ result: 'succeeded', toImage: `gitw_web:deploy_${a8}`, git: { ref: commits.A, commit: commits.A, subject: 'A' } })
    expect(a.names).toEqual(['build:ok', 'lock:ok', 'checks:ok', 'checks:ok', 'checkout:ok', 'tag:skipped', 'start:ok', 'health:ok', 'switch:ok', 'prune:ok', 'release:ok'])
    const build = a.steps.find((s) => s.step === 'build' && s.status === 'ok')!
    expect(build.output!.total).toBeGreaterThan(3)
    expect(build.output!.lines.length).toBeLessThanOrEqual(12)
    expect(build.output!.lines.join('\n')).toMatch(/Successfully (built|tagged)/)

    const b = await deploy({ gitRef: 'main' })
    const b8 = commits.B.slice(0, 8)
    expect(b.entry).toMatchObject({ result: 'succeeded', fromImage: `gitw_web:deploy_${a8}`, toImage: `gitw_web:deploy_${b8}`, git: { ref: 'main', commit: commits.B, subject: 'B' } })
    expect(b.names[0]).toBe('build:ok')
    expect(await served()).toBe('B')
    const web = await webContainers()
    expect(web.map((c) => [c.Image, c.State])).toEqual([[`gitw_web:deploy_${b8}`, 'running']])
    expect(git(app, 'rev-parse', 'HEAD')).toBe(commits.B)
    // the build's worktree is gone; the operator's .env untouched
    expect(existsSync(path.join(stateDir, 'builds')) ? (await run('ls', ['-A', path.join(stateDir, 'builds')])).trim() : '').toBe('')
    expect(readFileSync(path.join(app, '.env'), 'utf8')).toBe(`WEB_PORT=${port}\n`)
    const history = await call('deploys.history', { hostId: HOST, serviceId: WEB })
    expect(history[0]).toMatchObject({ deployId: b.entry.deployId, git: { ref: 'main', commit: commits.B } })
    expect(await lockDirs()).toEqual([])
  })

  it('a ref whose build fails: a clear error with the build\'s last lines, nothing changed, no lock taken', async () => {
    commit('broken-build', 'C', { Dockerfile: ['FROM dropdeck/busybox:1', 'COPY no-such-folder /www', ''].join('\n') })
    const before = await webContainers()
    const { entry, steps, names } = await deploy({ gitRef: 'broken-build' })
    expect(entry).toMatchObject({ result: 'failed', git: { ref: 'broken-build', commit: commits.C } })
    expect(entry.reason).toMatch(new RegExp(`Building broken-build \\(${commits.C.slice(0, 12)}\\) on ${HOST} exited with \\d+: .*Nothing the service runs was changed`))
    expect(names).toEqual(['build:failed'])
    expect(steps.at(-1)!.output!.lines.join('\n')).toMatch(/no-such-folder/)
    const after = await webContainers()
    expect(after.map((c) => [c.Id, c.State])).toEqual(before.map((c) => [c.Id, 'running']))
    expect(git(app, 'rev-parse', 'HEAD')).toBe(commits.B)
    expect(await served()).toBe('B')
    expect(await lockDirs()).toEqual([])
  })

  it('a ref whose image is unhealthy rolls back by itself, and the checkout from before is put back', async () => {
    git(work, 'checkout', '-q', 'main')
    commit('main', 'D', site('D', false), { tag: 'v-unhealthy' })
    const { entry, names } = await deploy({ gitRef: 'v-unhealthy' })
    expect(entry).toMatchObject({ result: 'rolled-back', git: { ref: 'v-unhealthy', commit: commits.D }, reason: expect.stringMatching(/failed its health gate/) })
    expect(names).toEqual(expect.arrayContaining(['build:ok', 'checkout:ok', 'health:failed', 'rollback:ok', 'release:ok']))
    expect(names.filter((n) => n === 'checkout:ok')).toHaveLength(2) // checked out, then put back
    expect(names).not.toContain('switch:ok')
    expect(git(app, 'rev-parse', 'HEAD')).toBe(commits.B)
    const web = await webContainers()
    expect(web.map((c) => [c.Image, c.State])).toEqual([[`gitw_web:deploy_${commits.B.slice(0, 8)}`, 'running']])
    await waitFor(async () => (await served()) === 'B', { timeoutMs: 15_000, what: 'B serving again' })
    expect(await lockDirs()).toEqual([])
  })

  it('local changes to tracked files refuse a git deploy before anything starts', async () => {
    writeFileSync(path.join(app, 'www/index.html'), '<h1>hotfix on the server</h1>\n')
    try {
      const err = await failure('deploys.start', { hostId: HOST, serviceId: WEB, gitRef: commits.A })
      expect(err).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/has local changes to tracked files \(M www\/index\.html\).*will not overwrite them/), data: { dirty: [' M www/index.html'] } })
      expect((await call('deploys.refs', { hostId: HOST, serviceId: WEB })).dirty).toEqual([' M www/index.html'])
      expect(readFileSync(path.join(app, 'www/index.html'), 'utf8')).toBe('<h1>hotfix on the server</h1>\n')
    } finally {
      git(app, 'checkout', '--', 'www/index.html')
    }
  })

  it('rolls back to A\'s image with no rebuild, and checks A\'s commit out again (found in the history)', async () => {
    const { entry, names } = await deploy({ tag: `deploy_${commits.A.slice(0, 8)}`, rollback: true })
    expect(entry).toMatchObject({ action: 'rollback', result: 'succeeded', toImage: `gitw_web:deploy_${commits.A.slice(0, 8)}`, git: { commit: commits.A } })
    expect(names.some((n) => n.startsWith('build:'))).toBe(false)
    expect(names).toEqual(expect.arrayContaining(['pull:skipped', 'checkout:ok', 'health:ok', 'switch:ok']))
    expect(await served()).toBe('A')
    expect(git(app, 'rev-parse', 'HEAD')).toBe(commits.A)
  })

  it('a failing pre-deploy command stops the deploy with nothing changed; a failing post-deploy command is a warning and the deploy stays', async () => {
    const marker = path.join(dir, 'pre-ran')
    await call('deploys.configure', { hostId: HOST, serviceId: WEB, settings: { preDeploy: `echo "pre $DROPDECK_GIT_COMMIT in $(pwd)" > ${marker}; echo checking migrations; echo migrations pending >&2; exit 3`, commandTimeoutMs: 20_000 } })
    const headBefore = git(app, 'rev-parse', 'HEAD')
    const before = await webContainers()
    const refused = await deploy({ gitRef: 'main~1' }) // B, already built: no rebuild, straight to the lock
    expect(refused.entry).toMatchObject({ result: 'failed', reason: 'The pre-deploy command exited with 3: migrations pending. The deploy stopped before anything changed.' })
    expect(refused.names).toEqual(['build:skipped', 'checks:ok', 'checks:ok', 'pre-deploy:failed', 'release:ok'])
    expect(refused.steps.find((s) => s.step === 'pre-deploy' && s.status === 'failed')!.output).toEqual({ lines: ['checking migrations', 'migrations pending'], total: 2 })
    expect(readFileSync(marker, 'utf8')).toBe(`pre ${commits.B} in ${app}\n`)
    expect((await webContainers()).map((c) => [c.Id, c.Image])).toEqual(before.map((c) => [c.Id, c.Image]))
    expect(git(app, 'rev-parse', 'HEAD')).toBe(headBefore)
    expect(await lockDirs()).toEqual([])

    await call('deploys.configure', { hostId: HOST, serviceId: WEB, settings: { preDeploy: null, postDeploy: 'echo "post $DROPDECK_TO_IMAGE"; exit 4' } })
    const kept = await deploy({ gitRef: 'main~1' })
    expect(kept.entry).toMatchObject({ result: 'succeeded', warnings: ['the post-deploy command exited with 4: post gitw_web:deploy_' + commits.B.slice(0, 8) + '; the new version stays'] })
    expect(kept.names).toEqual(expect.arrayContaining(['switch:ok', 'post-deploy:failed', 'release:ok']))
    expect(await served()).toBe('B')
    expect(git(app, 'rev-parse', 'HEAD')).toBe(commits.B)
  })

  it('a cancel while the pre-deploy command runs stops it on the host, with nothing changed', async () => {
    await call('deploys.configure', { hostId: HOST, serviceId: WEB, settings: { preDeploy: 'echo started; sleep 43.5; echo never', postDeploy: null, commandTimeoutMs: 60_000 } })
    const before = (await webContainers()).map((c) => c.Id)
    let asked = false
    const { entry, names } = await deploy({ gitRef: commits.A }, (step, deployId) => {
      if (asked || step.step !== 'pre-deploy' || !step.output?.lines.includes('started')) return
      asked = true
      void call('deploys.cancel', { deployId })
    })
    expect(entry).toMatchObject({ result: 'cancelled', reason: 'cancelled by the operator before the switch' })
    expect(names).toContain('pre-deploy:failed')
    expect(names).not.toContain('start:ok')
    await waitFor(async () => (await run('sh', ['-c', "pgrep -f 'sleep 4[3][.]5' || true"])).trim() === '', { timeoutMs: 10_000, what: 'the pre-deploy command stopped on the host' })
    expect((await webContainers()).map((c) => c.Id)).toEqual(before)
    expect(git(app, 'rev-parse', 'HEAD')).toBe(commits.B)
    expect(await lockDirs()).toEqual([])
  })

  it('a command that outlives its time limit is stopped on the host', async () => {
    await call('deploys.configure', { hostId: HOST, serviceId: WEB, settings: { preDeploy: 'echo waiting; sleep 30', postDeploy: null, commandTimeoutMs: 1000 } })
    const { entry } = await deploy({ gitRef: commits.A })
    expect(entry).toMatchObject({ result: 'failed', reason: 'The pre-deploy command did not finish within 1 s. The deploy stopped before anything changed.' })
    expect(await served()).toBe('B')
    await call('deploys.configure', { hostId: HOST, serviceId: WEB, settings: { preDeploy: null } })
  })

  it('the SSH connection cut right after the checkout under the lock: the version from before runs, healthy, its checkout is back, the lock released', async () => {
    const headBefore = git(app, 'rev-parse', 'HEAD')
    expect(headBefore).toBe(commits.B)
    const before = await webContainers()
    let cut = false
    const { entry, names, steps } = await deploy({ gitRef: commits.A }, (step) => {
      if (!cut && step.step === 'checkout' && step.status === 'ok') {
        cut = true
        cutSsh()
      }
    })
    expect(cut).toBe(true)
    expect(entry).toMatchObject({ result: 'rolled-back', git: { commit: commits.A }, reason: expect.stringMatching(/was cut .*put back detached at [0-9a-f]{40} in /) })
    expect(names).toEqual(expect.arrayContaining(['checkout:ok', 'recover:ok', 'release:ok']))
    expect(names).not.toContain('switch:ok')
    expect(steps.find((s) => s.step === 'recover' && s.status === 'ok')!.detail).toContain(`put back detached at ${commits.B} in ${app}`)
    // one healthy version runs, and the folder's checkout is the one that version was built from
    const web = await webContainers()
    expect(web.map((c) => [c.Id, c.Image, c.State])).toEqual(before.map((c) => [c.Id, `gitw_web:deploy_${commits.B.slice(0, 8)}`, 'running']))
    await waitFor(async () => healthOf((await webContainers())[0]) === 'healthy', { timeoutMs: 15_000, what: 'B healthy' })
    expect(await served()).toBe('B')
    expect(git(app, 'rev-parse', 'HEAD')).toBe(commits.B)
    expect(await lockDirs()).toEqual([])
  })
})
