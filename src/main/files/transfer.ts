/**
 * One upload or download over the host's SFTP session, pipelined (many reads or writes in flight on
 * the one channel, as OpenSSH's sftp does), resumable, verified:
 * - a download lands in `<file>.part` and is renamed to its name only after its size and sha256 match
 *   the host's (`sha256sum`); an upload lands in `.<name>.dropdeck-upload` beside its destination and is
 *   renamed over it (posix-rename) only once verified;
 * - when the connection drops, the transfer waits for the pool to bring it back (it retains the host
 *   meanwhile), then starts again from the first byte not yet confirmed, on a new SFTP session;
 * - cancel stops the requests and removes the temporary file.
 */
import { createHash, randomBytes } from 'node:crypto'
import { constants, createReadStream } from 'node:fs'
import { lstat, mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { SFTPWrapper, Stats } from 'ssh2'
import type { TransferState } from '../../shared/contract/files'
import { DropdeckError } from '../../shared/errors'
import { ByteRanges } from './byte-ranges'
import { remoteSha256, type Exec } from './remote-shell'
import { sftpCall } from './sftp-call'
import { isNoSuchFile, isPermissionDenied, sftpFailure } from './sftp-errors'
import type { SftpSessions } from './sftp-sessions'
import { TransferRate } from './transfer-rate'

export interface TransferParams {
  hostId: string
  direction: 'upload' | 'download'
  localPath: string
  remotePath: string
  overwrite?: boolean
}

export interface TransferTuning {
  /** How often progress is sent while running (default 250 ms). */
  progressIntervalMs?: number
  /** How long a dropped connection is waited for before the transfer fails (default 5 min). */
  reconnectWaitMs?: number
  /** Bytes per SFTP request and requests in flight (default 64 KiB x 32). */
  chunkSize?: number
  inFlight?: number
}

export interface TransferDeps {
  sessions: SftpSessions
  pool: { retain(hostId: string): () => void; waitReady(hostId: string, timeoutMs: number): Promise<unknown> }
  exec: Exec
  userOf(hostId: string): Promise<string>
  tuning?: TransferTuning
}

export interface TransferSnapshot {
  state: TransferState
  bytes: number
  total: number
  resumes: number
  sha256?: string
  message?: string
  code?: string
}

export interface TransferEvents {
  progress(bytes: number, total: number, rate: number): void
  state(snapshot: TransferSnapshot): void
}

const MAX_RESUMES = 50

class Cancelled extends Error {}

/** The connection (not the file) failed: worth waiting for the pool and resuming. */
function isDrop(err: unknown): boolean {
  if (err instanceof DropdeckError) return err.retryable
  if (err instanceof Cancelled) return false
  const code = (err as { code?: unknown })?.code
  // SFTP status codes (numbers) are the server's answer about the file; anything else is the channel.
  return typeof code !== 'number' || /connection|channel|closed|No response/i.test((err as Error).message)
}

/** A fresh random suffix each time, and the file is created exclusively: nothing planted at the name is followed. */
export function uploadTempPath(remotePath: string): string {
  return `${dirname(remotePath)}/.${basename(remotePath)}.dropdeck-upload-${randomBytes(6).toString('hex')}`
}

const S_IFMT = 0o170000
const S_IFREG = 0o100000

export function downloadPartPath(localPath: string): string {
  return `${localPath}.part`
}

export class Transfer {
  state: TransferState = 'queued'
  bytes = 0
  total = 0
  resumes = 0
  sha256?: string
  private cancelled = false
  private readonly ranges = new ByteRanges()
  private readonly rate = new TransferRate()
  private abortCurrent?: () => void
  /** Bytes of the files already copied and verified (a folder), and the file being copied. */
  private doneBytes = 0
  private current?: FileJob
  /** The current upload's temporary name (random, so cleanup must remember it). */
  private currentTemp?: string
  /** The current download's .part once this transfer created it (a refused one is not removed). */
  private currentPart?: string
  private verifiedFiles = 0

  constructor(
    readonly id: string,
    readonly params: TransferParams,
    private readonly deps: TransferDeps,
    private readonly events: TransferEvents
  ) {}

  private get chunk(): number {
    return this.deps.tuning?.chunkSize ?? 64 * 1024
  }

  private get inFlight(): number {
    return this.deps.tuning?.inFlight ?? 32
  }

  snapshot(extra: Partial<TransferSnapshot> = {}): TransferSnapshot {
    return { state: this.state, bytes: this.bytes, total: this.total, resumes: this.resumes, ...(this.sha256 ? { sha256: this.sha256 } : {}), ...extra }
  }

  private setState(state: TransferState, extra: Partial<TransferSnapshot> = {}): void {
    this.state = state
    this.events.state(this.snapshot(extra))
  }

  cancel(): void {
    if (this.state === 'done' || this.state === 'error' || this.state === 'cancelled') return
    this.cancelled = true
    this.abortCurrent?.()
    if (this.state === 'queued') this.setState('cancelled')
  }

  /** Runs to the end; never throws (the outcome is the final state). */
  async run(): Promise<TransferSnapshot> {
    if (this.cancelled) return this.snapshot()
    const release = this.deps.pool.retain(this.params.hostId)
    const interval = this.deps.tuning?.progressIntervalMs ?? 250
    const timer = setInterval(() => this.progress(), interval)
    try {
      this.setState('running')
      await this.copyAll()
      this.progress()
      this.setState('done', this.verifiedFiles ? { message: `${this.verifiedFiles} files, each verified by size and sha256.` } : {})
    } catch (err) {
      this.progress()
      await this.cleanup().catch(() => undefined)
      if (this.cancelled || err instanceof Cancelled) this.setState('cancelled')
      else {
        const e = err instanceof DropdeckError ? err : sftpFailure(err, this.params.hostId, await this.deps.userOf(this.params.hostId).catch(() => 'the SSH user'), this.params.direction === 'upload' ? 'write' : 'read', this.params.remotePath)
        this.setState('error', { message: e.message, code: e.code })
      }
    } finally {
      clearInterval(timer)
      release()
    }
    return this.snapshot()
  }

  private progress(): void {
    this.bytes = this.doneBytes + this.ranges.contiguous
    this.events.progress(this.bytes, this.total, this.rate.sample(this.bytes))
  }

  private check(): void {
    if (this.cancelled) throw new Cancelled('cancelled')
  }

  /** Runs `copy` from the first unconfirmed byte; on a dropped connection waits for it and runs it again. */
  private async resumable(copy: (sftp: SFTPWrapper, from: number) => Promise<void>): Promise<void> {
    for (;;) {
      this.check()
      try {
        const sftp = await this.deps.sessions.get(this.params.hostId)
        await copy(sftp, this.ranges.contiguous)
        return
      } catch (err) {
        this.check()
        if (!isDrop(err) || this.resumes >= MAX_RESUMES) throw err
        this.progress()
        this.setState('reconnecting', { message: `The connection to ${this.params.hostId} dropped at byte ${this.ranges.contiguous}${this.current && this.current.remote !== this.params.remotePath ? ` of ${this.current.remote}` : ''}; resuming from there once it is back.` })
        await this.deps.pool.waitReady(this.params.hostId, this.deps.tuning?.reconnectWaitMs ?? 300_000)
        this.check()
        this.resumes++
        this.rate.restart()
        this.setState('running')
      }
    }
  }

  /** What this transfer copies: one file, or every file of a folder (the folders are created first). */
  private async plan(): Promise<{ dirs: string[]; files: FileJob[]; folder: boolean }> {
    const { hostId, remotePath, localPath, direction, overwrite } = this.params
    const sftp = await this.deps.sessions.get(hostId)
    if (direction === 'download') {
      const st = await sftpCall<Stats>((cb) => sftp.stat(remotePath, cb))
      if (!overwrite && (await exists(localPath))) throw new DropdeckError('BAD_REQUEST', `${localPath} already exists here; choose another name or allow overwriting.`, { data: { path: localPath } })
      if ((st.mode & 0o170000) === 0o040000) {
        const tree = await remoteTree(sftp, remotePath, localPath)
        return { ...tree, folder: true }
      }
      if ((st.mode & 0o170000) !== 0o100000) throw new DropdeckError('BAD_REQUEST', `${remotePath} on ${hostId} is neither a file nor a folder.`)
      return { dirs: [], files: [{ local: localPath, remote: remotePath, size: st.size, mode: st.mode & 0o777 }], folder: false }
    }
    const st = await stat(localPath).catch((err: NodeJS.ErrnoException) => {
      throw new DropdeckError(err.code === 'ENOENT' ? 'NOT_FOUND' : 'BAD_REQUEST', `${localPath} cannot be read here (${err.code ?? err.message}).`)
    })
    if (!overwrite) {
      const there = await sftpCall<Stats>((cb) => sftp.lstat(remotePath, cb)).catch((err) => (isNoSuchFile(err) ? undefined : Promise.reject(err)))
      if (there) throw new DropdeckError('BAD_REQUEST', `${remotePath} already exists on ${hostId}; choose another name or allow overwriting.`, { data: { path: remotePath } })
    }
    if (st.isDirectory()) return { ...(await localTree(localPath, remotePath)), folder: true }
    if (!st.isFile()) throw new DropdeckError('BAD_REQUEST', `${localPath} is neither a file nor a folder.`)
    return { dirs: [], files: [{ local: localPath, remote: remotePath, size: st.size, mode: st.mode & 0o777 }], folder: false }
  }

  private async copyAll(): Promise<void> {
    const { dirs, files, folder } = await this.plan()
    this.total = files.reduce((sum, f) => sum + f.size, 0)
    for (const dir of dirs) {
      this.check()
      if (this.params.direction === 'download') await mkdir(dir, { recursive: true })
      else {
        const sftp = await this.deps.sessions.get(this.params.hostId)
        await sftpCall((cb) => sftp.mkdir(dir, cb)).catch(async (err) => {
          const st = await sftpCall<Stats>((cb) => sftp.stat(dir, cb)).catch(() => undefined)
          if (!st || (st.mode & 0o170000) !== 0o040000) throw err
        })
      }
    }
    for (const file of files) {
      this.check()
      this.current = file
      this.ranges.reset(0)
      const hash = this.params.direction === 'download' ? await this.downloadFile(file) : await this.uploadFile(file)
      this.doneBytes += file.size
      this.ranges.reset(0)
      this.current = undefined
      this.currentTemp = undefined
      this.currentPart = undefined
      if (!folder) this.sha256 = hash
      else this.verifiedFiles++
    }
  }

  private async downloadFile(file: FileJob): Promise<string> {
    const { hostId } = this.params
    const part = downloadPartPath(file.local)
    const local = await openPart(part)
    this.currentPart = part
    try {
      await this.resumable(async (sftp, from) => {
        await local.truncate(from)
        this.ranges.reset(from)
        const handle = await sftpCall<Buffer>((cb) => sftp.open(file.remote, 'r', cb))
        try {
          await this.pipeline(from, file, (pos, len) => readInto(sftp, handle, local, pos, len))
        } finally {
          sftp.close(handle, () => undefined)
        }
      })
      await local.sync()
    } finally {
      await local.close()
    }
    this.setState('verifying')
    const [mine, theirs] = await Promise.all([localSha256(part), remoteSha256(this.deps.exec, hostId, file.remote)])
    const size = (await stat(part)).size
    if (size !== file.size || mine !== theirs) {
      throw new DropdeckError('UPSTREAM', `The download of ${file.remote} does not match the file on ${hostId} (${size} of ${file.size} bytes, sha256 ${mine.slice(0, 12)}… here, ${theirs.slice(0, 12)}… there); the file may have changed while it was copied. Download it again.`, { data: { size, total: file.size } })
    }
    this.check()
    // rename() moves the name itself (a symlink at either end is replaced, never followed); the lstat
    // makes sure the .part is still the file written above.
    const [written, now] = await Promise.all([stat(part), lstat(part)])
    if (!now.isFile() || now.ino !== written.ino) throw new DropdeckError('BAD_REQUEST', `${part} was replaced while it was downloaded; nothing was renamed. Remove it and download again.`)
    await rename(part, file.local)
    this.setState('running')
    return mine
  }

  private async uploadFile(file: FileJob): Promise<string> {
    const { hostId } = this.params
    const temp = uploadTempPath(file.remote)
    this.currentTemp = temp
    const local = await open(file.local, 'r').catch((err: NodeJS.ErrnoException) => {
      throw new DropdeckError(err.code === 'ENOENT' ? 'NOT_FOUND' : 'BAD_REQUEST', `${file.local} cannot be read here (${err.code ?? err.message}).`)
    })
    try {
      let fresh = true
      await this.resumable(async (sftp, from) => {
        // The first time the temporary file starts empty; after a drop it is reopened and cut back to
        // the last confirmed byte (writes past it may or may not have landed).
        // 'wx' is CREAT|EXCL: a name that exists (a planted symlink) fails instead of being followed.
        if (!fresh) await assertRemoteRegular(sftp, temp, hostId)
        const handle = await sftpCall<Buffer>((cb) => sftp.open(temp, fresh ? 'wx' : 'r+', { mode: file.mode }, cb))
        fresh = false
        try {
          await sftpCall((cb) => sftp.fsetstat(handle, { size: from } as never, cb))
          this.ranges.reset(from)
          await this.pipeline(from, file, (pos, len) => writeFrom(sftp, handle, local, pos, len))
        } finally {
          sftp.close(handle, () => undefined)
        }
      })
    } finally {
      await local.close()
    }
    this.setState('verifying')
    const [mine, theirs] = await Promise.all([localSha256(file.local), remoteSha256(this.deps.exec, hostId, temp)])
    const sftp = await this.deps.sessions.get(hostId)
    const size = (await assertRemoteRegular(sftp, temp, hostId)).size
    if (size !== file.size || mine !== theirs) {
      throw new DropdeckError('UPSTREAM', `The upload to ${file.remote} does not match ${file.local} (${size} of ${file.size} bytes, sha256 ${theirs.slice(0, 12)}… there, ${mine.slice(0, 12)}… here); nothing was replaced. Upload it again.`, { data: { size, total: file.size } })
    }
    this.check()
    await sftpCall((cb) => sftp.ext_openssh_rename(temp, file.remote, cb))
    this.setState('running')
    return mine
  }

  /** Keeps `inFlight` pieces of [from, file.size) moving; each piece's landed bytes are recorded in `ranges`. */
  private pipeline(from: number, file: FileJob, move: (pos: number, len: number) => Promise<number>): Promise<void> {
    const total = file.size
    return new Promise<void>((resolve, reject) => {
      let next = from
      let active = 0
      let failed = false
      const retry: Array<[number, number]> = []
      const fail = (err: unknown) => {
        if (failed) return
        failed = true
        this.abortCurrent = undefined
        reject(err)
      }
      this.abortCurrent = () => fail(new Cancelled('cancelled'))
      const pump = () => {
        while (!failed && active < this.inFlight && (retry.length || next < total)) {
          const [pos, len] = retry.shift() ?? [next, Math.min(this.chunk, total - next)]
          if (pos === next) next += len
          active++
          move(pos, len).then(
            (n) => {
              active--
              if (failed) return
              if (n <= 0) return fail(new DropdeckError('UPSTREAM', `${file.remote} ended at byte ${pos} instead of ${total}: it changed while it was copied. Try again.`))
              this.ranges.add(pos, pos + n)
              if (n < len) retry.push([pos + n, len - n])
              if (active === 0 && !retry.length && next >= total) {
                this.abortCurrent = undefined
                return resolve()
              }
              pump()
            },
            (err) => {
              active--
              fail(err)
            }
          )
        }
        if (!failed && active === 0 && next >= total && !retry.length) {
          this.abortCurrent = undefined
          resolve()
        }
      }
      pump()
    })
  }

  /** After a failure or cancel: the file being copied leaves no temporary file (finished files of a folder stay, verified). */
  private async cleanup(): Promise<void> {
    const file = this.current
    if (!file) return
    if (this.params.direction === 'download') {
      if (this.currentPart) await rm(this.currentPart, { force: true })
      return
    }
    const temp = this.currentTemp
    if (!temp) return
    const sftp = await this.deps.sessions.get(this.params.hostId)
    await sftpCall((cb) => sftp.unlink(temp, cb)).catch((err) => (isNoSuchFile(err) || isPermissionDenied(err) ? undefined : Promise.reject(err)))
  }
}

/** The upload's temporary file, looked at without following: a symlink or anything but a file is refused. */
async function assertRemoteRegular(sftp: SFTPWrapper, temp: string, hostId: string): Promise<Stats> {
  const st = await sftpCall<Stats>((cb) => sftp.lstat(temp, cb))
  if ((st.mode & S_IFMT) !== S_IFREG) throw new DropdeckError('BAD_REQUEST', `${temp} on ${hostId} is no longer a plain file (something replaced it, perhaps a symlink); nothing was written through it. Upload again.`, { data: { path: temp } })
  return st
}

/**
 * The download's `.part`, created exclusively and never through a symlink (O_EXCL|O_NOFOLLOW). A plain
 * file left by an earlier attempt is removed first; a symlink or anything else there is refused.
 */
async function openPart(part: string): Promise<FileHandle> {
  const there = await lstat(part).catch(() => undefined)
  if (there && !there.isFile()) throw new DropdeckError('BAD_REQUEST', `${part} already exists here and is ${there.isSymbolicLink() ? 'a symlink' : 'not a plain file'}; nothing was written through it. Remove it, then download again.`, { data: { path: part } })
  if (there) await rm(part)
  return open(part, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600).catch((err: NodeJS.ErrnoException) => {
    throw new DropdeckError('BAD_REQUEST', `${part} cannot be created here (${err.code ?? err.message}); remove whatever is at that name, then download again.`, { data: { path: part } })
  })
}

interface FileJob {
  local: string
  remote: string
  size: number
  mode: number
}

/** A local folder's files and folders (symlinks and special files are left out), mapped under `remoteRoot`. */
async function localTree(localRoot: string, remoteRoot: string): Promise<{ dirs: string[]; files: FileJob[] }> {
  const dirs = [remoteRoot]
  const files: FileJob[] = []
  const walk = async (local: string, remote: string) => {
    for (const d of await readdir(local, { withFileTypes: true })) {
      const l = join(local, d.name)
      const r = `${remote}/${d.name}`
      if (d.isDirectory()) {
        dirs.push(r)
        await walk(l, r)
      } else if (d.isFile()) {
        const st = await stat(l)
        files.push({ local: l, remote: r, size: st.size, mode: st.mode & 0o777 })
      }
    }
  }
  await walk(localRoot, remoteRoot)
  return { dirs, files }
}

/** A remote folder's files and folders over SFTP (symlinks and special files are left out), mapped under `localRoot`. */
async function remoteTree(sftp: SFTPWrapper, remoteRoot: string, localRoot: string): Promise<{ dirs: string[]; files: FileJob[] }> {
  const dirs = [localRoot]
  const files: FileJob[] = []
  const walk = async (remote: string, local: string) => {
    const list = await sftpCall<Array<{ filename: string; attrs: Stats }>>((cb) => sftp.readdir(remote, cb as never))
    for (const e of list) {
      if (e.filename === '.' || e.filename === '..') continue
      const type = e.attrs.mode & 0o170000
      const r = `${remote}/${e.filename}`
      const l = join(local, e.filename)
      if (type === 0o040000) {
        dirs.push(l)
        await walk(r, l)
      } else if (type === 0o100000) files.push({ local: l, remote: r, size: e.attrs.size, mode: e.attrs.mode & 0o777 })
    }
  }
  await walk(remoteRoot, localRoot)
  return { dirs, files }
}

function readInto(sftp: SFTPWrapper, handle: Buffer, local: FileHandle, pos: number, len: number): Promise<number> {
  const buf = Buffer.allocUnsafe(len)
  return new Promise<number>((resolve, reject) => {
    sftp.read(handle, buf, 0, len, pos, (err, n) => {
      if (err) return reject(err)
      if (!n) return resolve(0)
      local.write(buf, 0, n, pos).then(() => resolve(n), reject)
    })
  })
}

async function writeFrom(sftp: SFTPWrapper, handle: Buffer, local: FileHandle, pos: number, len: number): Promise<number> {
  const buf = Buffer.allocUnsafe(len)
  const { bytesRead } = await local.read(buf, 0, len, pos)
  if (bytesRead === 0) return 0
  await sftpCall((cb) => sftp.write(handle, buf, 0, bytesRead, pos, cb))
  return bytesRead
}

export function localSha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(path)
      .on('data', (c) => hash.update(c))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')))
  })
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}
