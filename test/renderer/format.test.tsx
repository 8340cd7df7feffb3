import { describe, expect, it } from 'vitest'
import { formatAge, formatAgo, formatByteRate, formatBytes, formatDuration, formatSince } from '../../src/renderer/src/ui/format'

describe('formatBytes names its base', () => {
  it('si: 1000s, as transfer counters read', () => {
    expect(formatBytes(999, 'si')).toBe('999 B')
    expect(formatBytes(1234, 'si')).toBe('1.2 kB')
    expect(formatBytes(12_345, 'si')).toBe('12 kB')
    expect(formatBytes(3_400_000, 'si')).toBe('3.4 MB')
  })

  it('iec: 1024s with KiB, as free -h and df -h print', () => {
    expect(formatBytes(1000, 'iec')).toBe('1000 B')
    expect(formatBytes(512 * 1024 ** 2, 'iec')).toBe('512 MiB')
    expect(formatBytes(3.4 * 1024 ** 3, 'iec')).toBe('3.4 GiB')
  })

  it('docker: 1024s labelled KB, one decimal below 100, never negative', () => {
    expect(formatBytes(-5, 'docker')).toBe('0 B')
    expect(formatBytes(912 * 1024, 'docker')).toBe('912 KB')
    expect(formatBytes(50 * 1024, 'docker')).toBe('50.0 KB')
    expect(formatBytes(1.4 * 1024 ** 3, 'docker')).toBe('1.4 GB')
  })

  it('formatByteRate: a size per second in the base it names, whole bytes', () => {
    expect(formatByteRate(1_250_000, 'si')).toBe('1.3 MB/s')
    expect(formatByteRate(1536.4, 'iec')).toBe('1.5 KiB/s')
    expect(formatByteRate(12.6, 'iec')).toBe('13 B/s')
  })
})

describe('ages and durations', () => {
  const now = Date.parse('2026-12-06T12:00:00Z')
  const before = (seconds: number) => new Date(now - seconds * 1000).toISOString()

  it('formatAgo: seconds, minutes, hours, then days or the date', () => {
    expect(formatAgo(before(12), { now })).toBe('12 s ago')
    expect(formatAgo(before(300), { now })).toBe('5 min ago')
    expect(formatAgo(before(3 * 3600), { now })).toBe('3 h ago')
    expect(formatAgo(before(4 * 86_400), { now, pastADay: 'days' })).toBe('4 d ago')
    expect(formatAgo(before(4 * 86_400), { now })).toBe(new Date(now - 4 * 86_400_000).toLocaleDateString())
    expect(formatAgo(null)).toBe('—')
    expect(formatAgo('not a time', { pastADay: 'days' })).toBe('—')
  })

  it('formatAge: compact, for a table column', () => {
    expect(formatAge(before(45 * 60), now)).toBe('45m')
    expect(formatAge(before(3 * 3600), now)).toBe('3h')
    expect(formatAge(before(12 * 86_400), now)).toBe('12d')
    expect(formatAge(before(160 * 86_400), now)).toBe('5mo')
    expect(formatAge(before(800 * 86_400), now)).toBe('2y')
  })

  it('formatDuration and formatSince: how long something has lasted', () => {
    expect(formatDuration(7 * 60)).toBe('7m')
    expect(formatDuration(5 * 3600 + 12 * 60)).toBe('5h 12m')
    expect(formatDuration(3 * 86_400 + 4 * 3600)).toBe('3d 4h')
    expect(formatSince(before(3 * 86_400 + 4 * 3600), now)).toBe('3d 4h')
    expect(formatSince('never', now)).toBe('—')
  })
})
