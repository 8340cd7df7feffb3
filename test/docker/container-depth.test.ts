// A container's depth on the real bench (a private dockerd reached through a real sshd, the Engine API
// over `docker system dial-stdio`): a shell inside it as a terminal (exec over the pooled connection,
// the terminals' acknowledged flow control, hung up on close), inspect with secrets masked until
// revealed, one CPU and memory reading, the last log lines of an exited container, and when it exited.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import path from 'node:path'
import { createServices, type Services } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import type { EventPayload } from '../../src/shared/contract'
import { routerCalls } from '../support/router-calls'
import { startDocker, findDockerd, seedImages, seedContainers, waitForSeededStates, type DockerDaemon } from '../fleet/dockerd'
import { dockerCall } from '../fleet/docker-api'
import { SEEDED_CONTAINERS } from '../fleet/docker-seed'
import { startDroplets, SSHD_PATH, type Droplets } from '../fleet/sshd'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { isPortFree } from '../fleet/net'
import { findExecutable, waitFor } from '../fleet/proc'
import { memoryKeychain } from '../ssh/support/ssh-env'
import { tar } from '../fleet/tar'

const dockerd = findDockerd()
const ready = Boolean(dockerd && findExecutable('docker') && existsSync(SSHD_PATH))
const HOST = 'deep-droplet'

async function freeOffset(): Promise<number> {
  for (let offset = 51_000; offset < 60_000; offset += 1_000) {
    const free = await Promise.all(SEEDED_CONTAINERS.map((c) => isPortFree('127.0.0.1', c.port + offset)))
    if (free.every(Boolean)) return offset
  }
  throw new Error('no free port range for the seeded containers')
}

describe.skipIf(!ready)('a container in depth: shell, inspect, stats, last lines (real dockerd and sshd)', () => {
  let dir: string
  let docker: DockerDaemon
  let droplets: Droplets
  let services: Services
  const ctx = createCallContext('test:container-depth', () => services.bus)
  const { call, failure } = routerCalls(() => services, ctx)
  let output = new Map<string, string>()
  let states: Array<EventPayload<'terminals.state'>> = []

  beforeAll(async () => {
    dir = mkdtempSync('/tmp/ddx-')
    docker = await startDocker({ dir: path.join(dir, 'd') })
    droplets = await startDroplets({ count: 1, dir: path.join(dir, 'ssh'), names: [HOST], port: 'auto', baseAddress: '127.0.67.2', env: { DOCKER_HOST: docker.env.DOCKER_HOST } })
    const files = writeSshClientFiles(dir, droplets.droplets)
    await seedImages(docker)
    const seeded = await seedContainers(docker, { portOffset: await freeOffset() })
    await waitForSeededStates(docker, seeded, 45_000)
    // One more, with what Inspect shows: secrets in its environment, a bind mount, an exposed port,
    // labels, a restart policy.
    await dockerCall(docker.socketPath, 'DELETE', '/containers/deep-app', { query: { force: true } }).catch(() => undefined)
    const created = await dockerCall(docker.socketPath, 'POST', '/containers/create', {
      query: { name: 'deep-app' },
      body: {
        Image: 'dropdeck/busybox:1',
        Cmd: ['/bin/sh', '-c', 'echo started; while true; do sleep 1; done'],
        Env: ['DB_PASSWORD=hunter2', 'STRIPE_API_KEY=sk_live_abc', 'APP_ENV=production', 'PWD=/srv'],
        Labels: { 'com.dropdeck.fleet': 'seed', team: 'ops' },
        ExposedPorts: { '8080/tcp': {} },
        HostConfig: { NetworkMode: 'none', RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 }, Binds: [`${dir}:/data:ro`] }
      }
    })
    await dockerCall(docker.socketPath, 'POST', `/containers/${created.json<{ Id: string }>().Id}/start`)
    services = createServices({ dataDir: path.join(dir, 'data'), version: '0.0.0-test', keychain: memoryKeychain(), env: { DROPDECK_SSH_CONFIG: files.sshConfigPath }, log: () => undefined })
    services.bus.subscribeClient(ctx.clientId, (event, payload) => {
      if (event === 'terminals.data') {
        const p = payload as EventPayload<'terminals.data'>
        output.set(p.id, (output.get(p.id) ?? '') + p.data)
      }
      if (event === 'terminals.state') states.push(payload as EventPayload<'terminals.state'>)
    })
  })

  afterAll(async () => {
    await ctx.dispose()
    await services?.dispose()
    await droplets?.stop()
    await docker?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  const top = async (name: string) => (await dockerCall(docker.socketPath, 'GET', `/containers/${name}/top`, { query: { ps_args: '-o pid,args' } })).json<{ Processes: string[][] }>().Processes.map((p) => p.join(' '))

  it('opens a shell inside a running container as a terminal: typed commands run there, close hangs it up', async () => {
    output = new Map()
    states = []
    const { id } = await call('containers.shell', { hostId: HOST, id: 'tax-rules-service', cols: 100, rows: 30 })
    await call('terminals.write', { id, data: 'echo "in:$(hostname)"; cat /www/version; ls -l /proc/self/fd/0\r' })
    // The image's own file, on a PTY of the container's.
    await waitFor(() => /in:\w+/.test(output.get(id) ?? '') && /deploy_aaaaaaaa/.test(output.get(id) ?? '') && /-> \/dev\/pts\/\d+/.test(output.get(id) ?? ''), { timeoutMs: 15_000, what: 'the command output from inside the container', abort: () => undefined }).catch((err: Error) => {
      throw new Error(`${err.message}; the terminal showed ${JSON.stringify(output.get(id))}`)
    })
    // (The bench's busybox cannot read its window size back, so only that docker takes the resize is checked.)
    expect(await call('terminals.resize', { id, cols: 120, rows: 40 })).toEqual({ ok: true })
    await call('terminals.write', { id, data: 'sleep 987654 &\r' })
    await waitFor(async () => (await top('tax-rules-service')).some((p) => p.includes('sleep 987654')), { timeoutMs: 10_000, what: 'the background job' })
    await call('terminals.close', { id })
    expect(states.find((s) => s.id === id)?.state).toBe('exited')
    // Docker would leave the shell and its job running: the close hung them up.
    await waitFor(async () => !(await top('tax-rules-service')).some((p) => p.includes('sleep 987654') || /\b(ba)?sh$/.test(p)), { timeoutMs: 15_000, what: 'the shell and its job to be gone' })
  })

  it('a shell that exits reports its exit code', async () => {
    states = []
    const { id } = await call('containers.shell', { hostId: HOST, id: 'tax-rules-service', cols: 80, rows: 24 })
    await call('terminals.write', { id, data: 'exit 7\r' })
    await waitFor(() => states.some((s) => s.id === id), { timeoutMs: 15_000, what: 'terminals.state' })
    expect(states.find((s) => s.id === id)).toMatchObject({ state: 'exited', code: 7 })
  })

  it('holds the container back while the client does not ack, and resumes on acks (the terminals flow control)', async () => {
    output = new Map()
    const { id } = await call('containers.shell', { hostId: HOST, id: 'tax-rules-service', cols: 80, rows: 24 })
    await call('terminals.write', { id, data: 'yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c 8000000; echo; echo "DONE-"FLOOD\r' })
    await waitFor(() => services.ssh.terminals.stats(id).paused, { timeoutMs: 15_000, what: 'the shell to be paused' })
    const sent = (output.get(id) ?? '').length
    expect(sent).toBeLessThan(2 * 1024 * 1024) // bounded: ~512 KB un-acked plus what was in flight
    expect(output.get(id)).not.toContain('DONE-FLOOD')
    // Ack everything as it comes: the rest arrives.
    const acker = setInterval(() => {
      const { unacked } = services.ssh.terminals.stats(id)
      if (unacked > 0) void call('terminals.ack', { id, bytes: unacked })
    }, 20)
    try {
      await waitFor(() => (output.get(id) ?? '').includes('DONE-FLOOD'), { timeoutMs: 60_000, what: 'the rest of the flood' })
    } finally {
      clearInterval(acker)
    }
    await call('terminals.close', { id })
  })

  it('refuses a shell in a stopped container, saying to start it', async () => {
    const err = await failure('containers.shell', { hostId: HOST, id: 'odoo-ocr-adapter-1', cols: 80, rows: 24 })
    expect(err.code).toBe('UPSTREAM')
    expect(err.message).toMatch(/not running.*start it/)
  })

  it('inspects: environment with secret-looking values masked until revealed, mounts, ports, networks, labels, restart policy', async () => {
    const i = await call('containers.inspect', { hostId: HOST, id: 'deep-app' })
    expect(i.env).toEqual(
      expect.arrayContaining([
        { name: 'DB_PASSWORD', value: null, secret: true },
        { name: 'STRIPE_API_KEY', value: null, secret: true },
        { name: 'APP_ENV', value: 'production', secret: false },
        { name: 'PWD', value: '/srv', secret: false }
      ])
    )
    expect(JSON.stringify(i)).not.toContain('hunter2')
    expect(i.mounts).toEqual([{ type: 'bind', source: dir, destination: '/data', mode: 'ro', readOnly: true }])
    expect(i.ports).toEqual(['8080/tcp'])
    expect((await call('containers.list', { hostId: HOST })).find((c) => c.name === 'deep-app')?.ports).toEqual(['8080/tcp'])
    expect(i.networks.map((n) => n.name)).toEqual(['none'])
    expect(i.labels).toMatchObject({ team: 'ops' })
    expect(i.restartPolicy).toEqual({ name: 'on-failure', maximumRetries: 3 })
    expect(i.command).toEqual(['/bin/sh', '-c', 'echo started; while true; do sleep 1; done'])
    expect(await call('containers.revealEnv', { hostId: HOST, id: 'deep-app', name: 'DB_PASSWORD' })).toEqual({ name: 'DB_PASSWORD', value: 'hunter2' })
    expect((await failure('containers.revealEnv', { hostId: HOST, id: 'deep-app', name: 'NOPE' })).code).toBe('NOT_FOUND')
  })

  it('reads CPU and memory once for a running container', async () => {
    const s = await call('containers.stats', { hostId: HOST, id: 'e2i-mlflow-1' })
    expect(s.memoryBytes).toBeGreaterThan(0)
    expect(s.memoryLimitBytes).toBeGreaterThanOrEqual(s.memoryBytes)
    expect(s.cpuPercent).not.toBeNull()
    expect(s.cpuPercent!).toBeGreaterThanOrEqual(0)
    expect(Date.parse(s.at)).toBeGreaterThan(0)
  })

  it('an exited container says when it stopped, and its last log lines say why', async () => {
    const exited = (await call('containers.list', { hostId: HOST })).find((c) => c.name === 'odoo-ocr-adapter-1')!
    expect(exited).toMatchObject({ state: 'exited', exitCode: 1 })
    expect(Date.parse(exited.finishedAt!)).toBeGreaterThan(Date.parse(exited.createdAt))
    const running = (await call('containers.list', { hostId: HOST })).find((c) => c.name === 'tax-rules-service')!
    expect(running.finishedAt).toBeNull()
    const { lines } = await call('containers.tail', { hostId: HOST, id: 'odoo-ocr-adapter-1', lines: 5 })
    // Written a moment apart to two streams: docker may order them either way.
    expect(lines).toHaveLength(2)
    expect(lines).toEqual(
      expect.arrayContaining([
        { stream: 'stdout', text: 'ocr-adapter: connecting to ocr-service:8090' },
        { stream: 'stderr', text: 'Error: connect ECONNREFUSED 10.114.0.3:8090' }
      ])
    )
  })

  it('the Disk panel\'s reclaimable is what the prune preview would free (not docker df\'s unused tagged images)', async () => {
    // Something dangling to free besides the exited container: an untagged image.
    await dockerCall(docker.socketPath, 'POST', '/images/create', { query: { fromSrc: '-', message: 'old build' }, body: tar([{ type: 'file', name: 'layer.bin', data: 'x'.repeat(200_000) }]) })
    // And a tagged image no container uses: `docker system df` counts it reclaimable, a prune keeps it.
    await dockerCall(docker.socketPath, 'POST', '/images/create', { query: { fromSrc: '-', repo: 'dropdeck/spare', tag: '1', message: 'kept' }, body: tar([{ type: 'file', name: 'spare.bin', data: 'y'.repeat(300_000) }]) })
    const df = await call('containers.df', { hostId: HOST })
    const preview = await call('containers.prunePreview', { hostId: HOST })
    expect(preview.images).toHaveLength(1)
    expect(df.images.reclaimable).toBe(preview.images[0].size)
    expect(df.images.reclaimable + df.containers.reclaimable + df.buildCache.reclaimable).toBe(preview.spaceReclaimed)
  })
})
