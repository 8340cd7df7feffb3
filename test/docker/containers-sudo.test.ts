// Hosts whose login user is not in the docker group: a real non-root user (created here, removed
// after) logs in to a real sshd and can reach the bench dockerd's socket only through sudo. Without
// a sudoers rule Dropdeck says what to do; with a NOPASSWD rule for docker it works through `sudo -n`.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { createServices, type Services } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import { routerCalls } from '../support/router-calls'
import { DropdeckError } from '../../src/shared/errors'
import { startDocker, findDockerd, seedImages, type DockerDaemon } from '../fleet/dockerd'
import { BASE_IMAGE } from '../fleet/docker-seed'
import { dockerCall } from '../fleet/docker-api'
import { startDroplets, SSHD_PATH, type Droplets } from '../fleet/sshd'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { findExecutable, waitFor } from '../fleet/proc'
import { memoryKeychain } from '../ssh/support/ssh-env'
import { testUser } from '../fleet/test-user'

const user = testUser('ddsudo')
const USER = user.name
const root = process.getuid?.() === 0
const ready = Boolean(root && findDockerd() && findExecutable('docker') && findExecutable('sudo') && findExecutable('useradd') && existsSync(SSHD_PATH))
if (!ready) console.warn('[docker] skipping sudo tests: they need root, dockerd, docker, sudo, useradd and sshd')

describe.skipIf(!ready)('containers for a user outside the docker group (real user, sudo, sshd, dockerd)', () => {
  let dir: string
  let docker: DockerDaemon
  let droplets: Droplets
  let services: Services
  const ctx = createCallContext('test:containers-sudo', () => services.bus)

  const { call } = routerCalls(() => services, ctx)

  beforeAll(async () => {
    user.create()
    dir = mkdtempSync('/tmp/dds-')
    chmodSync(dir, 0o755) // the user's sshd session reads authorized_keys under it
    docker = await startDocker({ dir: path.join(dir, 'd') })
    await seedImages(docker)
    await dockerCall(docker.socketPath, 'POST', '/containers/create', { query: { name: 'sudo-visible' }, body: { Image: BASE_IMAGE, Cmd: ['true'] } })
    droplets = await startDroplets({ count: 1, dir: path.join(dir, 'ssh'), names: ['sudo-droplet'], port: 'auto', baseAddress: '127.0.41.2', user: USER, env: { DOCKER_HOST: docker.env.DOCKER_HOST } })
    user.shareAuthorizedKeys(path.join(dir, 'ssh'))
    const files = writeSshClientFiles(dir, droplets.droplets)
    services = createServices({ dataDir: path.join(dir, 'data'), version: '0.0.0-test', keychain: memoryKeychain(), env: { DROPDECK_SSH_CONFIG: files.sshConfigPath }, log: () => undefined })
  }, 120_000)

  afterAll(async () => {
    await ctx.dispose()
    await services?.dispose()
    await droplets?.stop()
    await docker?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
    user.remove()
  })

  it('the user cannot reach the daemon\'s socket on its own', () => {
    const sock = statSync(docker.socketPath)
    expect(sock.uid).toBe(0)
    expect(sock.mode & 0o007).toBe(0) // nothing for others
    const groups = execFileSync('id', ['-G', USER], { encoding: 'utf8' }).trim().split(/\s+/).map(Number)
    expect(groups).not.toContain(sock.gid)
    expect(() => execFileSync('su', ['-s', '/bin/sh', USER, '-c', `docker -H unix://${docker.socketPath} version --format '{{.Server.Version}}'`], { stdio: 'pipe' })).toThrow(/permission denied/i)
  })

  it('without a sudoers rule: says the user is not in the docker group, sudo -n is not allowed, and what to do', async () => {
    const err = await call('containers.list', { hostId: 'sudo-droplet' }).catch((e: unknown) => e as DropdeckError)
    expect(err).toBeInstanceOf(DropdeckError)
    expect((err as DropdeckError).code).toBe('UPSTREAM')
    expect((err as DropdeckError).message).toContain(`sudo-droplet: ${USER} is not in the docker group and sudo -n is not allowed. Add ${USER} to the docker group (sudo usermod -aG docker ${USER}, then reconnect)`)
    expect((err as DropdeckError).message).toMatch(/permission denied/i)
    const attempts = ((err as DropdeckError).data as { attempts: Array<{ command: string; stderr: string }> }).attempts
    expect(attempts.map((a) => a.command)).toEqual(['docker system dial-stdio', 'sudo -n docker system dial-stdio'])
    expect(attempts[1].stderr).toMatch(/sudo: a password is required/)
  })

  it('with a NOPASSWD rule for docker: lists, acts and watches through sudo -n', async () => {
    const docker_ = execFileSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim()
    // env_keep: sudo resets the environment, and the bench's daemon is found through DOCKER_HOST.
    user.allowSudo(`Defaults:${USER} env_keep += "DOCKER_HOST"\n${USER} ALL=(root) NOPASSWD: ${docker_}\n`)
    const list = await call('containers.list', { hostId: 'sudo-droplet' })
    expect(list.map((c) => c.name)).toEqual(['sudo-visible'])
    const started = await call('containers.action', { hostId: 'sudo-droplet', id: 'sudo-visible', action: 'start' })
    expect(started.state === 'running' || started.exitCode === 0).toBe(true)
    const df = await call('containers.df', { hostId: 'sudo-droplet' })
    expect(df.containers.count).toBe(1)
    const states: string[] = []
    const unsubscribe = services.bus.subscribe((event, payload) => {
      if (event === 'containers.watch.state') states.push((payload as { state: string }).state)
    })
    await call('containers.watch.open', { hostId: 'sudo-droplet' })
    await waitFor(() => states.includes('live'), { timeoutMs: 15_000, what: 'the watch to go live through sudo' })
    unsubscribe()
  })
})
