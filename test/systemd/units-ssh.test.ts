// units.* through the real services (router, contract validation, SSH pool) against real sshd
// droplets whose PATH holds a recording stand-in for systemctl (systemd does not run here; see
// fake-systemctl.ts), with the real sudo in between for actions. A second droplet keeps the machine's
// real systemctl, which says systemd is not running. A non-root user and sudo's password: units-sudo.test.ts.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { createServices, type Services } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import { routerCalls } from '../support/router-calls'
import { startDroplets, SSHD_PATH, type Droplets } from '../fleet/sshd'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { findExecutable } from '../fleet/proc'
import { memoryKeychain } from '../ssh/support/ssh-env'
import { writeFakeSystemctl, type FakeSystemctl } from './fake-systemctl'

const ready = Boolean(existsSync(SSHD_PATH) && findExecutable('sudo') && process.getuid?.() === 0)
if (!ready) console.warn('[units] skipping: needs sshd, sudo (apt-get install sudo) and root')

describe.skipIf(!ready)('systemd units over SSH (real sshd and sudo)', () => {
  let dir: string
  let fake: FakeSystemctl
  let managed: Droplets
  let noSystemd: Droplets
  let services: Services
  const ctx = createCallContext('test:units', () => services.bus)

  const { call, failure } = routerCalls(() => services, ctx)

  beforeAll(async () => {
    dir = mkdtempSync('/tmp/ddu-')
    fake = writeFakeSystemctl(dir)
    ;[managed, noSystemd] = await Promise.all([
      startDroplets({ count: 1, dir: path.join(dir, 'a'), names: ['units-droplet'], port: 'auto', baseAddress: '127.0.49.2', env: { PATH: fake.path } }),
      startDroplets({ count: 1, dir: path.join(dir, 'b'), names: ['plain-droplet'], port: 'auto', baseAddress: '127.0.49.3' }),
    ])
    const files = writeSshClientFiles(dir, [...managed.droplets, ...noSystemd.droplets])
    services = createServices({ dataDir: path.join(dir, 'data'), version: '0.0.0-test', keychain: memoryKeychain(), env: { DROPDECK_SSH_CONFIG: files.sshConfigPath }, log: () => undefined })
  })

  afterAll(async () => {
    await ctx.dispose()
    await services?.dispose()
    await Promise.all([managed?.stop(), noSystemd?.stop()])
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('starts with no units picked (no fixed list of names the host may lack), so units.list runs nothing', async () => {
    const before = fake.calls().length
    expect((await call('units.picked', { hostId: 'units-droplet' })).units).toEqual([])
    expect(await call('units.list', { hostId: 'units-droplet' })).toEqual([])
    expect(fake.calls().length).toBe(before)
  })

  it('lists the service units the host has from one exec: loaded ones with their state, and unit files installed but not loaded', async () => {
    const exec = services.ssh.exec
    const commands: string[] = []
    services.ssh.exec = (hostId, command, options) => {
      commands.push(command)
      return exec(hostId, command, options)
    }
    try {
      const before = fake.calls().length
      const units = await call('units.available', { hostId: 'units-droplet' })
      expect(commands).toHaveLength(1)
      expect(fake.calls().slice(before).map((c) => c.argv)).toEqual([
        ['list-units', '--type=service', '--all', '--no-legend', '--plain', '--no-pager'],
        ['list-unit-files', '--type=service', '--no-legend', '--no-pager']
      ])
      // not-found references, templates, static and alias files are left out; sorted by id
      expect(units).toEqual([
        { id: 'apache-htcacheclean.service', description: '', loadState: 'not-loaded', activeState: 'inactive', subState: 'dead', unitFileState: 'disabled' },
        { id: 'apache2.service', description: 'The Apache HTTP Server', loadState: 'loaded', activeState: 'active', subState: 'running', unitFileState: 'enabled' },
        { id: 'backup-nightly.service', description: '', loadState: 'not-loaded', activeState: 'inactive', subState: 'dead', unitFileState: 'enabled' },
        { id: 'cron.service', description: 'Command Scheduler', loadState: 'loaded', activeState: 'active', subState: 'running', unitFileState: 'enabled' },
        { id: 'e2i-worker.service', description: 'e2i queue worker', loadState: 'loaded', activeState: 'failed', subState: 'failed', unitFileState: 'enabled' },
        { id: 'getty@tty1.service', description: 'Getty on tty1', loadState: 'loaded', activeState: 'active', subState: 'running', unitFileState: null },
        { id: 'systemd-tmpfiles-clean.service', description: 'Cleanup of Temporary Directories', loadState: 'loaded', activeState: 'inactive', subState: 'dead', unitFileState: 'static' },
        { id: 'tuned.service', description: 'Dynamic System Tuning Daemon', loadState: 'loaded', activeState: 'active', subState: 'running', unitFileState: 'enabled' }
      ])
    } finally {
      services.ssh.exec = exec
    }
  })

  it('answers units.available on a host without systemd with the same error as units.list', async () => {
    await call('units.pick', { hostId: 'plain-droplet', units: ['nginx'] })
    const available = await failure('units.available', { hostId: 'plain-droplet' })
    const list = await failure('units.list', { hostId: 'plain-droplet' })
    expect(available.code).toBe('UPSTREAM')
    expect(available.message).toMatch(/^systemd is not running on plain-droplet \(System has not been booted with systemd/)
    expect([available.code, available.message]).toEqual([list.code, list.message])
  })

  it('stores a pick on disk and lists those units from one systemctl show, read-only and without sudo', async () => {
    const before = fake.calls().length
    expect(await call('units.pick', { hostId: 'units-droplet', units: ['apache2', 'cron', 'nosuch', 'apache2'] })).toEqual({ units: ['apache2', 'cron', 'nosuch'] })
    const stored = JSON.parse(readFileSync(path.join(dir, 'data', 'picked-units.json'), 'utf8'))
    expect(stored.hosts['units-droplet']).toEqual(['apache2', 'cron', 'nosuch'])

    const units = await call('units.list', { hostId: 'units-droplet' })
    expect(units).toEqual([
      { name: 'apache2', id: 'apache2.service', description: 'The Apache HTTP Server', loadState: 'loaded', activeState: 'active', subState: 'running', since: '2022-03-09T11:53:44.000Z', mainPid: 679, memoryBytes: 16412672, exists: true },
      { name: 'cron', id: 'cron.service', description: 'Command Scheduler', loadState: 'loaded', activeState: 'active', subState: 'running', since: '2017-10-15T07:11:26.000Z', mainPid: 2625, memoryBytes: 720896, exists: true },
      { name: 'nosuch', id: 'nosuch', description: '', loadState: 'not-found', activeState: 'inactive', subState: 'unknown', since: null, mainPid: null, memoryBytes: null, exists: false }
    ])
    const calls = fake.calls().slice(before)
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({ uid: 0, sudoUser: '' })
    expect(calls[0].argv).toEqual(['show', '--no-pager', '--property=Id,Description,LoadState,LoadError,ActiveState,SubState,ActiveEnterTimestamp,InactiveEnterTimestamp,MainPID,MemoryCurrent', '--', 'apache2', 'cron', 'nosuch'])
  })

  it('shares one exec with hosts.facts when both are asked at once (a Health refresh), each with its own answer', async () => {
    const alone = await call('units.list', { hostId: 'units-droplet' }) // the pick stored above: apache2, cron, nosuch
    const exec = services.ssh.exec
    const commands: string[] = []
    services.ssh.exec = (hostId, command, options) => {
      commands.push(command)
      return exec(hostId, command, options)
    }
    try {
      const before = fake.calls().length
      const [units, facts] = await Promise.all([call('units.list', { hostId: 'units-droplet' }), call('hosts.facts', { hostId: 'units-droplet' })])
      expect(commands).toHaveLength(1)
      expect(units).toEqual(alone)
      expect(fake.calls().slice(before).map((c) => c.argv.slice(-3))).toEqual([['apache2', 'cron', 'nosuch']])
      expect(facts.hostId).toBe('units-droplet')
      expect(facts.memory.total).toBeGreaterThan(0)
      expect(facts.disks.length).toBeGreaterThan(0)

      // A failing systemctl (no systemd) fails only the units, with the same message as alone; the facts still come.
      commands.length = 0
      await call('units.pick', { hostId: 'plain-droplet', units: ['nginx'] })
      const [err, plainFacts] = await Promise.all([failure('units.list', { hostId: 'plain-droplet' }), call('hosts.facts', { hostId: 'plain-droplet' })])
      expect(commands).toHaveLength(1)
      expect(err.message).toMatch(/^systemd is not running on plain-droplet \(System has not been booted with systemd/)
      expect(plainFacts.hostId).toBe('plain-droplet')
    } finally {
      services.ssh.exec = exec
    }
  })

  it('restarts a unit through sudo -n: the exact systemctl arguments, run by sudo as root', async () => {
    const before = fake.calls().length
    const unit = await call('units.action', { hostId: 'units-droplet', unit: 'apache2', action: 'restart' })
    expect(unit).toMatchObject({ name: 'apache2', activeState: 'active', mainPid: 679 })
    const [check, action, after] = fake.calls().slice(before)
    expect(check.argv.slice(-2)).toEqual(['--', 'apache2'])
    expect(action.argv).toEqual(['restart', 'apache2'])
    // sudo ran it: it sets SUDO_USER and SUDO_COMMAND (the absolute path Dropdeck resolved, then the arguments)
    expect(action.uid).toBe(0)
    expect(action.sudoUser).toBe('root')
    expect(action.sudoCommand).toBe(`${path.join(fake.binDir, 'systemctl')} restart apache2`)
    expect(after.argv[0]).toBe('show')
  })

  it.each(['stop', 'reload', 'start'] as const)('%s goes through sudo -n too', async (action) => {
    const before = fake.calls().length
    await call('units.action', { hostId: 'units-droplet', unit: 'cron', action })
    expect(fake.calls().slice(before)[1]).toMatchObject({ argv: [action, 'cron'], sudoUser: 'root' })
  })

  it('refuses an action on a unit that does not exist, without running sudo', async () => {
    const before = fake.calls().length
    const err = await failure('units.action', { hostId: 'units-droplet', unit: 'nosuch', action: 'restart' })
    expect(err.code).toBe('NOT_FOUND')
    expect(err.message).toBe('units-droplet has no unit nosuch; check the name (systemctl list-units) or remove it from the picked units.')
    expect(fake.calls().slice(before).map((c) => c.argv[0])).toEqual(['show'])
  })

  it('refuses unit names that could be options or shell syntax before anything runs', async () => {
    const before = fake.calls().length
    for (const unit of ['--force', 'x;reboot', '$(id)']) {
      expect((await failure('units.action', { hostId: 'units-droplet', unit, action: 'stop' })).code).toBe('BAD_REQUEST')
    }
    expect((await failure('units.pick', { hostId: 'units-droplet', units: ['ok', '-H'] })).code).toBe('BAD_REQUEST')
    expect(fake.calls().length).toBe(before)
  })

  it('says systemd is not running on a host whose systemctl cannot reach it', async () => {
    await call('units.pick', { hostId: 'plain-droplet', units: ['nginx'] }) // nothing picked runs nothing
    const err = await failure('units.list', { hostId: 'plain-droplet' })
    expect(err.code).toBe('UPSTREAM')
    expect(err.message).toMatch(/^systemd is not running on plain-droplet \(System has not been booted with systemd/)
  })

  it('keeps picks per host and across a restart of the app', async () => {
    await call('units.pick', { hostId: 'plain-droplet', units: ['nginx'] })
    const again = createServices({ dataDir: path.join(dir, 'data'), version: '0.0.0-test', keychain: memoryKeychain(), env: { DROPDECK_SSH_CONFIG: path.join(dir, 'ssh_config') }, log: () => undefined })
    try {
      const picked = async (hostId: string) => {
        const r = await again.router.call('units.picked', { hostId }, ctx)
        return r.ok ? (r.result as { units: string[] }).units : r.error
      }
      expect(await picked('units-droplet')).toEqual(['apache2', 'cron', 'nosuch'])
      expect(await picked('plain-droplet')).toEqual(['nginx'])
    } finally {
      await again.dispose()
    }
    expect((await failure('units.pick', { hostId: 'no-such-host', units: ['nginx'] })).code).toBe('NOT_FOUND')
  })
})
