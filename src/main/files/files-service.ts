/**
 * files.*: browsing over SFTP on the pooled connection (with `sudo -n` reads where SFTP is refused),
 * bookmarks, transfers (the `files.transfers` stream: a queue, progress, resume, verification) and
 * safe edits. Every change made on a host (upload, delete, rename, chmod, mkdir, edit) goes to the
 * audit log.
 */
import { randomUUID } from 'node:crypto'
import { homedir } from 'node:os'
import type { Stats } from 'ssh2'
import { encodeFileListing, type FileEntry, type filesMethods } from '../../shared/contract/files'
import { DropdeckError } from '../../shared/errors'
import type { OpsDeps } from '../app/ops-deps'
import { AuditLog } from '../providers/audit/audit-log'
import type { CallContext } from '../rpc/context'
import type { HandlersFor } from '../rpc/router'
import { BookmarksStore, defaultBookmarks } from './bookmarks-store'
import { listLocalFolder } from './local-listing'
import { explainMissing } from './missing-path'
import { isRootPath, normalRemotePath } from './remote-path'
import { assertDir, listOverSftp, listWithSudo, statOverSftp } from './remote-listing'
import { shellQuote, sudoRefusal } from './remote-shell'
import { SafeEdits } from './safe-edit'
import { sftpCall } from './sftp-call'
import { isNoSuchFile, isPermissionDenied, sftpFailure } from './sftp-errors'
import { SftpSessions } from './sftp-sessions'
import { TransferQueue } from './transfer-queue'
import type { TransferTuning } from './transfer'

export interface FilesTuning extends TransferTuning {
  /** Transfers running at once (default 3); the rest wait in the queue. */
  concurrentTransfers?: number
}

export interface FilesServices {
  handlers: HandlersFor<typeof filesMethods>
  dispose(): Promise<void>
}

export function createFilesServices(deps: OpsDeps, tuning: FilesTuning = {}): FilesServices {
  const sessions = new SftpSessions(deps.ssh.pool)
  const audit = new AuditLog(deps.dataDir, deps.bus, deps.log)
  const bookmarks = new BookmarksStore(deps.dataDir, deps.log)
  const userOf = async (hostId: string) => (await deps.ssh.hosts.resolve(hostId)).user
  const exec = deps.ssh.exec.bind(deps.ssh)
  const edits = new SafeEdits({ sessions, exec, userOf })
  const transfers = new TransferQueue({ sessions, pool: deps.ssh.pool, exec, userOf, tuning }, tuning.concurrentTransfers ?? 3)

  /** `missing`: the path whose absence a NO_SUCH_FILE is explained by (a rename's destination). */
  const failure = async (err: unknown, hostId: string, doing: string, path: string, missing = path) => {
    const e = sftpFailure(err, hostId, await userOf(hostId).catch(() => 'the SSH user'), doing, path)
    if (e.code !== 'NOT_FOUND' || err instanceof DropdeckError) return e
    const why = await sessions.get(hostId).then((sftp) => explainMissing(sftp, missing)).catch(() => undefined)
    return why ? new DropdeckError('NOT_FOUND', `${hostId} could not ${doing} ${path}: ${why}.`, { data: e.data }) : e
  }

  /** Runs one SFTP operation; a refused or failed one becomes an error in the operator's words. */
  async function onSftp<T>(hostId: string, doing: string, path: string, run: (sftp: Awaited<ReturnType<SftpSessions['get']>>) => Promise<T>): Promise<T> {
    const sftp = await sessions.get(hostId)
    try {
      return await run(sftp)
    } catch (err) {
      throw await failure(err, hostId, doing, path)
    }
  }

  async function audited<T>(ctx: CallContext, action: string, hostId: string, target: string, run: () => Promise<T>, message?: (r: T) => string): Promise<T> {
    try {
      const result = await run()
      await audit.append(ctx, { action, target: `${hostId}:${target}`, result: 'ok', ...(message ? { message: message(result) } : {}) })
      return result
    } catch (err) {
      await audit.append(ctx, { action, target: `${hostId}:${target}`, result: 'error', message: (err as Error).message })
      throw err
    }
  }

  async function list(hostId: string, path: string) {
    const sftp = await sessions.get(hostId)
    try {
      return { path, entries: await listOverSftp(sftp, path), access: 'sftp' as const }
    } catch (err) {
      if (!isPermissionDenied(err)) {
        if ((err as { code?: unknown }).code === 4) {
          // FAILURE on readdir: often "not a directory"
          const st = await statOverSftp(sftp, path).catch(() => undefined)
          if (st) assertDir(st, hostId, path)
        }
        throw await failure(err, hostId, 'read the folder', path)
      }
      const refused = await failure(err, hostId, 'read the folder', path)
      const viaSudo = await listWithSudo(exec, hostId, path)
      if (viaSudo.ok) return { path, entries: viaSudo.entries, access: 'sudo' as const }
      throw new DropdeckError('PERMISSION_DENIED', `${refused.message} ${sudoRefusal(viaSudo.result).replace(/^./, (c) => c.toUpperCase())}.`, { data: refused.data })
    }
  }

  async function statEntry(hostId: string, path: string): Promise<FileEntry> {
    return onSftp(hostId, 'look at', path, (sftp) => statOverSftp(sftp, path))
  }

  async function remove(hostId: string, path: string, confirm: string | undefined): Promise<void> {
    if (isRootPath(path)) throw new DropdeckError('BAD_REQUEST', 'The root folder cannot be deleted from Dropdeck.')
    const entry = await statEntry(hostId, path)
    if (entry.type === 'dir') {
      if (confirm !== entry.name) {
        throw new DropdeckError('CONFIRMATION_REQUIRED', `Deleting the folder ${path} on ${hostId} deletes everything in it and cannot be undone: type its name, ${entry.name}, to confirm.`, { data: { expected: entry.name } })
      }
      // A tree over SFTP is one round trip per entry; rm -r on the host is one command.
      const r = await exec(hostId, `rm -rf -- ${shellQuote(path)}`, { timeoutMs: 600_000 })
      if (r.code !== 0) {
        const user = await userOf(hostId)
        const denied = /Permission denied|Operation not permitted/.test(r.stderr)
        throw new DropdeckError(denied ? 'PERMISSION_DENIED' : 'UPSTREAM', denied ? `${user} on ${hostId} is not allowed to delete everything in ${path} (${r.stderr.trim().split('\n')[0]}); part of it may already be gone.` : `rm -r ${path} failed on ${hostId}: ${r.stderr.trim().split('\n')[0]}`, { data: { path } })
      }
      return
    }
    await onSftp(hostId, 'delete', path, (sftp) => sftpCall((cb) => sftp.unlink(path, cb)))
  }

  async function rename(hostId: string, from: string, to: string): Promise<FileEntry> {
    if (isRootPath(from)) throw new DropdeckError('BAD_REQUEST', 'The root folder cannot be renamed from Dropdeck.')
    await onSftp(hostId, 'rename', from, async (sftp) => {
      const there = await sftpCall<Stats>((cb) => sftp.lstat(to, cb)).catch((err) => (isNoSuchFile(err) ? undefined : Promise.reject(err)))
      if (there) throw new DropdeckError('BAD_REQUEST', `${to} already exists on ${hostId}; rename it or delete it first.`, { data: { path: to } })
      await sftpCall((cb) => sftp.rename(from, to, cb)).catch(async (err) => {
        // NO_SUCH_FILE names neither end: when the source is there, it is the destination's folder.
        if (!isNoSuchFile(err) || !(await sftpCall<Stats>((cb) => sftp.lstat(from, cb)).then(() => true, () => false))) throw err
        throw await failure(err, hostId, `move ${from} to`, to)
      })
    })
    return statEntry(hostId, to)
  }

  async function hostBookmarks(hostId: string) {
    const stored = await bookmarks.stored(hostId)
    if (stored) return stored
    await deps.ssh.hosts.get(hostId)
    const opt = await sessions
      .get(hostId)
      .then((sftp) => listOverSftp(sftp, '/opt'))
      .then((entries) => entries.filter((e) => e.type === 'dir').map((e) => e.name))
      .catch(() => [])
    return defaultBookmarks(opt)
  }

  const handlers: HandlersFor<typeof filesMethods> = {
    'files.list': async ({ hostId, path: raw }) => {
      const path = normalRemotePath(raw)
      const listing = await list(hostId, path)
      return encodeFileListing(listing.path, listing.access, listing.entries)
    },
    'files.stat': async ({ hostId, path }) => statEntry(hostId, normalRemotePath(path)),
    'files.home': async ({ hostId }) => ({ path: await onSftp(hostId, 'find the home folder', '.', (sftp) => sftpCall<string>((cb) => sftp.realpath('.', cb))) }),
    'files.mkdir': async ({ hostId, path: raw }, ctx) => {
      const path = normalRemotePath(raw)
      return audited(ctx, 'files.mkdir', hostId, path, async () => {
        await onSftp(hostId, 'create the folder', path, (sftp) => sftpCall((cb) => sftp.mkdir(path, cb)))
        return statEntry(hostId, path)
      })
    },
    'files.rename': async ({ hostId, from: rawFrom, to: rawTo }, ctx) => {
      const [from, to] = [normalRemotePath(rawFrom), normalRemotePath(rawTo)]
      return audited(ctx, 'files.rename', hostId, `${from} -> ${to}`, () => rename(hostId, from, to))
    },
    'files.delete': async ({ hostId, path: raw, confirm }, ctx) => {
      const path = normalRemotePath(raw)
      try {
        await remove(hostId, path, confirm)
      } catch (err) {
        // An unconfirmed folder delete changed nothing: not an audit entry.
        if (!(err instanceof DropdeckError && err.code === 'CONFIRMATION_REQUIRED')) await audit.append(ctx, { action: 'files.delete', target: `${hostId}:${path}`, result: 'error', message: (err as Error).message })
        throw err
      }
      await audit.append(ctx, { action: 'files.delete', target: `${hostId}:${path}`, result: 'ok' })
      return { deleted: true as const }
    },
    'files.chmod': async ({ hostId, path: raw, mode }, ctx) => {
      const path = normalRemotePath(raw)
      return audited(ctx, 'files.chmod', hostId, path, async () => {
        await onSftp(hostId, 'change the mode of', path, (sftp) => sftpCall((cb) => sftp.chmod(path, mode, cb)))
        return statEntry(hostId, path)
      }, () => `mode ${mode.toString(8).padStart(4, '0')}`)
    },
    'files.bookmarks.list': async ({ hostId }) => ({ bookmarks: await hostBookmarks(hostId) }),
    'files.bookmarks.set': async ({ hostId, bookmarks: list }) => {
      await deps.ssh.hosts.get(hostId)
      return { bookmarks: await bookmarks.set(hostId, list) }
    },
    'files.read': async ({ hostId, path }) => edits.read(hostId, normalRemotePath(path)),
    'files.save': async ({ hostId, path: raw, content, expected, dryRun }, ctx) => {
      const path = normalRemotePath(raw)
      if (dryRun) return edits.save(hostId, path, content, expected, true)
      try {
        const result = await edits.save(hostId, path, content, expected, false)
        if (result.saved) {
          await audit.append(ctx, { action: 'files.edit', target: `${hostId}:${path}`, result: 'ok', message: `diff +${result.added} -${result.removed} lines (${Buffer.byteLength(result.diff)} bytes); backup ${result.backupPath}${result.validation ? `; ${result.validation.validator} check passed` : ''}` })
        }
        return result
      } catch (err) {
        const data = (err as DropdeckError).data as { diffLines?: { added: number; removed: number } } | undefined
        const size = data?.diffLines ? `diff +${data.diffLines.added} -${data.diffLines.removed} lines; ` : ''
        await audit.append(ctx, { action: 'files.edit', target: `${hostId}:${path}`, result: 'error', message: `${size}${(err as Error).message}` })
        throw err
      }
    },
    'files.transfers.open': async (raw, ctx) => {
      const params = { ...raw, remotePath: normalRemotePath(raw.remotePath) }
      if (params.remotePath === '/') throw new DropdeckError('BAD_REQUEST', 'The root folder cannot be a transfer\'s destination or source; choose a folder or file below it.')
      await deps.ssh.hosts.get(params.hostId) // NOT_FOUND before anything is queued
      const id = randomUUID()
      const ownership = ctx.own({ dispose: () => transfers.cancel(id) }, id)
      transfers.add(id, params, {
        progress: (bytes, total, rate) => ctx.emit('files.transfers.data', { id, bytes, total, rate }),
        state: (s) => {
          ctx.emit('files.transfers.state', { id, direction: params.direction, hostId: params.hostId, localPath: params.localPath, remotePath: params.remotePath, ...s })
          if (s.state === 'done' || s.state === 'error' || s.state === 'cancelled') {
            ownership.release()
            if (params.direction === 'upload' && s.state !== 'cancelled') {
              void audit.append(ctx, { action: 'files.upload', target: `${params.hostId}:${params.remotePath}`, result: s.state === 'done' ? 'ok' : 'error', message: s.state === 'done' ? `${s.total} bytes from ${params.localPath}, sha256 ${s.sha256}${s.resumes ? `, resumed ${s.resumes}x` : ''}` : s.message })
            }
          }
        }
      })
      return { id }
    },
    'files.transfers.close': ({ id }, ctx) => {
      if (ctx.owns(id)) transfers.cancel(id) // another client's transfer is closed as an unknown one: not at all
      return { closed: true as const }
    },
    'files.local.list': ({ path }) => listLocalFolder(path ?? homedir())
  }

  return {
    handlers,
    dispose: async () => {
      transfers.dispose()
      sessions.dispose()
    }
  }
}
