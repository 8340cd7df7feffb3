/**
 * The contract for files on SSH hosts: browsing over SFTP on the host's pooled connection, transfers
 * (a stream per transfer: `files.transfers`), and safe edits of text files (conflict check, backup,
 * atomic write, validator). Assembled into ../contract.ts; documented in docs/api.md ("File methods").
 */
import { z } from 'zod'
import { HostIdSchema } from './ssh'

/**
 * An absolute POSIX path, without NUL (the one byte no path holds). A line break is allowed: SFTP carries
 * names as length-prefixed strings, the sudo listing is NUL-separated and shell commands quote the path.
 */
export const RemotePathSchema = z.string().min(1).max(4096).regex(/^\/[^\0]*$/, 'an absolute path such as /etc/nginx/sites-enabled')
/** A path on the machine Dropdeck runs on. */
export const LocalPathSchema = z.string().min(1).max(4096).regex(/^\/[^\0]*$/, 'an absolute local path')

export const FileTypeSchema = z.enum(['file', 'dir', 'symlink', 'other'])
export type FileType = z.infer<typeof FileTypeSchema>

export const FileEntrySchema = z.object({
  name: z.string(),
  type: FileTypeSchema,
  size: z.number(),
  /** Last modification, epoch ms. */
  mtime: z.number(),
  /** The owner's and group's names where the host says them, else the numeric ids as text. */
  owner: z.string(),
  group: z.string(),
  /** Permission bits (and setuid/setgid/sticky), e.g. 0o644 = 420. */
  mode: z.number().int(),
  /** For a symlink: where it points (as stored), and the target's type when it resolves. */
  target: z.string().optional(),
  targetType: FileTypeSchema.optional()
})
export type FileEntry = z.infer<typeof FileEntrySchema>

const TYPE_LETTERS = { file: 'f', dir: 'd', symlink: 'l', other: 'o' } as const
const LETTER_TYPES: Record<string, FileType> = { f: 'file', d: 'dir', l: 'symlink', o: 'other' }

/**
 * A listing travels as columns, not one object per entry: 100,000 entries are about 4 MB instead of
 * 11 MB of repeated keys (the headless host drops a socket that lets 16 MB pile up), and parse faster.
 * `types` and `targetTypes` hold one letter per entry (`f` file, `d` folder, `l` symlink, `o` other; `-`
 * no target); owners and groups are indexes into `names`; `targets` maps an entry's index to its link target.
 */
export const FileListingSchema = z
  .object({
    path: z.string(),
    access: z.enum(['sftp', 'sudo']),
    name: z.array(z.string()),
    types: z.string(),
    size: z.array(z.number()),
    mtime: z.array(z.number()),
    mode: z.array(z.number().int()),
    owner: z.array(z.number().int()),
    group: z.array(z.number().int()),
    names: z.array(z.string()),
    targets: z.record(z.string(), z.string()),
    targetTypes: z.string()
  })
  .refine((l) => [l.types.length, l.size.length, l.mtime.length, l.mode.length, l.owner.length, l.group.length, l.targetTypes.length].every((n) => n === l.name.length), 'the columns of a listing differ in length')
export type FileListing = z.infer<typeof FileListingSchema>

export function encodeFileListing(path: string, access: 'sftp' | 'sudo', entries: readonly FileEntry[]): FileListing {
  const names: string[] = []
  const index = new Map<string, number>()
  const id = (n: string) => {
    let i = index.get(n)
    if (i === undefined) index.set(n, (i = names.push(n) - 1))
    return i
  }
  const targets: Record<string, string> = {}
  entries.forEach((e, i) => {
    if (e.target !== undefined) targets[i] = e.target
  })
  return {
    path,
    access,
    name: entries.map((e) => e.name),
    types: entries.map((e) => TYPE_LETTERS[e.type]).join(''),
    size: entries.map((e) => e.size),
    mtime: entries.map((e) => e.mtime),
    mode: entries.map((e) => e.mode),
    owner: entries.map((e) => id(e.owner)),
    group: entries.map((e) => id(e.group)),
    names,
    targets,
    targetTypes: entries.map((e) => (e.targetType ? TYPE_LETTERS[e.targetType] : '-')).join('')
  }
}

export function decodeFileListing(l: FileListing): { path: string; access: 'sftp' | 'sudo'; entries: FileEntry[] } {
  const entries = l.name.map((name, i): FileEntry => {
    const entry: FileEntry = { name, type: LETTER_TYPES[l.types[i]] ?? 'other', size: l.size[i], mtime: l.mtime[i], owner: l.names[l.owner[i]] ?? '', group: l.names[l.group[i]] ?? '', mode: l.mode[i] }
    const target = l.targets[i]
    if (target !== undefined) entry.target = target
    const tt = LETTER_TYPES[l.targetTypes[i]]
    if (tt) entry.targetType = tt
    return entry
  })
  return { path: l.path, access: l.access, entries }
}

/** How a listing or read was made: `sftp` as the login user, `sudo` through `sudo -n` after SFTP was refused. */
export const AccessSchema = z.enum(['sftp', 'sudo'])

export const ValidatorSchema = z.enum(['nginx', 'sshd', 'compose', 'systemd'])
export type Validator = z.infer<typeof ValidatorSchema>

export const BookmarkSchema = z.object({ path: RemotePathSchema, label: z.string().max(200).optional() })
export type Bookmark = z.infer<typeof BookmarkSchema>

/** What a text file was when it was opened; a save is refused when the host's file no longer matches it. */
export const FileVersionSchema = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().min(0), mtime: z.number() })
export type FileVersion = z.infer<typeof FileVersionSchema>

const TransferId = z.string().min(1).max(100)

export const TransferStateSchema = z.enum(['queued', 'running', 'reconnecting', 'verifying', 'done', 'error', 'cancelled'])
export type TransferState = z.infer<typeof TransferStateSchema>

export const filesMethods = {
  /**
   * A folder's entries (unsorted; the view sorts) as columns (`decodeFileListing` gives `FileEntry[]`).
   * PERMISSION_DENIED in words when neither SFTP nor `sudo -n` may read it.
   */
  'files.list': {
    params: z.object({ hostId: HostIdSchema, path: RemotePathSchema }).strict(),
    result: FileListingSchema
  },
  /** One entry (symlinks described, not followed; `targetType` says what they point at). */
  'files.stat': { params: z.object({ hostId: HostIdSchema, path: RemotePathSchema }).strict(), result: FileEntrySchema },
  /** The login user's home folder (where the view starts), as SFTP resolves `.`. */
  'files.home': { params: z.object({ hostId: HostIdSchema }).strict(), result: z.object({ path: z.string() }) },
  'files.mkdir': { params: z.object({ hostId: HostIdSchema, path: RemotePathSchema }).strict(), result: FileEntrySchema },
  /** Refuses to replace an existing `to` (BAD_REQUEST). */
  'files.rename': { params: z.object({ hostId: HostIdSchema, from: RemotePathSchema, to: RemotePathSchema }).strict(), result: FileEntrySchema },
  /**
   * Deletes a file or symlink; a folder (with everything in it) only with `confirm` equal to its name
   * (CONFIRMATION_REQUIRED with `data.expected` otherwise).
   */
  'files.delete': {
    params: z.object({ hostId: HostIdSchema, path: RemotePathSchema, confirm: z.string().max(4096).optional() }).strict(),
    result: z.object({ deleted: z.literal(true) })
  },
  'files.chmod': {
    params: z.object({ hostId: HostIdSchema, path: RemotePathSchema, mode: z.number().int().min(0).max(0o7777) }).strict(),
    result: FileEntrySchema
  },
  /** The host's bookmarks; the defaults (/etc/nginx/sites-enabled, the folders in /opt, /var/log) until changed. */
  'files.bookmarks.list': { params: z.object({ hostId: HostIdSchema }).strict(), result: z.object({ bookmarks: z.array(BookmarkSchema) }) },
  /** Replaces the host's bookmarks. */
  'files.bookmarks.set': {
    params: z.object({ hostId: HostIdSchema, bookmarks: z.array(BookmarkSchema).max(100) }).strict(),
    result: z.object({ bookmarks: z.array(BookmarkSchema) })
  },
  /** A text file (UTF-8, at most 5 MB) with the version a save is checked against, and its validator if it has one. */
  'files.read': {
    params: z.object({ hostId: HostIdSchema, path: RemotePathSchema }).strict(),
    result: z.object({ path: z.string(), content: z.string(), version: FileVersionSchema, mode: z.number().int(), owner: z.string(), group: z.string(), validator: ValidatorSchema.nullable(), access: AccessSchema })
  },
  /**
   * Saves a text file opened with `files.read`. `dryRun`: only the diff against what is on the host now.
   * Otherwise: FILE_CHANGED when the host's file is no longer `expected`; a timestamped backup beside it,
   * owner/group/mode kept, written to a temporary name and renamed over it, then the validator: a failed
   * validation puts the backup back (VALIDATION_FAILED with the validator's words). `reload` names the
   * unit to reload (nginx) when its validator passed.
   */
  'files.save': {
    params: z.object({ hostId: HostIdSchema, path: RemotePathSchema, content: z.string().max(5_000_000), expected: FileVersionSchema, dryRun: z.boolean().optional() }).strict(),
    result: z.object({
      diff: z.string(),
      /** Lines added and removed. */
      added: z.number().int(),
      removed: z.number().int(),
      saved: z.boolean(),
      version: FileVersionSchema.optional(),
      backupPath: z.string().optional(),
      validation: z.object({ validator: ValidatorSchema, ok: z.boolean(), output: z.string() }).optional(),
      reload: z.string().optional()
    })
  },
  /**
   * Queues a transfer of a file or a folder (a stream owned by the calling client). Upload: `localPath` to
   * `remotePath` (a temporary name on the host, renamed when complete); download: `remotePath` to
   * `localPath` (`.part` until verified). A folder is its tree, file by file. A dropped connection is resumed from the byte where it stopped; the end is checked
   * by size and sha256 (`sha256sum` on the host). `overwrite` replaces an existing destination.
   */
  'files.transfers.open': {
    params: z.object({ hostId: HostIdSchema, direction: z.enum(['upload', 'download']), localPath: LocalPathSchema, remotePath: RemotePathSchema, overwrite: z.boolean().optional() }).strict(),
    result: z.object({ id: TransferId })
  },
  /** Cancels a transfer (its temporary file is removed). Unknown or finished ids are not an error. */
  'files.transfers.close': { params: z.object({ id: TransferId }).strict(), result: z.object({ closed: z.literal(true) }) },
  /** Files on the machine Dropdeck runs on, for the headless host's upload picker (the browser cannot give a path). */
  'files.local.list': {
    params: z.object({ path: LocalPathSchema.optional() }).strict(),
    result: z.object({ path: z.string(), entries: z.array(z.object({ name: z.string(), type: FileTypeSchema, size: z.number(), mtime: z.number() })), truncated: z.literal(true).optional(), total: z.number().int().optional() })
  }
} as const

export const filesEvents = {
  /** Progress of a transfer, at most a few times a second. `rate`: bytes per second over the last seconds. */
  'files.transfers.data': z.object({ id: TransferId, bytes: z.number(), total: z.number(), rate: z.number() }),
  /**
   * `queued`, `running`, `reconnecting` (the connection dropped; it resumes from `bytes`), `verifying`
   * (sha256 on both sides), `done` (with `sha256`), `error` (`message`, `code`), `cancelled`.
   */
  'files.transfers.state': z.object({
    id: TransferId,
    state: TransferStateSchema,
    direction: z.enum(['upload', 'download']),
    hostId: z.string(),
    localPath: z.string(),
    remotePath: z.string(),
    bytes: z.number(),
    total: z.number(),
    resumes: z.number().int(),
    sha256: z.string().optional(),
    message: z.string().optional(),
    code: z.string().optional()
  })
} as const
