/** Sorting, filtering and formatting of a folder's entries for the Files view (pure, no React). */
import type { FileEntry } from '../../../shared/contract/files'

export type RemoteEntry = FileEntry
export type SortKey = 'name' | 'size' | 'mtime'
export interface Sort {
  key: SortKey
  descending: boolean
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })

/** Folders (and links to folders) first, as every file manager does; then by the chosen column. */
export function sortEntries(entries: readonly RemoteEntry[], sort: Sort, showHidden: boolean): RemoteEntry[] {
  const visible = showHidden ? [...entries] : entries.filter((e) => !e.name.startsWith('.'))
  const dir = (e: RemoteEntry) => (e.type === 'dir' || e.targetType === 'dir' ? 0 : 1)
  const sign = sort.descending ? -1 : 1
  return visible.sort((a, b) => {
    const d = dir(a) - dir(b)
    if (d) return d
    const by = sort.key === 'name' ? collator.compare(a.name, b.name) : sort.key === 'size' ? a.size - b.size : a.mtime - b.mtime
    // Ties read in name order whichever way the column runs.
    return by * sign || collator.compare(a.name, b.name)
  })
}

export function isFolder(e: RemoteEntry): boolean {
  return e.type === 'dir' || e.targetType === 'dir'
}

/** `drwxr-x---` from the type and mode bits, with setuid/setgid/sticky as ls shows them. */
export function modeString(type: RemoteEntry['type'], mode: number): string {
  const t = type === 'dir' ? 'd' : type === 'symlink' ? 'l' : type === 'file' ? '-' : '?'
  const rwx = (bits: number, special: boolean, letter: string) => `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${bits & 1 ? (special ? letter : 'x') : special ? letter.toUpperCase() : '-'}`
  return t + rwx(mode >> 6, Boolean(mode & 0o4000), 's') + rwx(mode >> 3, Boolean(mode & 0o2000), 's') + rwx(mode, Boolean(mode & 0o1000), 't')
}

export function formatTime(ms: number): string {
  const d = new Date(ms)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`
}

export function parentOf(path: string): string {
  const trimmed = path.replace(/\/+$/, '')
  const i = trimmed.lastIndexOf('/')
  return i <= 0 ? '/' : trimmed.slice(0, i)
}

/** Text files worth opening in the editor: by name, since SFTP has no content types. */
export function looksEditable(e: RemoteEntry): boolean {
  if (isFolder(e) || e.size > 5_000_000) return false
  if (/\.(gz|tgz|zip|xz|bz2|zst|png|jpe?g|gif|webp|ico|pdf|so|bin|dump|sqlite|db|jar|whl|pyc|iso|img|tar)$/i.test(e.name)) return false
  return true
}
