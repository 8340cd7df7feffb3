// Facts parsers on real output: a capture of this bench host (fixtures/bench-host-facts.txt, the facts
// script run on the Debian 12 build machine; one sandbox-internal tmpfs line removed), the live /proc
// and df of the machine running the test, and odd input a host can print.
import { describe, it, expect } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { factsFromOutput } from '../../src/main/facts/facts-service'
import { factsScript, splitSections } from '../../src/main/facts/facts-script'
import { cpuFacts, memoryFacts, parseDf, parseLoadavg, parseMeminfo, parseOsRelease, parseUptime } from '../../src/main/facts/proc-parsers'

const capture = readFileSync(path.join(__dirname, 'fixtures', 'bench-host-facts.txt'), 'utf8')

describe('facts from a captured host', () => {
  it('reads every section of the capture', () => {
    const f = factsFromOutput('bench', capture, 85)
    expect(f.hostname).toBe('vm')
    expect(f.readAt).toBe(new Date(1795943471 * 1000).toISOString())
    expect(f.cpu).toEqual({ count: 2, model: 'Intel(R) Xeon(R) Processor' })
    expect(f.load).toEqual({ one: 2.86, five: 1.78, fifteen: 1.65 })
    expect(f.memory).toEqual({ total: 24684092 * 1024, available: 23742484 * 1024, used: (24684092 - 23742484) * 1024, usedPercent: 3.8 })
    expect(f.swap).toEqual({ total: 0, free: 0, used: 0, usedPercent: 0 })
    expect(f.uptimeSeconds).toBe(16500.77)
    expect(f.os).toEqual({ id: 'debian', name: 'Debian GNU/Linux 12 (bookworm)', version: '12' })
    expect(f.kernel).toBe('Linux 6.18.44-fc-v657')
    // devtmpfs and tmpfs are skipped; df's Use% rounds 23.5 up to 24
    expect(f.disks).toEqual([{ mount: '/', filesystem: '/dev/vda', size: 270553174016, used: 25602650112, available: 83341643776, usedPercent: 23.5 }])
    expect(f.flags).toEqual([])
  })

  it('flags a disk at or over the threshold, and memory, with a message that says how much is left', () => {
    const f = factsFromOutput('bench', capture, 50)
    expect(f.flags).toEqual([])
    const low = factsFromOutput('bench', capture, 3)
    expect(low.flags.map((x) => [x.kind, x.subject, x.severity])).toEqual([
      ['memory', 'memory', 'warning'],
      ['disk', '/', 'warning']
    ])
    expect(low.flags[1].message).toBe('Disk / 23.5% full (78 GiB free of 252 GiB), at or over the 3% threshold.')
  })
})

describe('facts parsers on this machine\'s live /proc and df', () => {
  it('meminfo agrees with the kernel as Node reads it', () => {
    const mem = memoryFacts(parseMeminfo(readFileSync('/proc/meminfo', 'utf8')))
    expect(mem.memory.total).toBe(os.totalmem())
    expect(mem.memory.available).toBeGreaterThan(0)
    expect(mem.memory.usedPercent).toBeGreaterThan(0)
    expect(mem.memory.usedPercent).toBeLessThan(100)
  })

  it('loadavg, uptime and the CPU count agree with Node', () => {
    const load = parseLoadavg(readFileSync('/proc/loadavg', 'utf8'))
    expect(load.fifteen).toBeCloseTo(os.loadavg()[2], 1)
    expect(Math.abs(parseUptime(readFileSync('/proc/uptime', 'utf8')) - os.uptime())).toBeLessThan(5)
    const cpu = cpuFacts(execFileSync('nproc', { encoding: 'utf8' }), readFileSync('/proc/cpuinfo', 'utf8'))
    expect(cpu.count).toBe(os.availableParallelism())
    expect(cpu.model).toBe(os.cpus()[0].model.trim())
  })

  it('df gives the root filesystem with the sizes statfs reports', async () => {
    // The free space moves whenever anything writes to the disk, so statfs is read just before and
    // just after df: df's figure lies between the two, give or take what another process wrote in
    // the moments between (1% of the disk; a column mix-up, such as used for available, is far off).
    const { statfs } = await import('node:fs/promises')
    const before = await statfs('/')
    const disks = parseDf(execFileSync('df', ['-P', '-B1', '-T'], { encoding: 'utf8' }))
    const after = await statfs('/')
    const root = disks.find((d) => d.mount === '/')!
    expect(root.size).toBe(after.blocks * after.bsize)
    const slack = root.size / 100
    const low = Math.min(before.bavail, after.bavail) * after.bsize - slack
    const high = Math.max(before.bavail, after.bavail) * after.bsize + slack
    expect(root.available).toBeGreaterThanOrEqual(low)
    expect(root.available).toBeLessThanOrEqual(high)
    expect(root.used + root.available).toBeLessThanOrEqual(root.size)
    expect(disks.every((d) => !['tmpfs', 'devtmpfs', 'overlay'].includes(d.filesystem))).toBe(true)
  })

  it('os-release names this machine', () => {
    const osr = parseOsRelease(readFileSync('/etc/os-release', 'utf8'))
    expect(osr.id).toMatch(/^[a-z]+$/)
    expect(osr.name).not.toBe('unknown')
  })

  it('the script run locally reads the same facts (one sh, every section present)', () => {
    const out = execFileSync('sh', ['-c', factsScript()], { encoding: 'utf8' })
    expect([...splitSections(out).keys()].sort()).toEqual(['hostname', 'now', 'nproc', 'cpuinfo', 'loadavg', 'meminfo', 'uptime', 'os-release', 'kernel', 'df', 'end'].sort())
    expect(splitSections(out).get('end')).toBe('')
    const f = factsFromOutput('local', out, 85)
    expect(f.hostname).toBe(os.hostname())
    expect(f.memory.total).toBe(os.totalmem())
    expect(f.kernel).toBe(execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim())
    expect(f.cpu.model).toBe(os.cpus()[0].model.trim())
  })

  it('a host without awk prints the same sections with plain commands', () => {
    // A PATH with everything the script uses but awk.
    const bin = mkdtempSync(path.join(os.tmpdir(), 'dd-noawk-'))
    try {
      for (const tool of ['cat', 'date', 'nproc', 'grep', 'uname', 'df', 'hostname']) {
        const found = execFileSync('sh', ['-c', `command -v ${tool} || true`], { encoding: 'utf8' }).trim()
        if (found) symlinkSync(found, path.join(bin, tool))
      }
      const withAwk = splitSections(execFileSync('sh', ['-c', factsScript()], { encoding: 'utf8' }))
      const without = splitSections(execFileSync('/bin/sh', ['-c', factsScript()], { encoding: 'utf8', env: { PATH: bin } }))
      expect([...without.keys()].sort()).toEqual([...withAwk.keys()].sort())
      for (const name of ['hostname', 'cpuinfo', 'os-release', 'kernel'] as const) expect(without.get(name)).toBe(withAwk.get(name))
      expect(factsFromOutput('local', [...without].map(([k, v]) => `@@dropdeck:${k}\n${v}`).join('\n'), 85).memory.total).toBe(os.totalmem())
    } finally {
      rmSync(bin, { recursive: true, force: true })
    }
  })
})

describe('odd output from a host', () => {
  it('an old kernel without MemAvailable: free + buffers + cache', () => {
    const mem = memoryFacts(parseMeminfo('MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\nSwapTotal: 400 kB\nSwapFree: 100 kB\n'))
    expect(mem.memory).toEqual({ total: 1024000, available: 409600, used: 614400, usedPercent: 60 })
    expect(mem.swap).toEqual({ total: 409600, free: 102400, used: 307200, usedPercent: 75 })
  })

  it('garbage and missing fields give zeros, not NaN or a throw', () => {
    expect(memoryFacts(parseMeminfo('garbage\n\x00\x01\nMemTotal: lots\n')).memory).toEqual({ total: 0, available: 0, used: 0, usedPercent: 0 })
    expect(parseLoadavg('nan -1')).toEqual({ one: 0, five: 0, fifteen: 0 })
    expect(parseUptime('')).toBe(0)
    expect(cpuFacts('', '')).toEqual({ count: 1, model: null })
    expect(parseOsRelease(undefined)).toEqual({ id: null, name: 'unknown', version: null })
  })

  it('df: a mount point with spaces, a "-" capacity, a bind mount twice, a wrapped line and a warning', () => {
    const df = [
      'Filesystem     Type     1-blocks        Used   Available Capacity Mounted on',
      '/dev/vda1      ext4  52521566208 49894871040  2609917952      96% /',
      '/dev/vda1      ext4  52521566208 49894871040  2609917952      96% /var/lib/docker',
      '/dev/sdb1      xfs  107317563392  1073741824 106243821568       1% /mnt/my data',
      'nsfs           nsfs            0           0           0        - /run/docker/netns/default',
      'overlay        overlay 52521566208 49894871040 2609917952      96% /var/lib/docker/overlay2/abc/merged',
      '/dev/mapper/very-long-volume-name',
      '               ext4  10000  5000  5000  50% /wrapped',
      "df: /run/user/1000/doc: Operation not permitted"
    ].join('\n')
    expect(parseDf(df).map((d) => [d.mount, d.usedPercent])).toEqual([
      ['/', 95],
      ['/mnt/my data', 1]
    ])
  })

  it('a script cut short (no end marker) is an error that says what to check', () => {
    expect(() => factsFromOutput('odd', '@@dropdeck:hostname\nodd\n', 85)).toThrow(/did not print its facts/)
  })

  it('the seed 002 disk at 97% is critical', () => {
    const df = 'Filesystem Type 1-blocks Used Available Capacity Mounted on\n/dev/vda1 ext4 100 97 3 97% /\n'
    const out = `@@dropdeck:meminfo\nMemTotal: 100 kB\nMemAvailable: 50 kB\n@@dropdeck:df\n${df}@@dropdeck:end\n`
    const f = factsFromOutput('odoo', out, 85)
    expect(f.flags).toMatchObject([{ kind: 'disk', subject: '/', usedPercent: 97, severity: 'critical' }])
  })
})
