// The systemctl show parser on real captured output (see fixtures/README.md for where each came from).
import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseShowBlocks, parseUnits, toUnit } from '../../src/main/systemd/systemctl-show'
import { parseSystemdTimestamp } from '../../src/main/systemd/systemd-timestamp'
import { actionCommand, showCommand, shellQuote } from '../../src/main/systemd/systemctl-commands'
import { UnitNameSchema } from '../../src/shared/contract/units'

const fixture = (name: string) => readFileSync(path.join(__dirname, 'fixtures', name), 'utf8')

describe('systemctl show parser (real captures)', () => {
  it('reads a running service: state, since, main PID and memory', () => {
    const [unit] = parseUnits(['apache2'], fixture('apache2.show.txt'))
    expect(unit).toEqual({
      name: 'apache2',
      id: 'apache2.service',
      description: 'The Apache HTTP Server',
      loadState: 'loaded',
      activeState: 'active',
      subState: 'running',
      since: '2022-03-09T11:53:44.000Z',
      mainPid: 679,
      memoryBytes: 16412672,
      exists: true
    })
  })

  it('places timestamps in other zones and locales (CEST with a Polish weekday, EST)', () => {
    const [cron] = parseUnits(['cron'], fixture('cron.show.txt'))
    expect(cron).toMatchObject({ id: 'cron.service', description: 'Command Scheduler', since: '2017-10-15T07:11:26.000Z', mainPid: 2625, memoryBytes: 720896 })
    const [tuned] = parseUnits(['tuned'], fixture('tuned.show.txt'))
    // a capture cut mid-way: no MainPID or MemoryCurrent lines at all
    expect(tuned).toMatchObject({ id: 'tuned.service', since: '2019-11-20T04:55:53.000Z', mainPid: null, memoryBytes: null, exists: true })
  })

  it('splits several units by blank lines and pairs them by position, not by Id', () => {
    const text = [fixture('apache2.show.txt'), fixture('bogus-not-found.show.txt'), fixture('cron.show.txt')].map((t) => t.trimEnd()).join('\n\n') + '\n'
    const units = parseUnits(['web', 'bogus', 'cron'], text)
    expect(units.map((u) => [u.name, u.id, u.exists])).toEqual([
      ['web', 'apache2.service', true],
      ['bogus', 'bogus', false],
      ['cron', 'cron.service', true]
    ])
  })

  it('reports a unit systemd does not know as not-found, with no since, PID or memory', () => {
    const [unit] = parseUnits(['bogus'], fixture('bogus-not-found.show.txt'))
    expect(unit).toMatchObject({ loadState: 'not-found', activeState: 'inactive', exists: false, since: null, mainPid: null, memoryBytes: null })
  })

  it('treats [not set], n/a, [no data] and UINT64_MAX as no value', () => {
    const block = parseShowBlocks('MainPID=0\nMemoryCurrent=[not set]\nActiveEnterTimestamp=n/a\nInactiveEnterTimestamp=\nLoadState=loaded\nActiveState=inactive\nSubState=dead\n')[0]
    expect(toUnit('x', block)).toMatchObject({ mainPid: null, memoryBytes: null, since: null })
    const old = parseShowBlocks('MemoryCurrent=18446744073709551615\nMainPID=12\n')[0]
    expect(toUnit('x', old)).toMatchObject({ memoryBytes: null, mainPid: 12 })
  })

  it('keeps values that contain "=" whole', () => {
    const [block] = parseShowBlocks(fixture('apache2.show.txt'))
    expect(block.get('Environment')).toBe('APACHE_STARTED_BY_SYSTEMD=true')
    expect(block.get('ExecStart')).toContain('argv[]=/usr/sbin/apachectl start')
  })

  it('refuses output whose block count does not match the units asked for', () => {
    expect(() => parseUnits(['a', 'b'], fixture('apache2.show.txt'))).toThrow(/1 unit blocks for 2 units/)
  })
})

describe('systemd timestamps', () => {
  it.each([
    ['Sat 2026-11-28 10:12:01 UTC', '2026-11-28T10:12:01.000Z'],
    ['Sat 2021-03-06 11:42:41 +07', '2021-03-06T04:42:41.000Z'],
    ['Mon 2026-09-01 09:00:00 +0530', '2026-09-01T03:30:00.000Z'],
    ['Sat 2026-08-08 12:39:52 PDT', '2026-08-08T19:39:52.000Z'],
    ['@1785434347', '2026-07-30T17:59:07.000Z']
  ])('%s is %s', (raw, iso) => {
    expect(parseSystemdTimestamp(raw)).toBe(iso)
  })

  it.each(['n/a', '', '@0', 'Sat 2026-07-18 03:42:27 CST', 'yesterday'])('%j cannot be placed: null', (raw) => {
    // CST is China, Cuba or US Central: ambiguous, so no guess
    expect(parseSystemdTimestamp(raw)).toBeNull()
  })
})

describe('systemctl commands', () => {
  it('asks for the properties it reads, in UTC, with -- before single-quoted unit names', () => {
    expect(showCommand(['nginx', 'e2i-api.service'])).toBe(
      "TZ=UTC LC_ALL=C systemctl show --no-pager --property=Id,Description,LoadState,LoadError,ActiveState,SubState,ActiveEnterTimestamp,InactiveEnterTimestamp,MainPID,MemoryCurrent -- 'nginx' 'e2i-api.service'"
    )
    expect(actionCommand('restart', 'nginx')).toBe(`sudo -n "$(command -v systemctl || echo systemctl)" restart 'nginx'`)
  })

  it('quotes a quote', () => {
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`)
  })

  it('accepts systemd unit names and refuses options and shell syntax', () => {
    for (const ok of ['nginx', 'e2i-api.service', 'getty@tty1.service', 'systemd-fsck@dev-disk-by\\x2duuid-1234.service', 'user-1000.slice']) {
      expect(UnitNameSchema.safeParse(ok).success, ok).toBe(true)
    }
    for (const bad of ['-H', '--host=x', 'a b', 'x;reboot', '$(id)', "a'b", '']) {
      expect(UnitNameSchema.safeParse(bad).success, bad).toBe(false)
    }
  })
})
