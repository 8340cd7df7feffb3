/**
 * Parses the two listings behind units.available, printed by one exec (listCommand): `systemctl
 * list-units --type=service --all --no-legend --plain` (UNIT LOAD ACTIVE SUB DESCRIPTION, the
 * description may hold spaces) and, after LIST_SEPARATOR, `systemctl list-unit-files --type=service
 * --no-legend` (UNIT-FILE STATE [VENDOR-PRESET]; older systemd prints two columns). Lines that do not
 * have that shape (a warning, a legend some version prints anyway) are skipped, not fatal.
 */
import { MAX_AVAILABLE_UNITS, type AvailableUnit } from '../../shared/contract/units'

export const LIST_SEPARATOR = '@@dropdeck-unit-files@@'

/**
 * Unit files offered although systemd has not loaded them: the operator installed them (enabled, or
 * disabled and started by hand). static, alias, masked, generated and transient files are plumbing.
 */
const OFFERED_FILE_STATES = new Set(['enabled', 'enabled-runtime', 'disabled', 'linked', 'linked-runtime'])

const UNIT_ID = /^[A-Za-z0-9:_.\\@-]+\.service$/

export function parseAvailableUnits(text: string): AvailableUnit[] {
  const at = text.indexOf(LIST_SEPARATOR)
  const loaded = at < 0 ? text : text.slice(0, at)
  const files = at < 0 ? '' : text.slice(at + LIST_SEPARATOR.length)

  const fileStates = new Map<string, string>()
  for (const line of lines(files)) {
    const [id, state] = line.split(/\s+/)
    if (id && state && UNIT_ID.test(id)) fileStates.set(id, state)
  }

  const units = new Map<string, AvailableUnit>()
  for (const line of lines(loaded)) {
    // Some versions print a status bullet before failed or not-found units even with --plain.
    const m = /^(?:[●*×]\s+)?(\S+)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(.*))?$/.exec(line)
    if (!m || !UNIT_ID.test(m[1])) continue
    const [, id, loadState, activeState, subState, description = ''] = m
    // Referenced by another unit but not installed: not a unit this host has.
    if (loadState === 'not-found') continue
    units.set(id, { id, description: description.trim(), loadState, activeState, subState, unitFileState: fileStates.get(id) ?? null })
  }
  for (const [id, state] of fileStates) {
    // A template (foo@.service) is no unit by itself; its instances are listed when loaded.
    if (units.has(id) || id.includes('@.') || !OFFERED_FILE_STATES.has(state)) continue
    units.set(id, { id, description: '', loadState: 'not-loaded', activeState: 'inactive', subState: 'dead', unitFileState: state })
  }
  return [...units.values()].sort((a, b) => a.id.localeCompare(b.id)).slice(0, MAX_AVAILABLE_UNITS)
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/\r$/, '').trim())
    .filter(Boolean)
}
