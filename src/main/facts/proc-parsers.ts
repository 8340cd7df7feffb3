/**
 * Parsers for what Linux prints in /proc, /etc/os-release and `df -P -B1 -T`. Each accepts odd input
 * (missing fields, garbage lines, old kernels) and returns what it could read rather than throwing.
 */
import type { Disk } from '../../shared/contract/facts'

/** /proc/meminfo: `MemTotal:  2030884 kB` lines, as bytes. */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9_()]+):\s+(\d+)(?:\s+(kB))?\s*$/.exec(line.trim())
    if (m) out.set(m[1], Number(m[2]) * (m[3] ? 1024 : 1))
  }
  return out
}

export interface MemoryFacts {
  memory: { total: number; available: number; used: number; usedPercent: number }
  swap: { total: number; free: number; used: number; usedPercent: number }
}

export function memoryFacts(meminfo: Map<string, number>): MemoryFacts {
  const total = meminfo.get('MemTotal') ?? 0
  // MemAvailable arrived in Linux 3.14; before it, free + buffers + page cache is the usual estimate.
  const available = Math.min(
    total,
    meminfo.get('MemAvailable') ?? (meminfo.get('MemFree') ?? 0) + (meminfo.get('Buffers') ?? 0) + (meminfo.get('Cached') ?? 0)
  )
  const swapTotal = meminfo.get('SwapTotal') ?? 0
  const swapFree = Math.min(swapTotal, meminfo.get('SwapFree') ?? swapTotal)
  return {
    memory: { total, available, used: total - available, usedPercent: percent(total - available, total) },
    swap: { total: swapTotal, free: swapFree, used: swapTotal - swapFree, usedPercent: percent(swapTotal - swapFree, swapTotal) }
  }
}

/** /proc/loadavg: `0.52 0.58 0.59 2/431 12345`. */
export function parseLoadavg(text: string): { one: number; five: number; fifteen: number } {
  const [one, five, fifteen] = text.trim().split(/\s+/).map(Number)
  const ok = (n: number | undefined) => (n !== undefined && Number.isFinite(n) && n >= 0 ? n : 0)
  return { one: ok(one), five: ok(five), fifteen: ok(fifteen) }
}

/** /proc/uptime: `350735.47 234388.90` (seconds up, seconds idle summed over CPUs). */
export function parseUptime(text: string): number {
  const n = Number(text.trim().split(/\s+/)[0])
  return Number.isFinite(n) && n >= 0 ? n : 0
}

/** The CPU count (nproc, else cpuinfo's processor lines) and the first model name. */
export function cpuFacts(nproc: string | undefined, cpuinfo: string | undefined): { count: number; model: string | null } {
  const lines = (cpuinfo ?? '').split('\n')
  const processors = lines.filter((l) => /^processor\s*:/.test(l)).length
  const fromNproc = Number((nproc ?? '').trim())
  const count = Number.isInteger(fromNproc) && fromNproc > 0 ? fromNproc : Math.max(processors, 1)
  const modelLine = lines.find((l) => /^(model name|Hardware|cpu model)\s*:/.test(l))
  const model = modelLine ? modelLine.slice(modelLine.indexOf(':') + 1).trim() || null : null
  return { count, model }
}

/** /etc/os-release: KEY=value or KEY="quoted value". */
export function parseOsRelease(text: string | undefined): { id: string | null; name: string; version: string | null } {
  const kv = new Map<string, string>()
  for (const line of (text ?? '').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim())
    if (m) kv.set(m[1], unquote(m[2]))
  }
  return {
    id: kv.get('ID') || null,
    name: kv.get('PRETTY_NAME') || kv.get('NAME') || 'unknown',
    version: kv.get('VERSION_ID') || null
  }
}

function unquote(v: string): string {
  const t = v.trim()
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1).replace(/\\(["\\$`])/g, '$1')
  return t
}

/** Filesystems that are not disks: in-memory, container layers, read-only snap images (always 100%). */
export const SKIPPED_FS_TYPES = new Set(['tmpfs', 'devtmpfs', 'overlay', 'squashfs', 'ramfs', 'proc', 'sysfs', 'devpts', 'cgroup', 'cgroup2', 'efivarfs'])

const DF_LINE = /^(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+%|-)\s+(\/.*)$/

/**
 * `df -P -B1 -T`: Filesystem Type 1-blocks Used Available Capacity Mounted-on. The mount point is
 * last and may hold spaces. Pseudo filesystems and zero-sized ones are left out, and so is a block
 * device seen again (a bind mount of the same disk, e.g. /var/lib/docker): the first mount wins, so
 * one full disk is not flagged twice.
 */
export function parseDf(text: string): Disk[] {
  const disks: Disk[] = []
  const seen = new Set<string>()
  for (const line of text.split('\n').slice(1)) {
    const m = DF_LINE.exec(line.trim())
    if (!m) continue
    const [, filesystem, type, sizeS, usedS, availS, , mount] = m
    const size = Number(sizeS)
    const used = Number(usedS)
    const available = Number(availS)
    const key = filesystem.startsWith('/') ? filesystem : `${filesystem} ${mount}`
    if (SKIPPED_FS_TYPES.has(type) || size === 0 || seen.has(key)) continue
    seen.add(key)
    disks.push({ mount, filesystem, size, used, available, usedPercent: percent(used, used + available) })
  }
  return disks
}

function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0
}
