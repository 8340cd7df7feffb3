// The managed-tag check before a deploy or rollback (seed 004), through the router against the real
// bench: one sshd + private dockerd reached as three hosts: an ssh_config alias (never checked) and two
// droplets of the DigitalOcean stub whose public address is that sshd's, one with the managed tag and one
// without. A droplet without the tag refuses with the droplet actions' CONFIRMATION_REQUIRED/readOnly
// refusal (nothing on the host changes) unless the call unlocks it for this action.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import path from 'node:path'
import { createServices, type Services } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import { routerCalls } from '../support/router-calls'
import { startDocker, findDockerd, seedImages, type DockerDaemon } from '../fleet/dockerd'
import { dockerCall, listContainers } from '../fleet/docker-api'
import { startDroplets, SSHD_PATH, type Droplets } from '../fleet/sshd'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { startDigitalOceanStub, type DigitalOceanStub } from '../fleet/provider-stubs'
import { MANAGED_TAG, type DropletSpec } from '../fleet/fleet-model'
import { findExecutable, waitFor } from '../fleet/proc'
import { memoryKeychain } from '../ssh/support/ssh-env'
import type { DeployEntry } from '../../src/shared/contract/deploys'

const dockerd = findDockerd()
const ready = Boolean(dockerd && findExecutable('docker') && existsSync(SSHD_PATH))
if (!ready) console.warn('[deploys] skipping managed-tag tests: dockerd, the docker CLI or sshd is missing')

const ADDRESS = '127.0.41.50'
const HEALTHCHECK = { Test: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:$PORT/health || exit 1'], Interval: 500e6, Timeout: 2e9, Retries: 2, StartPeriod: 0 }

function spec(id: number, name: string, tags: string[]): DropletSpec {
  return { id, name, region: 'fra1', size: 's-2vcpu-4gb', image: 'ubuntu-24-04-x64', status: 'active', publicIp: ADDRESS, privateIp: null, tags, features: [], createdAt: '2026-01-01T00:00:00Z', vpcUuid: '5a4981aa-9653-4bd1-bef5-d6bff52042e4' }
}

describe.skipIf(!ready)('the managed-tag check before deploys (real dockerd, sshd, DigitalOcean stub)', { timeout: 180_000 }, () => {
  let dir: string
  let docker: DockerDaemon
  let droplets: Droplets
  let dos: DigitalOceanStub
  let services: Services
  const ctx = createCallContext('test:deploys-managed', () => services.bus)
  const { call, failure } = routerCalls(() => services, ctx)
  const calc = async () => (await listContainers(docker.socketPath, undefined, { all: true })).filter((c) => c.Names.some((n) => n === '/calc' || n.startsWith('/calc-dropdeck-')))

  async function finished(deployId: string): Promise<DeployEntry> {
    for (;;) {
      const run = (await call('deploys.active', {})).find((r) => r.deployId === deployId)
      if (run?.entry) return run.entry
      await new Promise((r) => setTimeout(r, 200))
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync('/tmp/ddm-')
    docker = await startDocker({ dir: path.join(dir, 'd') })
    droplets = await startDroplets({ count: 1, dir: path.join(dir, 'ssh'), names: ['plain-host'], port: 'auto', baseAddress: ADDRESS, env: { DOCKER_HOST: docker.env.DOCKER_HOST, DROPDECK_STATE_DIR: path.join(dir, 'state') } })
    // ssh_config names the address too, so the droplets (reached by their public address) find port, user and key there.
    const files = writeSshClientFiles(dir, droplets.droplets)
    await seedImages(docker)
    const created = await dockerCall(docker.socketPath, 'POST', '/containers/create', {
      query: { name: 'calc' },
      body: { Image: 'dropdeck/web:deploy_bbbbbbbb', Env: ['PORT=8080'], Labels: { 'com.dropdeck.fleet': 'test' }, Healthcheck: HEALTHCHECK, HostConfig: { NetworkMode: 'none' } }
    })
    await dockerCall(docker.socketPath, 'POST', `/containers/${created.json<{ Id: string }>().Id}/start`)
    await waitFor(async () => (await calc())[0]?.Status.includes('(healthy)'), { timeoutMs: 30_000, what: 'calc healthy' })
    dos = await startDigitalOceanStub({ droplets: [spec(41001, 'web-managed', ['web', MANAGED_TAG]), spec(41002, 'web-unmanaged', ['web'])] })
    services = createServices({
      dataDir: path.join(dir, 'data'),
      version: '0.0.0-test',
      keychain: memoryKeychain(),
      env: { DROPDECK_SSH_CONFIG: files.sshConfigPath, DROPDECK_DO_API: dos.url },
      log: () => undefined,
      deploysTuning: { lockTimeoutMs: 60_000, reconnectWaitMs: 30_000 }
    })
    await services.secrets.set('digitalocean', dos.token)
    await services.settings.update({ managedTagEnforced: true, defaultSshUser: droplets.droplets[0].user })
  }, 180_000)

  afterAll(async () => {
    await ctx.dispose()
    await services?.dispose()
    await dos?.stop()
    await droplets?.stop()
    await docker?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('lists the three hosts: one from ssh_config, two droplets on the same machine', async () => {
    const hosts = await call('hosts.list', undefined as never)
    expect(hosts.filter((h) => ['plain-host', 'web-managed', 'web-unmanaged'].includes(h.id)).map((h) => [h.id, h.source]).sort()).toEqual([
      ['plain-host', 'ssh-config'],
      ['web-managed', 'droplet'],
      ['web-unmanaged', 'droplet']
    ])
  })

  it('refuses a deploy to a droplet without the managed tag, with the droplet actions\' refusal, and changes nothing on the host', async () => {
    const before = (await calc()).map((c) => `${c.Id} ${c.Image}`)
    const err = await failure('deploys.start', { hostId: 'web-unmanaged', serviceId: 'container:calc', tag: 'deploy_aaaaaaaa' })
    expect(err.code).toBe('CONFIRMATION_REQUIRED')
    expect(err.data).toEqual({ readOnly: true, tag: MANAGED_TAG, expected: 'web-unmanaged' })
    expect(err.message).toMatch(/web-unmanaged is read-only: it has no tag deployed-via-api\. Unlock it for this action\./)
    const rollback = await failure('deploys.rollback', { hostId: 'web-unmanaged', serviceId: 'container:calc', tag: 'deploy_aaaaaaaa', confirm: 'calc' })
    expect(rollback.data).toMatchObject({ readOnly: true })
    expect((await calc()).map((c) => `${c.Id} ${c.Image}`)).toEqual(before)
    expect(await call('deploys.active', {})).toEqual([])
    expect(await call('deploys.history', { hostId: 'plain-host' })).toEqual([])
  })

  it('deploys to the droplet without the tag once the operator unlocks it for this action', async () => {
    const { deployId } = await call('deploys.start', { hostId: 'web-unmanaged', serviceId: 'container:calc', tag: 'deploy_aaaaaaaa', unlock: true })
    expect(await finished(deployId)).toMatchObject({ result: 'succeeded', toImage: 'dropdeck/web:deploy_aaaaaaaa' })
    // The unlock was for that action only.
    expect((await failure('deploys.start', { hostId: 'web-unmanaged', serviceId: 'container:calc', tag: 'deploy_bbbbbbbb' })).data).toMatchObject({ readOnly: true })
  })

  it('rolls back on the droplet with the managed tag without an unlock', async () => {
    const { deployId } = await call('deploys.rollback', { hostId: 'web-managed', serviceId: 'container:calc', tag: 'deploy_bbbbbbbb', confirm: 'calc' })
    expect(await finished(deployId)).toMatchObject({ result: 'succeeded', action: 'rollback', toImage: 'dropdeck/web:deploy_bbbbbbbb' })
  })

  it('never checks a host from ssh_config, whatever its address', async () => {
    const { deployId } = await call('deploys.start', { hostId: 'plain-host', serviceId: 'container:calc', tag: 'deploy_aaaaaaaa' })
    expect(await finished(deployId)).toMatchObject({ result: 'succeeded' })
    expect((await calc()).map((c) => c.Image)).toEqual(['dropdeck/web:deploy_aaaaaaaa'])
  })
})
