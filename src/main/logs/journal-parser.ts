/**
 * One line of `journalctl -o json`: an object of strings, where MESSAGE is an array of byte values
 * when it is not valid UTF-8 or holds control characters (and null when too large for journalctl's
 * --all-less output), __REALTIME_TIMESTAMP is microseconds since the epoch as a string, PRIORITY a
 * syslog priority, and __CURSOR the position to resume from (`--after-cursor`).
 */
import type { LogLevel } from '../../shared/contract/logs'
import { levelOfPriority } from './level'
import { MAX_LINE_BYTES, lineText, utf8Boundary } from './line-text'

export interface JournalEntry {
  /** epoch ms (the µs timestamp, divided) */
  ts: number
  text: string
  level?: LogLevel
  cursor?: string
}

export function parseJournalLine(line: string): JournalEntry | undefined {
  const trimmed = line.trim()
  if (!trimmed.startsWith('{')) return undefined // "-- No entries --" and the like
  let o: Record<string, unknown>
  try {
    o = JSON.parse(trimmed) as Record<string, unknown>
  } catch {
    return undefined
  }
  if (!o || typeof o !== 'object') return undefined
  const us = Number(o.__REALTIME_TIMESTAMP)
  const ts = Number.isFinite(us) && us > 0 ? Math.floor(us / 1000) : Date.now()
  const level = levelOfPriority(o.PRIORITY as string | undefined)
  const cursor = typeof o.__CURSOR === 'string' ? o.__CURSOR : undefined
  return { ts, text: messageText(o.MESSAGE), ...(level ? { level } : {}), ...(cursor ? { cursor } : {}) }
}

function messageText(message: unknown): string {
  if (typeof message === 'string') return bounded(Buffer.from(message.replace(/\n$/, ''), 'utf8'))
  if (Array.isArray(message)) {
    const bytes = Buffer.from(message.filter((b): b is number => Number.isInteger(b) && b >= 0 && b <= 255))
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0a ? bytes.length - 1 : bytes.length
    return bounded(bytes.subarray(0, end))
  }
  if (message === null) return '[message too large or binary: journalctl left it out]'
  return ''
}

function bounded(bytes: Buffer): string {
  if (bytes.length <= MAX_LINE_BYTES) return lineText(bytes)
  return lineText(bytes.subarray(0, utf8Boundary(bytes, MAX_LINE_BYTES)), bytes.length)
}
