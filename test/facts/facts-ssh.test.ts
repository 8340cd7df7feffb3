// hosts.facts through the real services and a real sshd droplet. The droplet IS this machine, so the
// facts must match what the test reads locally. A second droplet has a `df` on its PATH that prints
// odd output (./odd-df.ts), to check flagging and parsing end to end.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { statfs } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createServices, type Services } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import { routerCalls } from '../support/router-calls'
import { parseOsRelease } from '../../src/main/facts/proc-parsers'
import type { Result } from '../../src/shared/contract'
import { startDroplets, SSHD_PATH, type Droplets } from '../fleet/sshd'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { memoryKeychain } from '../ssh/support/ssh-env'
import { writeOddDf } from './odd-df'

const ready = existsSync(SSHD_PATH)
if (!ready) console.warn('[facts] skipping: sshd is missing')

describe.skipIf(!ready)('host facts over SSH (real sshd; the droplet is this machine)', () => {
  let dir: string
  let plain: Droplets
  let odd: Droplets
  let services: Services
  const ctx = createCallContext('test:facts', () => services.bus)

  const { call } = routerCalls(() => services, ctx)

  beforeAll(async () => {
    dir = mkdtempSync('/tmp/ddf-')
    const bin = path.join(dir, 'odd-bin')
    mkdirSync(bin)
    writeOddDf(bin)
    ;[plain, odd] = await Promise.all([
      startDroplets({ count: 1, dir: path.join(dir, 'a'), names: ['facts-droplet'], port: 'auto', baseAddress: '127.0.49.12' }),
      startDroplets({ count: 1, dir: path.join(dir, 'b'), names: ['odd-droplet'], port: 'auto', baseAddress: '127.0.49.13', env: { PATH: `${bin}:/usr/local/bin:/usr/bin:/bin` } })
    ])
    const files = writeSshClientFiles(dir, [...plain.droplets, ...odd.droplets])
    services = createServices({ dataDir: path.join(dir, 'data'), version: '0.0.0-test', keychain: memoryKeychain(), env: { DROPDECK_SSH_CONFIG: files.sshConfigPath }, log: () => undefined })
  })

  afterAll(async () => {
    await ctx.dispose()
    await services?.dispose()
    await Promise.all([plain?.stop(), odd?.stop()])
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('reads the same facts as the test reads locally, with one exec', async () => {
    const exec = services.ssh.exec
    const commands: string[] = []
    services.ssh.exec = (hostId, command, options) => {
      commands.push(command)
      return exec(hostId, command, options)
    }
    let f: Result<'hosts.facts'>
    try {
      f = await call('hosts.facts', { hostId: 'facts-droplet' })
    } finally {
      services.ssh.exec = exec
    }
    expect(commands).toHaveLength(1)
    expect(f.hostId).toBe('facts-droplet')
    expect(f.hostname).toBe(os.hostname())
    expect(Math.abs(Date.parse(f.readAt) - Date.now())).toBeLessThan(10_000)
    expect(f.cpu.count).toBe(os.availableParallelism())
    expect(f.cpu.model).toBe(os.cpus()[0].model.trim())
    expect(f.memory.total).toBe(os.totalmem())
    expect(Math.abs(f.memory.available - os.freemem())).toBeLessThan(f.memory.total * 0.1) // MemAvailable vs free: close, not equal
    expect(Math.abs(f.uptimeSeconds - os.uptime())).toBeLessThan(10)
    expect(f.kernel).toBe(execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim())
    expect(f.os).toEqual(parseOsRelease(readFileSync('/etc/os-release', 'utf8')))
    const st = await statfs('/')
    const root = f.disks.find((d) => d.mount === '/')!
    expect(root.size).toBe(st.blocks * st.bsize)
    expect(Math.abs(root.available - st.bavail * st.bsize)).toBeLessThan(512 * 1024 ** 2) // others write meanwhile
    expect(f.disks.map((d) => d.mount)).not.toContain('/dev/shm')
  })

  it('flags against the alert threshold in settings, and follows a change of it', async () => {
    const f = await call('hosts.facts', { hostId: 'facts-droplet' })
    const rootUse = f.disks.find((d) => d.mount === '/')!.usedPercent
    expect(f.flags.filter((x) => x.kind === 'disk' && x.subject === '/')).toEqual([])
    await call('settings.update', { alertThresholdPercent: 50 })
    const at50 = await call('hosts.facts', { hostId: 'facts-droplet' })
    expect(at50.flags.some((x) => x.subject === '/')).toBe(rootUse >= 50)
    await call('settings.update', { alertThresholdPercent: 85 })
  })

  it('an odd df: the 98% root is critical, the bind mount is not flagged twice, the spaced mount is read', async () => {
    const f = await call('hosts.facts', { hostId: 'odd-droplet' })
    expect(f.disks.map((d) => [d.mount, d.usedPercent])).toEqual([
      ['/', 97],
      ['/mnt/odoo data', 88]
    ])
    expect(f.flags.filter((x) => x.kind === 'disk')).toEqual([
      { kind: 'disk', subject: '/', usedPercent: 97, thresholdPercent: 85, severity: 'critical', message: 'Disk / 97% full (1.5 GiB free of 49 GiB), at or over the 85% threshold.' },
      { kind: 'disk', subject: '/mnt/odoo data', usedPercent: 88, thresholdPercent: 85, severity: 'warning', message: 'Disk /mnt/odoo data 88% full (12 GiB free of 100 GiB), at or over the 85% threshold.' }
    ])
    // the rest still comes from the real /proc
    expect(f.memory.total).toBe(os.totalmem())
  })

  it('says plainly which host cannot be reached', async () => {
    const envelope = await services.router.call('hosts.facts', { hostId: 'nowhere.invalid' }, ctx)
    expect(envelope.ok).toBe(false)
    if (!envelope.ok) expect(envelope.error).toMatchObject({ code: 'UPSTREAM', retryable: true, message: expect.stringMatching(/^Cannot reach nowhere\.invalid/) })
  })
})
