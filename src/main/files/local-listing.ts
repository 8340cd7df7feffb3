/**
 * files.local.list: one folder on this machine, for the upload and download pickers. Bounded so a
 * folder of a million files, or a hundred listings at once, cannot take the process's memory or fds:
 * at most `maxEntries` entries (the rest counted, `truncated`), stat'ed `statConcurrency` at a time,
 * and `maxListings` listings run at once (more wait their turn).
 */
import { opendir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { DropdeckError } from '../../shared/errors'
import { typeOfMode } from './remote-listing'

export const LOCAL_LIST_MAX_ENTRIES = 20_000
const STAT_CONCURRENCY = 64
const MAX_LISTINGS = 4

export interface LocalEntry {
  name: string
  type: ReturnType<typeof typeOfMode>
  size: number
  mtime: number
}

export interface LocalListing {
  path: string
  entries: LocalEntry[]
  /** Only when the folder holds more than the cap: the entries are its first `maxEntries` in directory order. */
  truncated?: true
  total?: number
}

let running = 0
const waiting: Array<() => void> = []

async function turn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_LISTINGS) await new Promise<void>((resolve) => waiting.push(resolve))
  running++
  try {
    return await work()
  } finally {
    running--
    waiting.shift()?.()
  }
}

export function listLocalFolder(dir: string, maxEntries = LOCAL_LIST_MAX_ENTRIES): Promise<LocalListing> {
  return turn(async () => {
    const folder = await opendir(dir).catch((err: NodeJS.ErrnoException) => {
      throw new DropdeckError(err.code === 'ENOENT' ? 'NOT_FOUND' : 'PERMISSION_DENIED', `${dir} cannot be read here (${err.code}).`)
    })
    // Names beyond the cap are counted, not kept.
    const names: string[] = []
    let total = 0
    for await (const entry of folder) {
      if (total++ < maxEntries) names.push(entry.name)
    }
    const entries: Array<LocalEntry | undefined> = new Array(names.length)
    let next = 0
    const worker = async () => {
      while (next < names.length) {
        const i = next++
        const st = await stat(join(dir, names[i])).catch(() => undefined)
        entries[i] = st ? { name: names[i], type: typeOfMode(st.mode), size: st.size, mtime: st.mtimeMs } : undefined
      }
    }
    await Promise.all(Array.from({ length: Math.min(STAT_CONCURRENCY, names.length) }, worker))
    const listing: LocalListing = { path: dir, entries: entries.filter((e): e is LocalEntry => e !== undefined) }
    if (total > names.length) Object.assign(listing, { truncated: true, total })
    return listing
  })
}
