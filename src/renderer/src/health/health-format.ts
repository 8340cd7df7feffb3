/** Formatting for the Health area: binary sizes (what free and df -h print), uptimes, percentages. */

/** 512 MiB, 3.4 GiB: binary units, as the operator reads them in `free -h` and `df -h`. */
export function formatBinary(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`
}

/** 3d 4h, 5h 12m, 7m: how long a host has been up. */
export function formatUptime(seconds: number): string {
  const m = Math.floor(seconds / 60)
  const h = Math.floor(m / 60)
  const d = Math.floor(h / 24)
  if (d > 0) return `${d}d ${h % 24}h`
  if (h > 0) return `${h}h ${m % 60}m`
  return `${m}m`
}

/** "for 3d 4h" since an ISO time. */
export function formatSince(iso: string, now = Date.now()): string {
  const seconds = (now - Date.parse(iso)) / 1000
  return Number.isFinite(seconds) ? formatUptime(Math.max(0, seconds)) : '—'
}

export function formatPercent(p: number): string {
  return `${p >= 10 ? Math.round(p) : p.toFixed(1)}%`
}

/** The level a use percentage is at against the threshold: drives amber and red. */
export function usageLevel(percent: number, threshold: number): 'ok' | 'warning' | 'critical' {
  if (percent >= 95) return 'critical'
  return percent >= threshold ? 'warning' : 'ok'
}
