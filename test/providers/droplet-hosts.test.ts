/** Droplets of the active team appear as SSH hosts, from the real services against the DigitalOcean stub. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { startWorld, type World } from './harness'

let keyring: SecretService
let world: World

beforeAll(async () => {
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  world = await startWorld()
})
afterAll(async () => {
  await world?.stop()
  await keyring?.stop()
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
  })

  it('lists none without a DigitalOcean token', async () => {
    await world.call('secrets.delete', { key: 'digitalocean' })
    expect((await world.call('hosts.list')).filter((h) => h.source === 'droplet')).toEqual([])
  })
})
