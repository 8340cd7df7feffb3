// units.action for a login user who is not root, over a real sshd with the real sudo: a user created
// here (removed after), the recording stand-in for systemctl on its PATH (systemd does not run here).
// Without a sudoers rule, sudo wants a password and Dropdeck says what rule to add; with exactly that
// kind of rule (NOPASSWD for `systemctl restart apache2`), the restart goes through `sudo -n`.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import path from 'node:path'
import { createServices, type Services } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import { routerCalls } from '../support/router-calls'
import { startDroplets, SSHD_PATH, type Droplets } from '../fleet/sshd'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { findExecutable } from '../fleet/proc'
import { memoryKeychain } from '../ssh/support/ssh-env'
import { testUser } from '../fleet/test-user'
import { writeFakeSystemctl, type FakeSystemctl } from './fake-systemctl'

const user = testUser('ddunits', { shell: '/bin/bash' })
const USER = user.name
const ready = Boolean(process.getuid?.() === 0 && findExecutable('sudo') && findExecutable('useradd') && existsSync(SSHD_PATH))
if (!ready) console.warn('[units] skipping sudo tests: they need root, sudo, useradd and sshd')

describe.skipIf(!ready)('unit actions for a non-root login user (real user, sudo and sshd)', () => {
  let dir: string
  let fake: FakeSystemctl
  let droplets: Droplets
  let services: Services
  const ctx = createCallContext('test:units-sudo', () => services.bus)

  const { call, failure } = routerCalls(() => services, ctx)

  beforeAll(async () => {
    user.create()
    dir = mkdtempSync('/tmp/ddv-')
    chmodSync(dir, 0o755) // the user reads the stand-in and records its calls under here
    fake = writeFakeSystemctl(dir)
    droplets = await startDroplets({ count: 1, dir: path.join(dir, 'ssh'), names: ['deploy-droplet'], port: 'auto', baseAddress: '127.0.49.30', user: USER, env: { PATH: fake.path } })
    user.shareAuthorizedKeys(path.join(dir, 'ssh'))
    const files = writeSshClientFiles(dir, droplets.droplets)
    services = createServices({ dataDir: path.join(dir, 'data'), version: '0.0.0-test', keychain: memoryKeychain(), env: { DROPDECK_SSH_CONFIG: files.sshConfigPath }, log: () => undefined })
    await call('units.pick', { hostId: 'deploy-droplet', units: ['apache2', 'cron'] })
  }, 60_000)

  afterAll(async () => {
    await ctx.dispose()
    await services?.dispose()
    await droplets?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
    user.remove()
  })

  it('reads units without sudo, as the login user', async () => {
    const units = await call('units.list', { hostId: 'deploy-droplet' })
    expect(units.map((u) => [u.name, u.activeState])).toEqual([
      ['apache2', 'active'],
      ['cron', 'active']
    ])
    const uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }))
    expect(fake.calls().at(-1)).toMatchObject({ uid, sudoUser: '' })
  })

  it('without a sudoers rule: sudo wants a password, Dropdeck says which rule to add, systemctl never runs', async () => {
    const before = fake.calls().length
    const err = await failure('units.action', { hostId: 'deploy-droplet', unit: 'apache2', action: 'restart' })
    expect(err.code).toBe('UNAUTHORIZED')
    expect(err.data).toEqual({ reason: 'sudo-password' })
    expect(err.message).toBe(
      `sudo on deploy-droplet wants a password for ${USER}, and Dropdeck never types one. Allow it without a password (a sudoers rule such as "${USER} ALL=(root) NOPASSWD: /usr/bin/systemctl restart apache2"), or run it in a terminal.`
    )
    expect(fake.calls().slice(before).map((c) => c.argv[0])).toEqual(['show'])
  })

  it('with the suggested kind of rule (naming the systemctl this host resolves): the restart runs as root through sudo -n', async () => {
    const systemctl = path.join(fake.binDir, 'systemctl')
    user.allowSudo(`${USER} ALL=(root) NOPASSWD: ${systemctl} restart apache2\n`)
    const before = fake.calls().length
    const unit = await call('units.action', { hostId: 'deploy-droplet', unit: 'apache2', action: 'restart' })
    expect(unit).toMatchObject({ name: 'apache2', activeState: 'active' })
    const action = fake.calls().slice(before).find((c) => c.argv[0] === 'restart')!
    expect(action).toMatchObject({ argv: ['restart', 'apache2'], uid: 0, sudoUser: USER, sudoCommand: `${systemctl} restart apache2` })

    // the rule allows that command only: stopping is still refused, with the same advice
    const err = await failure('units.action', { hostId: 'deploy-droplet', unit: 'apache2', action: 'stop' })
    expect(err.code).toBe('UNAUTHORIZED')
    expect(fake.calls().some((c) => c.argv[0] === 'stop')).toBe(false)
  })
})
