/**
 * Parses `systemctl show --property=...` output: KEY=VALUE lines, one block per unit in the order the
 * units were named, blocks separated by a blank line. Never the human `status` text, whose layout
 * changes between systemd versions.
 */
import type { Unit } from '../../shared/contract/units'
import { parseSystemdTimestamp } from './systemd-timestamp'

/** The properties Dropdeck asks for; systemd prints them in its own order, not this one. */
export const SHOW_PROPERTIES = [
  'Id',
  'Description',
  'LoadState',
  'LoadError',
  'ActiveState',
  'SubState',
  'ActiveEnterTimestamp',
  'InactiveEnterTimestamp',
  'MainPID',
  'MemoryCurrent'
] as const

/** systemd's "no value" spellings: `[not set]`, `n/a`, empty, and UINT64_MAX on older versions. */
const UNSET = new Set(['', '[not set]', 'n/a', '[no data]', '18446744073709551615'])

export type ShowBlock = Map<string, string>

/** Splits the output into one map per unit. Values may contain `=`; only the first one splits. */
export function parseShowBlocks(text: string): ShowBlock[] {
  const blocks: ShowBlock[] = []
  let current: ShowBlock | undefined
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '')
    if (line.trim() === '') {
      current = undefined
      continue
    }
    const eq = line.indexOf('=')
    if (eq <= 0) continue // not a property line (a stray warning); nothing to read
    if (!current) {
      current = new Map()
      blocks.push(current)
    }
    current.set(line.slice(0, eq), line.slice(eq + 1))
  }
  return blocks
}

function value(block: ShowBlock, key: string): string | null {
  const v = block.get(key)
  return v === undefined || UNSET.has(v.trim()) ? null : v
}

function positiveInt(block: ShowBlock, key: string): number | null {
  const v = value(block, key)
  if (v === null || !/^\d+$/.test(v)) return null
  const n = Number(v)
  return Number.isSafeInteger(n) && n > 0 ? n : null
}

/**
 * "Since when" as `systemctl status` means it: when an active unit became active, or when an
 * inactive/failed one stopped.
 */
function since(block: ShowBlock, activeState: string): string | null {
  const running = activeState === 'active' || activeState === 'reloading' || activeState === 'deactivating'
  const raw = value(block, running ? 'ActiveEnterTimestamp' : 'InactiveEnterTimestamp')
  return raw === null ? null : parseSystemdTimestamp(raw)
}

/** One unit from its block; `name` is what the operator picked (e.g. `nginx` for nginx.service). */
export function toUnit(name: string, block: ShowBlock): Unit {
  const loadState = value(block, 'LoadState') ?? 'unknown'
  const activeState = value(block, 'ActiveState') ?? 'unknown'
  const exists = loadState !== 'not-found'
  return {
    name,
    id: value(block, 'Id') ?? name,
    description: value(block, 'Description') ?? '',
    loadState,
    activeState,
    subState: value(block, 'SubState') ?? 'unknown',
    since: exists ? since(block, activeState) : null,
    mainPid: positiveInt(block, 'MainPID'),
    memoryBytes: positiveInt(block, 'MemoryCurrent'),
    exists
  }
}

/** Pairs the blocks with the units they were asked for, by position (aliases make Id differ). */
export function parseUnits(names: readonly string[], text: string): Unit[] {
  const blocks = parseShowBlocks(text)
  if (blocks.length !== names.length) {
    throw new Error(`systemctl show printed ${blocks.length} unit blocks for ${names.length} units`)
  }
  return names.map((n, i) => toUnit(n, blocks[i]))
}
