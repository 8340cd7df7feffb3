// Pulls with a registry login built in memory (the Engine API's X-Registry-Auth header), against a REAL
// registry: Debian's docker-registry (distribution's `registry`) with htpasswd auth on 127.0.0.1:<free
// port>, plain HTTP on loopback (which dockerd allows by default). The bench image is pushed into it
// through the Engine API with auth, then deployed through the router over the real sshd + dockerd: with
// the right login it is pulled and runs; with a wrong one the deploy fails saying the registry refused
// the login, and nothing on the host changed. The password is written nowhere on the operator's side.
// The same registry then stands in for the team's DigitalOcean Container Registry (DROPDECK_DOCR_HOST):
// the spec-validated DigitalOcean stub lists its tags and hands out its login as short-lived docker
// credentials, which the deploy uses with no login typed.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import type { Services } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import { registryAuthHeader } from '../../src/main/deploys/registry-auth'
import { routerCalls } from '../support/router-calls'
import { findDockerd, type DockerDaemon } from '../fleet/dockerd'
import { dockerCall, listContainers, streamError } from '../fleet/docker-api'
import { SSHD_PATH } from '../fleet/sshd'
import { isPortFree } from '../fleet/net'
import { findExecutable, run, waitFor } from '../fleet/proc'
import { HEALTHCHECK, deployServices, startDeployBench, type DeployBench } from './support/deploy-bench'
import type { DeployEntry } from '../../src/shared/contract/deploys'
import { startDigitalOceanStub, type DigitalOceanStub } from '../fleet/provider-stubs'
import { validateResponse } from '../fleet/spec-validate'

const REGISTRY = '/usr/bin/docker-registry'
const ready = Boolean(findDockerd() && findExecutable('docker') && existsSync(SSHD_PATH) && existsSync(REGISTRY) && findExecutable('htpasswd'))
if (!ready) console.warn('[deploys] skipping registry tests: dockerd, docker, sshd, docker-registry or htpasswd (apache2-utils) is missing')

const HOST = 'registry-host'
const USER = 'deployer'
const PASSWORD = 'bench-Registry-pass-41'

async function freePort(from: number): Promise<number> {
  for (let p = from; p < from + 500; p++) if (await isPortFree('127.0.0.1', p)) return p
  throw new Error('no free port')
}

/** An Engine API request with headers of its own (the fleet helper sends none), body read whole. */
function engine(socketPath: string, method: string, urlPath: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method, path: urlPath, headers: { Host: 'docker', ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end()
  })
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name)
    return statSync(p).isDirectory() ? filesUnder(p) : [p]
  })
}

describe.skipIf(!ready)('deploys pulling from a registry with a login held in memory (real docker-registry, dockerd, sshd)', { timeout: 180_000 }, () => {
  let bench: DeployBench
  let dir: string
  let docker: DockerDaemon
  let registry: ChildProcess
  let services: Services
  let repo: string
  let docrRepo: string
  let dos: DigitalOceanStub
  const ctx = createCallContext('test:deploys-registry', () => services.bus)
  const { call } = routerCalls(() => services, ctx)
  const app = async () => (await listContainers(docker.socketPath, undefined, { all: true })).filter((c) => c.Names.some((n) => n === '/regapp' || n.startsWith('/regapp-dropdeck-')))
  const hasImage = async (ref: string) => (await engine(docker.socketPath, 'GET', `/images/${ref}/json`)).status === 200

  async function finished(deployId: string): Promise<DeployEntry> {
    for (;;) {
      const runView = (await call('deploys.active', {})).find((r) => r.deployId === deployId)
      if (runView?.entry) return runView.entry
      await new Promise((r) => setTimeout(r, 200))
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync('/tmp/ddr-')
    const port = await freePort(41_500)
    repo = `127.0.0.1:${port}/dropdeck/web`
    writeFileSync(path.join(dir, 'htpasswd'), await run('htpasswd', ['-Bbn', USER, PASSWORD]))
    writeFileSync(
      path.join(dir, 'registry.yml'),
      ['version: 0.1', 'log:', '  level: warn', 'storage:', '  filesystem:', `    rootdirectory: ${path.join(dir, 'registry')}`, 'http:', `  addr: 127.0.0.1:${port}`, 'auth:', '  htpasswd:', '    realm: dropdeck-bench', `    path: ${path.join(dir, 'htpasswd')}`, ''].join('\n')
    )
    registry = spawn(REGISTRY, ['serve', path.join(dir, 'registry.yml')], { stdio: 'ignore' })
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/v2/`).catch(() => null))?.status === 401, { timeoutMs: 20_000, what: 'the registry answering 401 without a login' })

    bench = await startDeployBench({ dir, host: HOST, baseAddress: '127.0.41.10' })
    docker = bench.docker
    // The bench's versions under the registry's name; deploy_aaaaaaaa is pushed (with the login), then untagged here.
    for (const tag of ['deploy_aaaaaaaa', 'deploy_bbbbbbbb']) await dockerCall(docker.socketPath, 'POST', `/images/dropdeck/web:${tag}/tag`, { query: { repo, tag } })
    const auth = registryAuthHeader({ username: USER, password: PASSWORD, serveraddress: `127.0.0.1:${port}` })
    const pushed = await engine(docker.socketPath, 'POST', `/images/${repo}/push?tag=deploy_aaaaaaaa`, { 'X-Registry-Auth': auth })
    expect(pushed.status).toBe(200)
    expect(streamError(pushed.text)).toBeUndefined()
    await dockerCall(docker.socketPath, 'DELETE', `/images/${repo}:deploy_aaaaaaaa`)
    expect(await hasImage(`${repo}:deploy_aaaaaaaa`)).toBe(false)

    // The team's DigitalOcean registry "bench" (here the same local registry): bench/web.
    docrRepo = `127.0.0.1:${port}/bench/web`
    for (const tag of ['deploy_aaaaaaaa', 'deploy_bbbbbbbb']) await dockerCall(docker.socketPath, 'POST', `/images/dropdeck/web:${tag}/tag`, { query: { repo: docrRepo, tag } })
    const pushedDocr = await engine(docker.socketPath, 'POST', `/images/${docrRepo}/push?tag=deploy_aaaaaaaa`, { 'X-Registry-Auth': auth })
    expect(streamError(pushedDocr.text)).toBeUndefined()
    await dockerCall(docker.socketPath, 'DELETE', `/images/${docrRepo}:deploy_aaaaaaaa`)
    dos = await startDigitalOceanStub({
      droplets: 0,
      registry: {
        name: 'bench',
        host: `127.0.0.1:${port}`,
        credentials: { username: USER, password: PASSWORD },
        repositories: [
          {
            name: 'web',
            tags: [
              { tag: 'deploy_bbbbbbbb', updatedAt: '2026-01-10T09:00:00Z', sizeBytes: 5_861_888, compressedSizeBytes: 2_803_255, digest: `sha256:${'b'.repeat(64)}` },
              { tag: 'deploy_aaaaaaaa', updatedAt: '2026-02-01T12:30:00Z', sizeBytes: 5_900_000, compressedSizeBytes: 2_810_000, digest: `sha256:${'a'.repeat(64)}` },
              { tag: 'v0.9', updatedAt: '2025-12-24T18:00:00Z', sizeBytes: 5_700_000, compressedSizeBytes: 2_700_000, digest: `sha256:${'9'.repeat(64)}` }
            ]
          }
        ]
      }
    })

    for (const [name, image] of [['regapp', `${repo}:deploy_bbbbbbbb`], ['docrapp', `${docrRepo}:deploy_bbbbbbbb`]]) {
      const created = await dockerCall(docker.socketPath, 'POST', '/containers/create', {
        query: { name },
        body: { Image: image, Env: ['PORT=8080'], Labels: { 'com.dropdeck.fleet': 'test' }, Healthcheck: HEALTHCHECK, HostConfig: { NetworkMode: 'none' } }
      })
      await dockerCall(docker.socketPath, 'POST', `/containers/${created.json<{ Id: string }>().Id}/start`)
    }
    await waitFor(async () => (await app())[0]?.Status.includes('(healthy)'), { timeoutMs: 30_000, what: 'regapp healthy' })
    services = deployServices(bench, { lockTimeoutMs: 60_000, reconnectWaitMs: 30_000 }, { DROPDECK_DO_API: dos.url, DROPDECK_DOCR_HOST: `127.0.0.1:${port}` })
    await services.secrets.set('digitalocean', dos.token)
  }, 180_000)

  afterAll(async () => {
    await ctx.dispose()
    await services?.dispose()
    await bench?.stop()
    await dos?.stop()
    registry?.kill()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('a wrong login: the deploy fails saying the registry refused the login, and nothing on the host changed', async () => {
    const before = (await app()).map((c) => `${c.Id} ${c.Image} ${c.State}`)
    const { deployId } = await call('deploys.start', { hostId: HOST, serviceId: 'container:regapp', tag: 'deploy_aaaaaaaa', registry: { username: USER, password: 'not-the-password' } })
    const entry = await finished(deployId)
    expect(entry.result).toBe('failed')
    expect(entry.reason).toMatch(new RegExp(`The registry 127\\.0\\.0\\.1:\\d+ refused the login for ${repo.replace(/[.]/g, '\\.')}:deploy_aaaaaaaa`))
    expect(entry.reason).toMatch(/Nothing on the host was changed/)
    expect((await app()).map((c) => `${c.Id} ${c.Image} ${c.State}`)).toEqual(before)
    expect(await hasImage(`${repo}:deploy_aaaaaaaa`)).toBe(false)
    expect((await call('deploys.services', { hostId: HOST })).services.find((s) => s.id === 'container:regapp')?.lock).toBeNull()
  })

  it('the right login: pulled from the registry through the Engine API, deployed and healthy; the password is on no file of the app', async () => {
    const { deployId } = await call('deploys.start', { hostId: HOST, serviceId: 'container:regapp', tag: 'deploy_aaaaaaaa', registry: { username: USER, password: PASSWORD } })
    const entry = await finished(deployId)
    expect(entry).toMatchObject({ result: 'succeeded', toImage: `${repo}:deploy_aaaaaaaa` })
    expect(await hasImage(`${repo}:deploy_aaaaaaaa`)).toBe(true)
    const now = await app()
    expect(now.map((c) => [c.Names[0], c.Image])).toEqual([['/regapp', `${repo}:deploy_aaaaaaaa`]])
    const leaked = filesUnder(dir).filter((f) => !f.startsWith(path.join(dir, 'd')) && !f.startsWith(path.join(dir, 'registry')) && !f.endsWith('htpasswd') && readFileSync(f).includes(PASSWORD))
    expect(leaked).toEqual([])
  })

  it('lists the tags of an image in the team\'s DigitalOcean registry, newest first with dates and sizes, from spec-valid answers', async () => {
    const listed = await call('deploys.tags', { hostId: HOST, serviceId: 'container:docrapp' })
    expect(listed).toMatchObject({ source: 'docr', image: docrRepo, registry: 'bench' })
    expect(listed.tags.map((t) => [t.tag, t.updatedAt, t.sizeBytes, t.compressedSizeBytes])).toEqual([
      ['deploy_aaaaaaaa', '2026-02-01T12:30:00Z', 5_900_000, 2_810_000],
      ['deploy_bbbbbbbb', '2026-01-10T09:00:00Z', 5_861_888, 2_803_255],
      ['v0.9', '2025-12-24T18:00:00Z', 5_700_000, 2_700_000]
    ])
    // An image in another registry (or another DigitalOcean registry than the team's): the operator types the tag.
    expect(await call('deploys.tags', { hostId: HOST, serviceId: 'container:regapp' })).toEqual({ source: 'typed', image: repo, registry: null, tags: [] })
    for (const p of ['/v2/registries', '/v2/registries/bench/repositoriesV2', '/v2/registries/bench/repositories/web/tags', '/v2/registries/bench/docker-credentials?expiry_seconds=900']) {
      const res = await fetch(`${dos.url}${p}`, { headers: { Authorization: `Bearer ${dos.token}` } })
      const v = validateResponse('digitalocean', 'GET', p.split('?')[0], res.status, await res.json(), { headers: res.headers })
      expect(v.errors, p).toEqual([])
    }
  })

  it('deploys from the team\'s DigitalOcean registry with its short-lived docker credentials, no login typed', async () => {
    const from = dos.requests.length
    const { deployId } = await call('deploys.start', { hostId: HOST, serviceId: 'container:docrapp', tag: 'deploy_aaaaaaaa' })
    expect(await finished(deployId)).toMatchObject({ result: 'succeeded', toImage: `${docrRepo}:deploy_aaaaaaaa` })
    expect(dos.requests.slice(from).filter((r) => r.path === '/v2/registries/bench/docker-credentials').map((r) => r.query)).toEqual([expect.stringContaining('expiry_seconds=900')])
    expect(await hasImage(`${docrRepo}:deploy_aaaaaaaa`)).toBe(true)
  })
})
