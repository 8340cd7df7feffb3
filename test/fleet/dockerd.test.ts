// The bench's Docker is a real dockerd: prove it answers the Engine API on its own socket, holds
// the locally built images under their deploy tags, reaches healthy/unhealthy/exited states that
// Dropdeck's container screens and alerts depend on, serves /health over host networking, and
// that stop() leaves no process, mount or data root behind (vfs copies are large).
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { execFile } from 'node:child_process'
import { startDocker, findDockerd, mountsUnder, seedImages, seedContainers, waitForSeededStates, type DockerDaemon } from './dockerd'
import { dockerCall, listContainers, healthOf } from './docker-api'
import type { SeededContainer } from './docker-seed'
import { SEEDED_CONTAINERS } from './docker-seed'
import { findExecutable, isAlive, processesUsing } from './proc'
import { isPortFree } from './net'

const dockerd = findDockerd()
if (!dockerd) console.warn('[fleet] skipping dockerd tests: dockerd is not installed (apt-get install docker.io)')
const dockerCli = findExecutable('docker')

/** A port offset at which every seeded service port is free, so a running bench does not collide. */
async function freeOffset(): Promise<number> {
  for (let offset = 30_000; offset < 40_000; offset += 1_000) {
    const free = await Promise.all(SEEDED_CONTAINERS.map((c) => isPortFree('127.0.0.1', c.port + offset)))
    if (free.every(Boolean)) return offset
  }
  throw new Error('no free port range for the seeded containers')
}

describe.skipIf(!dockerd)(`dockerd (real ${dockerd ?? 'dockerd'})`, () => {
  let dir: string
  let docker: DockerDaemon
  let seeded: SeededContainer[]

  beforeAll(async () => {
    // short path: containerd's socket lives under it and unix socket paths are limited
    dir = mkdtempSync('/tmp/ddk-')
    docker = await startDocker({ dir })
    await seedImages(docker)
    seeded = await seedContainers(docker, { portOffset: await freeOffset() })
  })

  afterAll(async () => {
    await docker?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('answers the Engine API on its own socket, with vfs storage', async () => {
    expect(docker.env.DOCKER_HOST).toBe(`unix://${dir}/docker.sock`)
    const info = (await dockerCall(docker.socketPath, 'GET', '/info')).json<{ Driver: string; DockerRootDir: string }>()
    expect(info.Driver).toBe('vfs')
    expect(info.DockerRootDir).toBe(docker.dataRoot)
  })

  it('holds the busybox base and the web image under several deploy tags', async () => {
    const images = (await dockerCall(docker.socketPath, 'GET', '/images/json')).json<{ Id: string; RepoTags: string[] }[]>()
    const tags = images.flatMap((i) => i.RepoTags)
    expect(tags).toEqual(expect.arrayContaining(['dropdeck/busybox:1', 'dropdeck/web:deploy_aaaaaaaa', 'dropdeck/web:deploy_bbbbbbbb', 'dropdeck/web:deploy_cccccccc', 'dropdeck/web:latest']))
    const idOf = (tag: string) => images.find((i) => i.RepoTags.includes(tag))?.Id
    expect(idOf('dropdeck/web:latest')).toBe(idOf('dropdeck/web:deploy_bbbbbbbb'))
    expect(idOf('dropdeck/web:deploy_aaaaaaaa')).not.toBe(idOf('dropdeck/web:deploy_bbbbbbbb'))
  })

  it('shows healthy, unhealthy and exited containers, with Compose project labels', async () => {
    await waitForSeededStates(docker, seeded, 45_000)
    const all = await listContainers(docker.socketPath)
    const byName = new Map(all.map((c) => [c.Names[0].replace(/^\//, ''), c]))
    expect(healthOf(byName.get('e2i-mlflow-1')!)).toBe('healthy')
    expect(healthOf(byName.get('e2i-opik-frontend-1')!)).toBe('healthy')
    expect(healthOf(byName.get('odoo-odoo-1')!)).toBe('unhealthy')
    expect(byName.get('odoo-ocr-adapter-1')!.State).toBe('exited')
    expect(byName.get('odoo-ocr-adapter-1')!.Status).toMatch(/^Exited \(1\)/)
    expect(byName.get('tax-rules-service')!.State).toBe('running')
    const e2i = all.filter((c) => c.Labels['com.docker.compose.project'] === 'e2i').map((c) => c.Labels['com.docker.compose.service'])
    expect(e2i.sort()).toEqual(['mlflow', 'opik-frontend'])
    const odoo = all.filter((c) => c.Labels['com.docker.compose.project'] === 'odoo').map((c) => c.Labels['com.docker.compose.service'])
    expect(odoo.sort()).toEqual(['ocr-adapter', 'odoo'])
    // the seed's cron monitor: `docker ps --filter health=unhealthy` (running containers only;
    // Docker also marks a stopped container with a health check as unhealthy)
    const unhealthy = await listContainers(docker.socketPath, { health: ['unhealthy'] }, { all: false })
    expect(unhealthy.map((c) => c.Names[0])).toEqual(['/odoo-odoo-1'])
  })

  it('serves /health from the healthy container over host networking, and logs requests', async () => {
    const mlflow = seeded.find((s) => s.name === 'e2i-mlflow-1')!
    const res = await fetch(`http://127.0.0.1:${mlflow.port}/health`)
    expect(res.status).toBe(200)
    expect(JSON.parse(await res.text())).toEqual({ status: 'ok', version: 'deploy_bbbbbbbb' })
    const broken = seeded.find((s) => s.name === 'odoo-odoo-1')!
    expect((await fetch(`http://127.0.0.1:${broken.port}/health`)).status).toBe(404)
    const logs = await dockerCall(docker.socketPath, 'GET', `/containers/${mlflow.id}/logs`, { query: { stdout: true, stderr: true } })
    expect(logs.text).toContain('url:/health')
    const adapter = seeded.find((s) => s.name === 'odoo-ocr-adapter-1')!
    const inspect = (await dockerCall(docker.socketPath, 'GET', `/containers/${adapter.id}/json`)).json<{ State: { ExitCode: number } }>()
    expect(inspect.State.ExitCode).toBe(1)
  })

  it.skipIf(!dockerCli)('works with the docker CLI through DOCKER_HOST (what `docker ps` over SSH sees)', async () => {
    const out = await new Promise<string>((resolve, reject) =>
      execFile(dockerCli!, ['ps', '-a', '--format', '{{.Names}}\t{{.Status}}'], { env: { ...process.env, ...docker.env } }, (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(stdout))),
    )
    expect(out).toMatch(/odoo-odoo-1\tUp .*\(unhealthy\)/)
    expect(out).toMatch(/e2i-mlflow-1\tUp .*\(healthy\)/)
    expect(out).toMatch(/odoo-ocr-adapter-1\tExited \(1\)/)
  })

  it('stop() removes the containers, ends dockerd and deletes its data root', async () => {
    await docker.stop()
    expect(isAlive(docker.pid)).toBe(false)
    expect(processesUsing(dir)).toEqual([])
    // nothing that ran inside a container still holds its port
    for (const c of seeded.filter((s) => s.expect !== 'exited')) expect(await isPortFree('127.0.0.1', c.port)).toBe(true)
    expect(mountsUnder(dir)).toEqual([])
    expect(existsSync(docker.dataRoot)).toBe(false)
    expect(existsSync(docker.execRoot)).toBe(false)
    expect(existsSync(docker.socketPath)).toBe(false)
  })
})
