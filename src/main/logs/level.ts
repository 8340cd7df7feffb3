/** The level of a line: journald's PRIORITY when there is one, else a guess from the text's first words. */
import type { LogLevel } from '../../shared/contract/logs'

/** syslog priorities: 0 emerg … 3 err are errors, 4 warning, 5 notice and 6 info, 7 debug. */
export function levelOfPriority(priority: string | number | undefined): LogLevel | undefined {
  const p = Number(priority)
  if (!Number.isInteger(p) || p < 0 || p > 7) return undefined
  if (p <= 3) return 'error'
  if (p === 4) return 'warn'
  if (p <= 6) return 'info'
  return 'debug'
}

// Looks at the head of the line only: "level=error", "[ERROR]", "ERROR:", "E1129", "WARN", nginx's "[emerg]".
const HEAD = 160
const ERROR = /\b(?:level=)?(?:error|err|fatal|crit(?:ical)?|panic|emerg|alert|severe)\b/i
const WARN = /\b(?:level=)?(?:warn(?:ing)?)\b/i
const INFO = /\b(?:level=)?(?:info|notice)\b/i
const DEBUG = /\b(?:level=)?(?:debug|trace)\b/i

// Any of the words above: most lines name no level, and one pass rules them out instead of four.
const ANY = /\b(?:level=)?(?:error|err|fatal|crit(?:ical)?|panic|emerg|alert|severe|warn(?:ing)?|info|notice|debug|trace)\b/i

export function levelOfText(text: string): LogLevel | undefined {
  const head = text.length > HEAD ? text.slice(0, HEAD) : text
  if (!ANY.test(head)) return undefined
  if (ERROR.test(head)) return 'error'
  if (WARN.test(head)) return 'warn'
  if (DEBUG.test(head)) return 'debug'
  if (INFO.test(head)) return 'info'
  return undefined
}
