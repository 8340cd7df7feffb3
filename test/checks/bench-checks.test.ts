/**
 * Checks, proposals, metrics and the audit report against the fleet bench: a real sshd droplet named
 * like the DigitalOcean stub's `ocr-service-droplet`, whose sessions reach a private dockerd with the
 * seeded healthy, unhealthy and exited containers, and whose `df` reports seed 002's 98% root disk;
 * the DigitalOcean and Cloudflare stubs with the dangling `staging` record; `ipa.insightpulseai.net`
 * watched but without a record (seed 002's P0-3).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import type { Result } from '../../src/shared/contract'
import { startDocker, findDockerd, seedImages, seedContainers, waitForSeededStates, type DockerDaemon } from '../fleet/dockerd'
import { SEEDED_CONTAINERS } from '../fleet/docker-seed'
import { isPortFree } from '../fleet/net'
import { startCloudflareStub, startDigitalOceanStub, type CloudflareStub, type DigitalOceanStub } from '../fleet/provider-stubs'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { startDroplets, type Droplets } from '../fleet/sshd'
import { routerCalls } from '../support/router-calls'
import { memoryKeychain } from '../ssh/support/ssh-env'
import { addDockerHost, writeFakeSystemctl } from '../systemd/fake-systemctl'
import { writeOddDf } from '../facts/odd-df'

const ready = Boolean(findDockerd())
const HOST = 'ocr-service-droplet'

async function freeOffset(): Promise<number> {
  for (let offset = 31_000; offset < 40_000; offset += 1_000) {
    const free = await Promise.all(SEEDED_CONTAINERS.map((c) => isPortFree('127.0.0.1', c.port + offset)))
    if (free.every(Boolean)) return offset
  }
  throw new Error('no free port range for the seeded containers')
}

let dir: string
let dockerDir: string
let docker: DockerDaemon | undefined
let droplets: Droplets | undefined
let dos: DigitalOceanStub | undefined
let cf: CloudflareStub | undefined
let services: Services
let offset: number
const call: ReturnType<typeof routerCalls>['call'] = (method, params) => routerCalls(() => services, createCallContext('test:bench-checks', () => services.bus)).call(method, params)

async function runOnce(check: Record<string, unknown>) {
  const created = await call('checks.create', { check: { enabled: false, failuresToDown: 1, ...check } as never })
  return call('checks.run', { id: created.check.id })
}

beforeAll(async () => {
  if (!ready) return
  dir = await mkdtemp(join(tmpdir(), 'dd-bench-checks-'))
  dockerDir = await mkdtemp('/tmp/ddc-')
  const fake = writeFakeSystemctl(dir)
  writeOddDf(fake.binDir)
  ;[docker, droplets, dos, cf] = await Promise.all([
    startDocker({ dir: dockerDir }),
    startDroplets({ count: 1, dir: join(dir, 'ssh'), names: [HOST], baseAddress: '127.0.53.2', port: 'auto', env: { PATH: fake.path } }),
    startDigitalOceanStub(),
    startCloudflareStub()
  ])
  addDockerHost(fake, docker.env.DOCKER_HOST)
  await seedImages(docker)
  offset = await freeOffset()
  const seeded = await seedContainers(docker, { portOffset: offset })
  await waitForSeededStates(docker, seeded, 60_000)
  const client = writeSshClientFiles(dir, droplets.droplets)
  services = createServices({
    dataDir: join(dir, 'data'),
    version: '0.0.0-test',
    keychain: memoryKeychain(),
    env: { DROPDECK_SSH_CONFIG: client.sshConfigPath, DROPDECK_DO_API: dos.url, DROPDECK_CF_API: cf.url },
    log: () => undefined,
    healthTuning: { sampleMs: 1_000 }
  })
  await services.secrets.set('digitalocean', dos.token)
  await services.secrets.set('cloudflare', cf.token)
  await call('settings.update', { watchedHostnames: ['ipa.insightpulseai.net'] })
  await call('hosts.connect', { hostId: HOST })
}, 240_000)

afterAll(async () => {
  await services?.dispose()
  await droplets?.stop()
  await docker?.stop()
  await Promise.all([dos?.stop(), cf?.stop()])
  if (dir) await rm(dir, { recursive: true, force: true })
  if (dockerDir) await rm(dockerDir, { recursive: true, force: true })
})

describe.skipIf(!ready)('checks against the bench', () => {
  it('a container check finds the unhealthy and the exited container, with the health check output and the exit code', async () => {
    const s = await runOnce({ kind: 'container', name: 'containers', hostId: HOST })
    expect(s).toMatchObject({ state: 'down', severity: 'critical' })
    expect(s.message).toContain('odoo-odoo-1 is unhealthy')
    expect(s.message).toContain('odoo-ocr-adapter-1 exited with code 1')
    expect(s.message).not.toContain('tax-rules-service')
    expect(s.message).not.toContain('e2i-mlflow-1')
    const lines = s.detail!.split('\n')
    expect(lines.find((l) => l.startsWith('odoo-odoo-1'))).toMatch(/health check exit 1: .*404/i)
    expect(lines.find((l) => l.startsWith('odoo-ocr-adapter-1'))).toContain('exit')
    expect(await runOnce({ kind: 'container', name: 'mlflow', hostId: HOST, container: 'e2i-mlflow-1' })).toMatchObject({ state: 'up', message: 'e2i-mlflow-1 on ocr-service-droplet is running and healthy.' })
  })

  it('a DNS check finds the dangling record and the host name with no record', async () => {
    const staging = await runOnce({ kind: 'dns', name: 'staging', hostname: 'staging.insightpulseai.net' })
    expect(staging).toMatchObject({ state: 'down', severity: 'critical', message: expect.stringContaining("points at 143.198.212.40, which is no droplet's address") })
    const ipa = await runOnce({ kind: 'dns', name: 'ipa', hostname: 'ipa.insightpulseai.net' })
    expect(ipa).toMatchObject({ state: 'down', message: expect.stringContaining('ipa.insightpulseai.net has no A, AAAA or CNAME record in the insightpulseai.net zone') })
    const erp = await runOnce({ kind: 'dns', name: 'erp elsewhere', hostname: 'erp.insightpulseai.net', expectDroplet: 'n8n-prod' })
    expect(erp).toMatchObject({ state: 'down', message: 'erp.insightpulseai.net points at 159.223.75.148 (odoo-erp-prod), not at n8n-prod.' })
  })

  it("disk and memory from the host's facts: seed 002's root disk at 97% is critical", async () => {
    const disk = await runOnce({ kind: 'disk', name: 'disk', hostId: HOST })
    expect(disk).toMatchObject({ state: 'down', severity: 'critical', message: expect.stringMatching(/^Disk \/ on ocr-service-droplet is 97% full, 1\.5 GiB free \(and \/mnt\/odoo data 88%\), at or over 85%/) })
    expect(await runOnce({ kind: 'memory', name: 'memory', hostId: HOST, thresholdPercent: 99 })).toMatchObject({ state: 'up' })
  })

  it('an HTTP check run from the host reaches endpoints on its 127.0.0.1; a failing one says what it got', async () => {
    expect(await runOnce({ kind: 'http', name: 'mlflow', url: `http://127.0.0.1:${5000 + offset}/health`, runFrom: 'host', hostId: HOST })).toMatchObject({ state: 'up', latencyMs: expect.any(Number) })
    expect(await runOnce({ kind: 'http', name: 'odoo', url: `http://127.0.0.1:${8069 + offset}/health`, runFrom: 'host', hostId: HOST })).toMatchObject({ state: 'down', message: expect.stringContaining('answered 404') })
    expect(await runOnce({ kind: 'tcp', name: 'ocr port', host: '127.0.0.1', port: 8100 + offset, runFrom: 'host', hostId: HOST })).toMatchObject({ state: 'down' })
  })

  it('a host that is not connected makes its checks unknown, not down', async () => {
    await call('hosts.disconnect', { hostId: HOST })
    try {
      expect(await runOnce({ kind: 'disk', name: 'disk offline', hostId: HOST })).toMatchObject({ state: 'unknown', severity: null, message: expect.stringContaining('is not connected') })
      expect(await runOnce({ kind: 'http', name: 'offline http', url: 'http://127.0.0.1:1/', runFrom: 'host', hostId: HOST })).toMatchObject({ state: 'unknown' })
      expect(await call('alerts.list', {})).toEqual(expect.not.arrayContaining([expect.objectContaining({ checkName: 'disk offline' })]))
    } finally {
      await call('hosts.connect', { hostId: HOST })
    }
  })

  it('proposes checks from the DNS records, the containers and the host', async () => {
    const proposals = await call('checks.propose', {})
    const named = (n: string) => proposals.find((p) => p.check.name === n)
    expect(named('HTTPS erp.insightpulseai.net')).toMatchObject({ check: { kind: 'http', url: 'https://erp.insightpulseai.net/' }, reason: 'A record erp.insightpulseai.net → droplet odoo-erp-prod' })
    expect(named('TLS erp.insightpulseai.net')?.check).toMatchObject({ kind: 'tls', host: 'erp.insightpulseai.net', port: 443 })
    expect(named('DNS staging.insightpulseai.net')?.reason).toContain('no droplet')
    expect(named('DNS ipa.insightpulseai.net')?.reason).toContain('has no record')
    expect(named('e2i-mlflow-1 health')?.check).toMatchObject({ kind: 'http', url: `http://127.0.0.1:${5000 + offset}/health`, runFrom: 'host', hostId: HOST })
    expect(named('odoo-odoo-1 health')?.check).toMatchObject({ url: `http://127.0.0.1:${8069 + offset}/health` })
    expect(named(`Disk on ${HOST}`)).toMatchObject({ exists: true }) // made above
    expect(named(`Containers on ${HOST}`)).toMatchObject({ exists: true })
    expect(proposals.every((p) => p.check.kind !== 'tls' || !p.check.host.startsWith('staging'))).toBe(true) // no TLS check for a record that points nowhere
  })

  it('samples the connected host every period into metrics.host', async () => {
    let m: Result<'metrics.host'> | undefined
    await expect.poll(async () => (m = await call('metrics.host', { hostId: HOST, range: '1h' })).points.filter((p) => p.cpu !== null).length, { timeout: 20_000, interval: 500 }).toBeGreaterThanOrEqual(2)
    const p = m!.points.at(-1)!
    expect(p.disk).toBe(97) // the fullest real filesystem, as the host's df reports it
    expect(p.mem).toBeGreaterThan(0)
    expect(p.cpu).toBeGreaterThanOrEqual(0)
    expect(p.cpu).toBeLessThanOrEqual(100)
    expect(p.rx).toBeGreaterThanOrEqual(0)
  })

  it("the audit report names seed 002's findings for the same situation", async () => {
    const { content, generatedAt } = await call('report.generate', { format: 'markdown' })
    expect(Date.parse(generatedAt)).toBeGreaterThan(Date.now() - 60_000)
    const rows = content.split('\n').filter((l) => l.startsWith('| CRITICAL') || l.startsWith('| WARNING') || l.startsWith('| INFO'))
    const row = (title: string, subject: string) => rows.find((r) => r.includes(`| ${title} |`) && r.includes(subject))
    expect(row('Unhealthy container', 'odoo-odoo-1 on ocr-service-droplet')).toMatch(/^\| CRITICAL/)
    expect(row('Exited container', 'odoo-ocr-adapter-1 on ocr-service-droplet')).toMatch(/^\| CRITICAL/)
    expect(row('Disk at 97%', '/ on ocr-service-droplet')).toMatch(/^\| CRITICAL/)
    expect(row('Disk at 88%', '/mnt/odoo data on ocr-service-droplet')).toMatch(/^\| WARNING/)
    expect(row('Host name with no DNS record', 'ipa.insightpulseai.net')).toMatch(/^\| CRITICAL/)
    expect(row('Dangling DNS record', 'staging.insightpulseai.net → 143.198.212.40')).toMatch(/^\| CRITICAL/)
    for (const d of ['e2i-analytics-prod', 'odoo-erp-prod', 'n8n-prod', 'ocr-service-droplet']) expect(row('Droplet without a cloud firewall', d)).toBeDefined()
    expect(row('Droplet without backups', 'ocr-service-droplet')).toBeDefined()
    expect(row('Droplet without backups', 'odoo-erp-prod')).toBeUndefined() // it has weekly backups
    expect(row('No metrics agent', 'ocr-service-droplet')).toMatch(/^\| INFO/)
    expect(content).not.toContain('tax-rules-service on')
    // inventory and routing map
    expect(content).toContain('| odoo-erp-prod | s-2vcpu-4gb')
    expect(content).toMatch(/\| erp\.insightpulseai\.net \| A \| odoo-erp-prod \(159\.223\.75\.148\)/)
    expect(content).toContain('| ipa.insightpulseai.net | — | NO RECORD | — |')
    const html = await call('report.generate', { format: 'html' })
    expect(html.content).toMatch(/^<!doctype html>/)
    expect(html.content).toContain('<td class="sev critical">CRITICAL</td><td>Dangling DNS record</td>')
    expect(html.content).not.toContain('<script')
  })
})
