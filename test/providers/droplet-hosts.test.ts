/**
 * Droplets of the active team appear as SSH hosts, and SSH hosts named inside a managed zone with no
 * record show up in dns.missing: the real services against the provider stubs.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { startWorld, type World } from './harness'

let keyring: SecretService
let world: World
let dir: string

beforeAll(async () => {
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  dir = await mkdtemp(join(tmpdir(), 'dropdeck-sshcfg-'))
  const sshConfig = join(dir, 'ssh_config')
  await writeFile(sshConfig, ['Host ipa', '  HostName ipa.insightpulseai.net', 'Host erp', '  HostName erp.insightpulseai.net', 'Host gh', '  HostName github.com', ''].join('\n'))
  world = await startWorld({ env: { DROPDECK_SSH_CONFIG: sshConfig } })
})
afterAll(async () => {
  await world?.stop()
  await keyring?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('SSH host names in DNS', () => {
  it('flags an SSH host named in a managed zone with no record, and nothing outside managed zones', async () => {
    const missing = await world.call('dns.missing')
    expect(missing.map((m) => [m.hostname, m.usedBy])).toEqual([['ipa.insightpulseai.net', 'SSH host ipa']])
    expect(missing[0].zone).toMatchObject({ provider: 'cloudflare', name: 'insightpulseai.net' })
  })
})

describe('droplets as SSH hosts', () => {
  it('lists every droplet with an address as a host, with the default SSH user', async () => {
    const droplets = await world.call('droplets.list', {})
    const hosts = await world.call('hosts.list')
    const fromDroplets = hosts.filter((h) => h.source === 'droplet')
    expect(fromDroplets.length).toBe(droplets.filter((d) => d.publicIpv4 ?? d.privateIpv4).length)
    const e2i = droplets.find((d) => d.name === 'e2i-analytics-prod')!
    expect(fromDroplets.find((h) => h.id === 'e2i-analytics-prod')).toMatchObject({ hostname: e2i.publicIpv4, user: 'root' })
    await world.call('settings.update', { defaultSshUser: 'deploy' })
    expect((await world.call('hosts.list')).find((h) => h.id === 'e2i-analytics-prod')?.user).toBe('deploy')
    // A user for another team changes nothing here; one for the active team wins over the default.
    await world.call('settings.update', { sshUserByTeam: { staging: 'admin' } })
    expect((await world.call('hosts.list')).find((h) => h.id === 'e2i-analytics-prod')?.user).toBe('deploy')
    await world.call('settings.update', { sshUserByTeam: { staging: 'admin', [(await world.call('settings.get')).digitaloceanContext]: 'ops' } })
    expect((await world.call('hosts.list')).find((h) => h.id === 'e2i-analytics-prod')?.user).toBe('ops')
  })

  it('lists none without a DigitalOcean token', async () => {
    await world.call('secrets.delete', { key: 'digitalocean' })
    expect((await world.call('hosts.list')).filter((h) => h.source === 'droplet')).toEqual([])
  })
})
