// containers.* on the real bench: a private dockerd with the seeded healthy/unhealthy/exited
// containers, reached through a real sshd droplet whose sessions get DOCKER_HOST, through the
// real services (router, contract validation, SSH pool) - the Engine API over `docker system dial-stdio`.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import path from 'node:path'
import { createServices, type Services } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import { routerCalls } from '../support/router-calls'
import { DropdeckError } from '../../src/shared/errors'
import { startDocker, findDockerd, seedImages, seedContainers, waitForSeededStates, type DockerDaemon } from '../fleet/dockerd'
import { SEEDED_CONTAINERS, type SeededContainer } from '../fleet/docker-seed'
import { startDroplets, SSHD_PATH, type Droplets } from '../fleet/sshd'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { isPortFree } from '../fleet/net'
import { findExecutable, waitFor } from '../fleet/proc'
import { dialProcesses } from './dial-processes'
import { memoryKeychain } from '../ssh/support/ssh-env'
import { DockerEngine, type EngineStream } from '../../src/main/docker/engine'
import { existsSync } from 'node:fs'

const dockerd = findDockerd()
const ready = Boolean(dockerd && findExecutable('docker') && existsSync(SSHD_PATH))
if (!ready) console.warn('[docker] skipping container tests: dockerd, the docker CLI or sshd is missing')

async function freeOffset(): Promise<number> {
  for (let offset = 41_000; offset < 50_000; offset += 1_000) {
    const free = await Promise.all(SEEDED_CONTAINERS.map((c) => isPortFree('127.0.0.1', c.port + offset)))
    if (free.every(Boolean)) return offset
  }
  throw new Error('no free port range for the seeded containers')
}

describe.skipIf(!ready)('containers over SSH (real dockerd and sshd)', () => {
  let dir: string
  let docker: DockerDaemon
  let seeded: SeededContainer[]
  let withDocker: Droplets
  let withoutDocker: Droplets
  let services: Services
  const ctx = createCallContext('test:containers', () => services.bus)

  const { call, failure } = routerCalls(() => services, ctx)

  beforeAll(async () => {
    dir = mkdtempSync('/tmp/ddc-') // short: unix socket paths are limited
    docker = await startDocker({ dir: path.join(dir, 'd') })
    ;[withDocker, withoutDocker] = await Promise.all([
      startDroplets({ count: 1, dir: path.join(dir, 'ssh'), names: ['docker-droplet'], port: 'auto', baseAddress: '127.0.5.2', env: { DOCKER_HOST: docker.env.DOCKER_HOST } }),
      startDroplets({ count: 1, dir: path.join(dir, 'ssh2'), names: ['bare-droplet'], port: 'auto', baseAddress: '127.0.5.9', env: { DOCKER_HOST: `unix://${dir}/nothing.sock` } })
    ])
    const files = writeSshClientFiles(dir, [...withDocker.droplets, ...withoutDocker.droplets])
    await seedImages(docker)
    seeded = await seedContainers(docker, { portOffset: await freeOffset() })
    await waitForSeededStates(docker, seeded, 45_000)
    services = createServices({ dataDir: path.join(dir, 'data'), version: '0.0.0-test', keychain: memoryKeychain(), env: { DROPDECK_SSH_CONFIG: files.sshConfigPath }, log: () => undefined })
  })

  afterAll(async () => {
    await ctx.dispose()
    await services?.dispose()
    await Promise.all([withDocker?.stop(), withoutDocker?.stop()])
    await docker?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('lists healthy, unhealthy and exited containers with their Compose projects and exit code', async () => {
    const list = await call('containers.list', { hostId: 'docker-droplet' })
    const byName = new Map(list.map((c) => [c.name, c]))
    expect([...byName.keys()].sort()).toEqual(SEEDED_CONTAINERS.map((c) => c.name).sort())
    expect(byName.get('e2i-mlflow-1')).toMatchObject({ state: 'running', health: 'healthy', project: 'e2i', exitCode: null, image: 'dropdeck/web:deploy_bbbbbbbb' })
    expect(byName.get('e2i-opik-frontend-1')).toMatchObject({ state: 'running', health: 'healthy', project: 'e2i' })
    expect(byName.get('odoo-odoo-1')).toMatchObject({ state: 'running', health: 'unhealthy', project: 'odoo', exitCode: null })
    expect(byName.get('odoo-ocr-adapter-1')).toMatchObject({ state: 'exited', project: 'odoo', exitCode: 1 })
    expect(byName.get('tax-rules-service')).toMatchObject({ state: 'running', health: null, project: null })
    // A Compose project's folder on the host comes from its working_dir label (Files opens it from the project header).
    expect(byName.get('e2i-mlflow-1')?.projectDir).toBe('/opt/e2i_causal_analytics/docker')
    expect(byName.get('odoo-odoo-1')?.projectDir).toBe('/opt/odoo')
    expect(byName.get('tax-rules-service')?.projectDir).toBeNull()
    const mlflow = byName.get('e2i-mlflow-1')!
    expect(mlflow.id).toBe(seeded.find((s) => s.name === 'e2i-mlflow-1')!.id)
    expect(Date.parse(mlflow.createdAt)).toBeGreaterThan(0)
    expect(Date.parse(mlflow.startedAt!)).toBeGreaterThan(0)
    expect(mlflow.ports).toEqual([]) // host networking publishes nothing
  })

  it('a refresh reuses the kept-open Engine session: one dial-stdio process for list after list', async () => {
    const sshdPid = withDocker.droplets[0].pid
    const dials = () => dialProcesses(sshdPid)
    await call('containers.list', { hostId: 'docker-droplet' })
    const first = dials()
    expect(first).toHaveLength(1)
    for (let i = 0; i < 3; i++) expect((await call('containers.list', { hostId: 'docker-droplet' })).length).toBe(SEEDED_CONTAINERS.length)
    expect(dials()).toEqual(first)
  })

  it('gives the unhealthy container\'s failing health check results', async () => {
    const results = await call('containers.health', { hostId: 'docker-droplet', id: 'odoo-odoo-1' })
    expect(results.length).toBeGreaterThan(0)
    expect(results.at(-1)!.exitCode).not.toBe(0)
    expect(Date.parse(results.at(-1)!.end)).toBeGreaterThanOrEqual(Date.parse(results.at(-1)!.start))
    const healthy = await call('containers.health', { hostId: 'docker-droplet', id: 'e2i-mlflow-1' })
    expect(healthy.at(-1)!.exitCode).toBe(0)
  })

  it('restarts a container, which is running again afterwards', async () => {
    const before = (await call('containers.list', { hostId: 'docker-droplet' })).find((c) => c.name === 'tax-rules-service')!
    const after = await call('containers.action', { hostId: 'docker-droplet', id: before.id, action: 'restart' })
    expect(after.state).toBe('running')
    expect(Date.parse(after.startedAt!)).toBeGreaterThan(Date.parse(before.startedAt!))
  })

  it('refuses to remove without the container\'s name as confirmation, then removes with it', async () => {
    const refused = await failure('containers.action', { hostId: 'docker-droplet', id: 'odoo-ocr-adapter-1', action: 'remove' })
    expect(refused.code).toBe('CONFIRMATION_REQUIRED')
    const wrong = await failure('containers.action', { hostId: 'docker-droplet', id: 'odoo-ocr-adapter-1', action: 'remove', confirm: 'odoo-odoo-1' })
    expect(wrong.code).toBe('CONFIRMATION_REQUIRED')
    expect((await call('containers.list', { hostId: 'docker-droplet' })).map((c) => c.name)).toContain('odoo-ocr-adapter-1')
    const removed = await call('containers.action', { hostId: 'docker-droplet', id: 'odoo-ocr-adapter-1', action: 'remove', confirm: 'odoo-ocr-adapter-1' })
    expect(removed.state).toBe('removed')
    expect((await call('containers.list', { hostId: 'docker-droplet' })).map((c) => c.name)).not.toContain('odoo-ocr-adapter-1')
    expect((await failure('containers.health', { hostId: 'docker-droplet', id: 'odoo-ocr-adapter-1' })).code).toBe('NOT_FOUND')
  })

  describe('engine.stream', () => {
    let engine: DockerEngine
    beforeAll(() => {
      engine = new DockerEngine({ acquire: (hostId) => services.ssh.pool.acquire(hostId), userOf: async () => 'dropdeck' })
    })

    /** Collects the stream's body until `done` says so (or the body ends). */
    function readUntil(stream: EngineStream, done: (text: string) => boolean): Promise<string> {
      return new Promise((resolve, reject) => {
        let text = ''
        stream.body.on('data', (c: Buffer) => {
          text += c.toString('utf8')
          if (done(text)) resolve(text)
        })
        stream.body.on('error', reject)
        stream.body.on('close', () => resolve(text))
      })
    }

    it('streams /events as they happen, and close() ends the body', async () => {
      const tax = (await call('containers.list', { hostId: 'docker-droplet' })).find((c) => c.name === 'tax-rules-service')!
      const events = await engine.stream('docker-droplet', 'GET', `/events?filters=${encodeURIComponent(JSON.stringify({ type: ['container'], container: [tax.id] }))}`)
      expect(events.status).toBe(200)
      const seen = readUntil(events, (t) => t.includes('"Action":"restart"'))
      await call('containers.action', { hostId: 'docker-droplet', id: tax.id, action: 'restart' })
      const text = await seen
      const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { Action: string; id: string })
      expect(lines.map((l) => l.Action)).toEqual(expect.arrayContaining(['kill', 'die', 'start', 'restart']))
      expect(lines.every((l) => l.id === tax.id)).toBe(true)
      const closed = new Promise((r) => events.body.once('close', r))
      events.close()
      await closed
      expect(events.body.destroyed).toBe(true)
    })

    it('follows a container\'s logs until the signal aborts it', async () => {
      const controller = new AbortController()
      const logs = await engine.stream('docker-droplet', 'GET', '/containers/odoo-odoo-1/logs?follow=1&stdout=1&stderr=1&tail=0', { signal: controller.signal })
      const closed = new Promise((r) => logs.body.once('close', r))
      const first = await readUntil(logs, (t) => t.length > 0)
      expect(first.length).toBeGreaterThan(0)
      controller.abort()
      await closed
      expect(logs.body.destroyed).toBe(true)
    })

    it('throws the same errors as request for non-2xx answers', async () => {
      const missing = await engine.stream('docker-droplet', 'GET', '/containers/no-such-container/logs?follow=1&stdout=1').catch((e: unknown) => e)
      expect(missing).toBeInstanceOf(DropdeckError)
      expect((missing as DropdeckError).code).toBe('NOT_FOUND')
      expect((missing as DropdeckError).message).toContain('no-such-container')
      const bad = await engine.stream('docker-droplet', 'GET', '/events?filters=not-json').catch((e: unknown) => e)
      expect((bad as DropdeckError).code).toBe('UPSTREAM')
      expect((bad as DropdeckError).message).toMatch(/docker refused GET \/events: invalid character .* \(HTTP 500\)/)
    })

    it('closing a stream ends its dial-stdio process on the host', async () => {
      const sshdPid = withDocker.droplets[0].pid
      const dials = () => dialProcesses(sshdPid)
      // The services above keep a session of their own open: count only the processes these streams start.
      const before = new Set(dials())
      const ours = () => dials().filter((pid) => !before.has(pid))
      const streams = await Promise.all([1, 2, 3].map(() => engine.stream('docker-droplet', 'GET', '/events')))
      await waitFor(() => ours().length === 3, { timeoutMs: 5000, what: 'three dial-stdio processes' })
      streams[0].close()
      await waitFor(() => ours().length === 2, { timeoutMs: 5000, what: 'the closed stream\'s process to end' })
      for (const s of streams.slice(1)) s.close()
      await waitFor(() => ours().length === 0, { timeoutMs: 5000, what: 'every stream\'s process to end' })
      expect((await engine.request('docker-droplet', 'GET', '/_ping')).body.toString()).toBe('OK')
    })

    it('a session runs requests one after another over one channel, survives NOT_FOUND, and close() ends it', async () => {
      const sshdPid = withDocker.droplets[0].pid
      const dials = () => dialProcesses(sshdPid)
      const before = new Set(dials())
      const ours = () => dials().filter((pid) => !before.has(pid))
      const session = await engine.session('docker-droplet')
      expect(session.open).toBe(true)
      const [processId] = ours()
      const results = await Promise.all(['e2i-mlflow-1', 'odoo-odoo-1', 'tax-rules-service'].map((name) => session.request('GET', `/containers/${name}/json`)))
      expect(results.map((r) => r.json<{ Name: string }>().Name)).toEqual(['/e2i-mlflow-1', '/odoo-odoo-1', '/tax-rules-service'])
      const missing = await session.request('GET', '/containers/no-such-container/json').catch((e: unknown) => e as DropdeckError)
      expect((missing as DropdeckError).code).toBe('NOT_FOUND')
      expect(session.open).toBe(true)
      expect((await session.request('GET', '/_ping')).body.toString()).toBe('OK')
      expect(ours()).toEqual([processId]) // all of it on the one channel
      session.close()
      expect(session.open).toBe(false)
      await waitFor(() => ours().length === 0, { timeoutMs: 5000, what: 'the session\'s process to end' })
      expect(((await session.request('GET', '/_ping').catch((e: unknown) => e)) as DropdeckError).message).toContain('the docker session closed')
    })

    it('an already aborted signal opens nothing', async () => {
      const err = await engine.stream('docker-droplet', 'GET', '/events', { signal: AbortSignal.abort() }).catch((e: unknown) => e)
      expect((err as DropdeckError).code).toBe('TIMEOUT')
    })
  })

  it('says plainly when docker cannot be reached on a host', async () => {
    const err = await failure('containers.list', { hostId: 'bare-droplet' })
    expect(err.code).toBe('UPSTREAM')
    expect(err.message).toContain('bare-droplet: the Docker daemon is not running. Start it on the host (sudo systemctl start docker) and retry')
  })
})
