/**
 * Byte sizes, ages and durations, written once for every view. Each size names its base, because the
 * operator compares it with a tool that has one: `free -h` and `df -h` count in 1024s and say KiB,
 * `docker system df` counts in 1024s and says KB, a transfer counter counts in 1000s (what a network
 * link is rated in).
 */

/** `si`: 1000s (kB, MB); `iec`: 1024s (KiB, MiB); `docker`: 1024s labelled KB, MB, as docker prints them. */
export type ByteBase = 'si' | 'iec' | 'docker'

const BASES: Record<ByteBase, { step: number; units: string[]; decimalsBelow: number }> = {
  si: { step: 1000, units: ['B', 'kB', 'MB', 'GB', 'TB'], decimalsBelow: 10 },
  iec: { step: 1024, units: ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'], decimalsBelow: 10 },
  docker: { step: 1024, units: ['B', 'KB', 'MB', 'GB', 'TB'], decimalsBelow: 100 }
}

/** 1.2 kB (si), 3.4 GiB (iec), 912 KB (docker); whole bytes below the first step, one decimal for small values. */
export function formatBytes(bytes: number, base: ByteBase): string {
  const { step, units, decimalsBelow } = BASES[base]
  let value = Math.max(0, bytes)
  let unit = 0
  while (value >= step && unit < units.length - 1) {
    value /= step
    unit++
  }
  return `${unit === 0 || value >= decimalsBelow ? Math.round(value) : value.toFixed(1)} ${units[unit]}`
}

/** A transfer or network rate: "1.2 MB/s" (si, as links are rated), "3.4 MiB/s" (iec). */
export function formatByteRate(bytesPerSecond: number, base: ByteBase): string {
  return `${formatBytes(Math.round(bytesPerSecond), base)}/s`
}

/** Seconds from an ISO time to `now`; undefined when the time does not parse. */
function elapsedSeconds(iso: string, now: number): number | undefined {
  const t = Date.parse(iso)
  return Number.isFinite(t) ? Math.max(0, (now - t) / 1000) : undefined
}

/**
 * "12 s ago", "5 min ago", "3 h ago"; past a day, "4 d ago" (`days`, where the recent past is what
 * matters: checks, alerts) or the date (`date`, where the day is what the operator looks for: deploys,
 * container health). '—' for no time or one that does not parse.
 */
export function formatAgo(iso: string | null | undefined, options: { pastADay?: 'days' | 'date'; now?: number } = {}): string {
  const now = options.now ?? Date.now()
  const elapsed = iso ? elapsedSeconds(iso, now) : undefined
  if (elapsed === undefined) return '—'
  const s = Math.round(elapsed)
  if (s < 60) return `${s} s ago`
  if (s < 3600) return `${Math.round(s / 60)} min ago`
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`
  return options.pastADay === 'days' ? `${Math.round(s / 86_400)} d ago` : new Date(Date.parse(iso!)).toLocaleDateString()
}

/** A compact age for a table column: "45m", "3h", "12d", "5mo", "2y". */
export function formatAge(iso: string, now = Date.now()): string {
  const elapsed = elapsedSeconds(iso, now)
  if (elapsed === undefined) return '—'
  const minutes = Math.floor(elapsed / 60)
  if (minutes < 60) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return `${hours}h`
  const days = Math.floor(hours / 24)
  if (days < 60) return `${days}d`
  const months = Math.floor(days / 30.44)
  if (months < 24) return `${months}mo`
  return `${Math.floor(days / 365.25)}y`
}

/** How long something has lasted: "3d 4h", "5h 12m", "7m" (an uptime, a unit's time in its state). */
export function formatDuration(seconds: number): string {
  const m = Math.floor(seconds / 60)
  const h = Math.floor(m / 60)
  const d = Math.floor(h / 24)
  if (d > 0) return `${d}d ${h % 24}h`
  if (h > 0) return `${h}h ${m % 60}m`
  return `${m}m`
}

/** formatDuration from an ISO time to now; '—' when the time does not parse. */
export function formatSince(iso: string, now = Date.now()): string {
  const elapsed = elapsedSeconds(iso, now)
  return elapsed === undefined ? '—' : formatDuration(elapsed)
}
