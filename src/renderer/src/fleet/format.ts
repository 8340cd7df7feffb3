/** Formatting shared by the droplet and DNS views: money, sizes, dates, default snapshot names (ages and bytes: ui/format.ts). */

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 })
const integer = new Intl.NumberFormat('en-US')

export function formatMoney(value: number): string {
  return money.format(value)
}

export function formatInteger(value: number): string {
  return integer.format(value)
}

export function formatMemory(mb: number): string {
  if (mb < 1024) return `${mb} MB`
  const gb = mb / 1024
  return `${Number.isInteger(gb) ? gb : gb.toFixed(1)} GB`
}

export function formatSize(droplet: { vcpus: number; memoryMb: number; diskGb: number }): string {
  return `${droplet.vcpus} vCPU · ${formatMemory(droplet.memoryMb)} · ${droplet.diskGb} GB`
}

/** Snapshot sizes: "2.35 GB", "40 GB". */
export function formatGb(value: number): string {
  return `${Number.isInteger(value) ? value : value.toFixed(2)} GB`
}

// Built once: toLocaleString with options builds a new ICU formatter on every call (~0.1 ms), and
// the droplet table formats a date for every row it mounts while scrolling (bench:fleet).
const dateTime = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return dateTime.format(date)
}

export function formatTime(iso: string | number): string {
  const date = new Date(iso)
  // Intl throws on an invalid date where toLocaleTimeString said so.
  return Number.isNaN(date.getTime()) ? 'Invalid Date' : timeOfDay.format(date)
}

const pad = (n: number) => String(n).padStart(2, '0')

/** `<droplet>-YYYYMMDD-HHMM` in UTC, as the service would name it. */
export function defaultSnapshotName(dropletName: string, at = new Date()): string {
  const stamp = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}-${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}`
  return `${dropletName}-${stamp}`
}

/** "power_cycle" → "Power cycle". */
export function actionLabel(type: string): string {
  const words = type.replace(/[_-]+/g, ' ').trim()
  return words ? words[0].toUpperCase() + words.slice(1) : type
}

export const providerNames = { digitalocean: 'DigitalOcean', cloudflare: 'Cloudflare' } as const
export const providerShort = { digitalocean: 'DO', cloudflare: 'CF' } as const
