/**
 * systemd prints timestamps as `Sat 2026-11-28 10:12:01 UTC`: weekday, date, time and the zone
 * abbreviation of the host's local time. Dropdeck runs systemctl with TZ=UTC so hosts answer in
 * UTC; older captures and hosts that ignore TZ still carry other zones, read here when they are
 * unambiguous (numeric offsets and the common abbreviations).
 */

/** Offsets in minutes for abbreviations that mean one thing (IST, CST are ambiguous: left out). */
const ZONES: Record<string, number> = {
  UTC: 0, GMT: 0, Z: 0, WET: 0, WEST: 60, BST: 60, CET: 60, CEST: 120, EET: 120, EEST: 180, MSK: 180,
  EST: -300, EDT: -240, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420, AKST: -540, AKDT: -480, HST: -600,
  JST: 540, KST: 540, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780, WIB: 420
}

const PATTERN = /(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?: (\S+))?\s*$/

/** ISO 8601 in UTC, or null for `n/a`, an empty value, `@0`, or a zone that cannot be placed. */
export function parseSystemdTimestamp(raw: string): string | null {
  const text = raw.trim()
  if (text === '' || text === 'n/a' || text === '[not set]') return null
  // --timestamp=unix spells it @SECONDS
  const unix = /^@(\d+)$/.exec(text)
  if (unix) return unix[1] === '0' ? null : new Date(Number(unix[1]) * 1000).toISOString()
  const m = PATTERN.exec(text)
  if (!m) return null
  const [, y, mo, d, h, mi, s, zone] = m
  const offset = zone === undefined ? 0 : zoneOffsetMinutes(zone)
  if (offset === null) return null
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offset * 60_000
  return Number.isNaN(utc) ? null : new Date(utc).toISOString()
}

function zoneOffsetMinutes(zone: string): number | null {
  // numeric: +07, -0330, +05:30
  const n = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)
  if (n) return (n[1] === '-' ? -1 : 1) * (Number(n[2]) * 60 + Number(n[3] ?? 0))
  return ZONES[zone.toUpperCase()] ?? null
}
