/**
 * Folder listings and stats over SFTP, and through `sudo -n find` when SFTP is refused. SFTP v3 has no
 * owner names, but OpenSSH sends each entry's `ls -l` line (longname) with them; that is where names
 * come from, with the numeric ids as the fallback.
 */
import type { FileEntryWithStats, SFTPWrapper, Stats } from 'ssh2'
import type { FileEntry, FileType } from '../../shared/contract/files'
import { DropdeckError } from '../../shared/errors'
import { sftpCall } from './sftp-call'
import { shellQuote, sudoTool, type Exec } from './remote-shell'

const S_IFMT = 0o170000
const TYPE_BITS: Record<number, FileType> = { 0o040000: 'dir', 0o100000: 'file', 0o120000: 'symlink' }

export function typeOfMode(mode: number): FileType {
  return TYPE_BITS[mode & S_IFMT] ?? 'other'
}

/** Owner and group from an `ls -l` line: "drwxr-xr-x    2 root     adm   4096 Dec  6 00:00 name". */
export function namesFromLongname(longname: string): { owner?: string; group?: string } {
  const parts = longname.trim().split(/\s+/)
  if (parts.length < 5 || !/^[-dlcbps]/.test(parts[0])) return {}
  return { owner: parts[2], group: parts[3] }
}

export function entryFromAttrs(name: string, attrs: Stats, longname?: string): FileEntry {
  const names = longname ? namesFromLongname(longname) : {}
  return {
    name,
    type: typeOfMode(attrs.mode),
    size: attrs.size,
    mtime: attrs.mtime * 1000,
    owner: names.owner ?? String(attrs.uid),
    group: names.group ?? String(attrs.gid),
    mode: attrs.mode & 0o7777
  }
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`
}

/** Symlinks: where they point and what is there (a dangling link has no targetType). */
async function describeLinks(sftp: SFTPWrapper, dir: string, entries: FileEntry[]): Promise<void> {
  const links = entries.filter((e) => e.type === 'symlink')
  let next = 0
  const worker = async () => {
    while (next < links.length) {
      const e = links[next++]
      const path = joinPath(dir, e.name)
      e.target = await sftpCall<string>((cb) => sftp.readlink(path, cb)).catch(() => undefined)
      const st = await sftpCall<Stats>((cb) => sftp.stat(path, cb)).catch(() => undefined)
      if (st) e.targetType = typeOfMode(st.mode)
    }
  }
  // Requests are pipelined on the one SFTP channel: 32 in flight hide the round trips.
  await Promise.all(Array.from({ length: Math.min(32, links.length) }, worker))
}

export async function listOverSftp(sftp: SFTPWrapper, path: string): Promise<FileEntry[]> {
  const raw = await sftpCall<FileEntryWithStats[]>((cb) => sftp.readdir(path, cb))
  const entries = raw.filter((r) => r.filename !== '.' && r.filename !== '..').map((r) => entryFromAttrs(r.filename, r.attrs, r.longname))
  await describeLinks(sftp, path, entries)
  return entries
}

export async function statOverSftp(sftp: SFTPWrapper, path: string): Promise<FileEntry> {
  const attrs = await sftpCall<Stats>((cb) => sftp.lstat(path, cb))
  const name = path === '/' ? '/' : path.replace(/\/+$/, '').split('/').pop()!
  const entry = entryFromAttrs(name, attrs)
  const parent = path.replace(/\/+$/, '').replace(/\/[^/]*$/, '') || '/'
  // The names come from the parent's listing line; a parent we cannot list leaves the numeric ids.
  const listed = await sftpCall<FileEntryWithStats[]>((cb) => sftp.readdir(parent, cb)).catch(() => [])
  const line = listed.find((l) => l.filename === name)
  if (line) Object.assign(entry, namesFromLongname(line.longname))
  if (entry.type === 'symlink') await describeLinks(sftp, parent, [entry])
  return entry
}

const FIND_TYPES: Record<string, FileType> = { f: 'file', d: 'dir', l: 'symlink' }
/** name, type, size, mtime (s.frac), owner, group, mode (octal), link target, target type; NUL after each. */
const FIND_FORMAT = '%f\\0%y\\0%s\\0%T@\\0%u\\0%g\\0%m\\0%l\\0%Y\\0'

export function sudoListCommand(path: string): string {
  return sudoTool('find', `-H ${shellQuote(path)} -mindepth 1 -maxdepth 1 -printf '${FIND_FORMAT}'`)
}

export function parseFindOutput(out: string): FileEntry[] {
  const f = out.split('\0')
  const entries: FileEntry[] = []
  for (let i = 0; i + 9 <= f.length; i += 9) {
    const type = FIND_TYPES[f[i + 1]] ?? 'other'
    const entry: FileEntry = { name: f[i], type, size: Number(f[i + 2]), mtime: Math.round(Number(f[i + 3]) * 1000), owner: f[i + 4], group: f[i + 5], mode: parseInt(f[i + 6], 8) }
    if (type === 'symlink') {
      entry.target = f[i + 7]
      const t = FIND_TYPES[f[i + 8]]
      if (t || f[i + 8] === 'p' || f[i + 8] === 's') entry.targetType = t ?? 'other'
    }
    entries.push(entry)
  }
  return entries
}

export async function listWithSudo(exec: Exec, hostId: string, path: string): Promise<{ ok: true; entries: FileEntry[] } | { ok: false; result: Awaited<ReturnType<Exec>> }> {
  const r = await exec(hostId, sudoListCommand(path), { timeoutMs: 120_000 })
  if (r.code !== 0) return { ok: false, result: r }
  return { ok: true, entries: parseFindOutput(r.stdout) }
}

export function assertDir(entry: FileEntry, hostId: string, path: string): void {
  if (entry.type !== 'dir' && entry.targetType !== 'dir') throw new DropdeckError('BAD_REQUEST', `${path} on ${hostId} is not a folder.`)
}
