/**
 * Editing a config file on a host without breaking it:
 * - `read` gives the text with the version (sha256, size, mtime) a save is checked against;
 * - `save` refuses (FILE_CHANGED) when the host's file is no longer that version, keeps a timestamped
 *   backup, writes the new text to a temporary name beside the file with the same mode (and owner and
 *   group) and renames it over the file (atomic: readers see the old or the new file, never half), then
 *   runs the file's validator; a failed validation puts the old content back the same way.
 * A symlink (sites-enabled -> sites-available) is edited where it points, so the link stays a link.
 */
import { createHash, randomBytes } from 'node:crypto'
import { basename, dirname } from 'node:path'
import type { SFTPWrapper, Stats } from 'ssh2'
import type { Result } from '../../shared/contract'
import type { FileVersion, Validator } from '../../shared/contract/files'
import { DropdeckError } from '../../shared/errors'
import { explainMissing } from './missing-path'
import { namesFromLongname } from './remote-listing'
import { firstLine, isSudoRefusal, shellQuote, sudoRefusal, sudoTool, type Exec } from './remote-shell'
import { sftpCall } from './sftp-call'
import { isPermissionDenied, sftpFailure } from './sftp-errors'
import type { SftpSessions } from './sftp-sessions'
import { textDiff } from './text-diff'
import { nginxConfCandidates, reloadFor, validatorCommand, validatorFor } from './validators'

export const MAX_EDIT_BYTES = 5_000_000
const VALIDATE_TIMEOUT_MS = 60_000

export interface EditDeps {
  sessions: SftpSessions
  exec: Exec
  userOf(hostId: string): Promise<string>
}

interface Current {
  /** The file itself (a symlink resolved). */
  real: string
  bytes: Buffer
  text: string
  version: FileVersion
  attrs: Stats
  owner: string
  group: string
  access: 'sftp' | 'sudo'
}

export function versionOf(bytes: Buffer, mtimeSeconds: number): FileVersion {
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, mtime: mtimeSeconds * 1000 }
}

function decodeText(bytes: Buffer, hostId: string, path: string): string {
  if (bytes.includes(0)) throw new DropdeckError('BAD_REQUEST', `${path} on ${hostId} is a binary file; download it instead of editing it here.`)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new DropdeckError('BAD_REQUEST', `${path} on ${hostId} is not UTF-8 text; download it instead of editing it here.`)
  }
}

/** 20260106T013000123Z: sorts by time (to the millisecond), no characters a shell or a glob would read. */
function stamp(d = new Date()): string {
  return d.toISOString().replace(/[-:.]/g, '')
}

function changed(hostId: string, path: string, current: FileVersion, expected: FileVersion): DropdeckError {
  return new DropdeckError('FILE_CHANGED', `${path} changed on ${hostId} since it was opened (now ${current.size} bytes, modified ${new Date(current.mtime).toISOString()}); nothing was written. Reopen it to see the new content and make the edit again.`, {
    data: { path, current, expected }
  })
}

export class SafeEdits {
  /** The save running (or last queued) per host and path: saves of one file take turns. */
  private readonly saving = new Map<string, Promise<unknown>>()

  constructor(private readonly deps: EditDeps) {}

  private async failure(err: unknown, hostId: string, doing: string, path: string): Promise<DropdeckError> {
    const e = sftpFailure(err, hostId, await this.deps.userOf(hostId).catch(() => 'the SSH user'), doing, path)
    if (e.code !== 'NOT_FOUND' || err instanceof DropdeckError) return e
    const why = await this.deps.sessions.get(hostId).then((sftp) => explainMissing(sftp, path)).catch(() => undefined)
    return why ? new DropdeckError('NOT_FOUND', `${hostId} could not ${doing} ${path}: ${why}.`, { data: e.data }) : e
  }

  private async current(hostId: string, path: string): Promise<Current> {
    const sftp = await this.deps.sessions.get(hostId)
    let real: string
    let attrs: Stats
    try {
      real = await sftpCall<string>((cb) => sftp.realpath(path, cb))
      attrs = await sftpCall<Stats>((cb) => sftp.stat(real, cb))
    } catch (err) {
      if (isPermissionDenied(err)) return this.currentWithSudo(hostId, path, await this.failure(err, hostId, 'read', path))
      throw await this.failure(err, hostId, 'read', path)
    }
    if ((attrs.mode & 0o170000) !== 0o100000) throw new DropdeckError('BAD_REQUEST', `${path} on ${hostId} is not a file.`)
    if (attrs.size > MAX_EDIT_BYTES) throw new DropdeckError('BAD_REQUEST', `${path} on ${hostId} is ${attrs.size} bytes, over the ${MAX_EDIT_BYTES} bytes Dropdeck edits in place; download it instead.`)
    let bytes: Buffer
    try {
      bytes = await sftpCall<Buffer>((cb) => sftp.readFile(real, cb))
    } catch (err) {
      if (isPermissionDenied(err)) return this.currentWithSudo(hostId, real, await this.failure(err, hostId, 'read', path))
      throw await this.failure(err, hostId, 'read', path)
    }
    const names = await ownerNames(sftp, real)
    return { real, bytes, text: decodeText(bytes, hostId, path), version: versionOf(bytes, attrs.mtime), attrs, owner: names.owner ?? String(attrs.uid), group: names.group ?? String(attrs.gid), access: 'sftp' }
  }

  /** SFTP was refused: `sudo -n` reads it where a NOPASSWD rule allows (base64, so the bytes survive the text channel). */
  private async currentWithSudo(hostId: string, path: string, refused: DropdeckError): Promise<Current> {
    const q = shellQuote(path)
    const st = await this.deps.exec(hostId, sudoTool('stat', `-L -c '%s %Y %f %u %g %U %G %n' -- ${q}`), { timeoutMs: 30_000 })
    if (st.code !== 0) {
      if (isSudoRefusal(st)) throw new DropdeckError('PERMISSION_DENIED', `${refused.message} ${capitalize(sudoRefusal(st))}.`, { data: refused.data })
      throw new DropdeckError('UPSTREAM', `stat ${path} failed on ${hostId}: ${firstLine(st.stderr)}`)
    }
    const [size, mtime, rawMode, uid, gid, owner, group] = st.stdout.trim().split(' ')
    const mode = parseInt(rawMode, 16)
    if ((mode & 0o170000) !== 0o100000) throw new DropdeckError('BAD_REQUEST', `${path} on ${hostId} is not a file.`)
    if (Number(size) > MAX_EDIT_BYTES) throw new DropdeckError('BAD_REQUEST', `${path} on ${hostId} is ${size} bytes, over the ${MAX_EDIT_BYTES} bytes Dropdeck edits in place.`)
    const r = await this.deps.exec(hostId, `${sudoTool('cat', `-- ${q}`)} | base64`, { timeoutMs: 60_000 })
    if (r.code !== 0) throw new DropdeckError('PERMISSION_DENIED', `${refused.message} ${capitalize(sudoRefusal(r))}.`, { data: refused.data })
    const bytes = Buffer.from(r.stdout.replace(/\s+/g, ''), 'base64')
    const attrs = { mode, uid: Number(uid), gid: Number(gid), size: Number(size), mtime: Number(mtime), atime: Number(mtime) } as Stats
    return { real: path, bytes, text: decodeText(bytes, hostId, path), version: versionOf(bytes, Number(mtime)), attrs, owner, group, access: 'sudo' }
  }

  /** The nginx.conf of the tree the file is in, if any (outside /etc/nginx, where nginx's own is used). */
  private async nginxConf(hostId: string, real: string): Promise<string | undefined> {
    if (real.startsWith('/etc/nginx/')) return '/etc/nginx/nginx.conf'
    const sftp = await this.deps.sessions.get(hostId)
    for (const candidate of nginxConfCandidates(real)) {
      const found = await sftpCall<Stats>((cb) => sftp.stat(candidate, cb)).then(() => true, () => false)
      if (found) return candidate
    }
    return undefined
  }

  async read(hostId: string, path: string): Promise<Result<'files.read'>> {
    const cur = await this.current(hostId, path)
    const validator = validatorFor(cur.real, await this.nginxConf(hostId, cur.real))
    return { path, content: cur.text, version: cur.version, mode: cur.attrs.mode & 0o7777, owner: cur.owner, group: cur.group, validator, access: cur.access }
  }

  /**
   * Two saves of one file at once take turns, so the second sees the first's result and gets
   * FILE_CHANGED instead of silently replacing it (the version check and the rename would otherwise
   * interleave).
   */
  async save(hostId: string, path: string, content: string, expected: FileVersion, dryRun: boolean): Promise<Result<'files.save'>> {
    if (dryRun) return this.saveInTurn(hostId, path, content, expected, true)
    const key = `${hostId}\0${path}`
    const run = (this.saving.get(key) ?? Promise.resolve()).then(() => this.saveInTurn(hostId, path, content, expected, false))
    const tail = run.catch(() => undefined)
    this.saving.set(key, tail)
    try {
      return await run
    } finally {
      if (this.saving.get(key) === tail) this.saving.delete(key)
    }
  }

  private async saveInTurn(hostId: string, path: string, content: string, expected: FileVersion, dryRun: boolean): Promise<Result<'files.save'>> {
    const cur = await this.current(hostId, path)
    if (cur.version.sha256 !== expected.sha256) throw changed(hostId, path, cur.version, expected)
    const { diff, added, removed } = textDiff(path, cur.text, content)
    if (dryRun || (!added && !removed)) return { diff, added, removed, saved: false, version: cur.version }
    if (cur.access === 'sudo') {
      const user = await this.deps.userOf(hostId)
      throw new DropdeckError('PERMISSION_DENIED', `${user} on ${hostId} may read ${path} only through sudo, and Dropdeck writes files as the SSH user; edit it in a terminal with sudo, or use a login user that owns it.`, { data: { path, user } })
    }
    const nginxConf = await this.nginxConf(hostId, cur.real)
    const validator = validatorFor(cur.real, nginxConf)
    const sftp = await this.deps.sessions.get(hostId)
    const next = Buffer.from(content, 'utf8')
    const temp = await this.writeTemp(sftp, hostId, cur, next)
    if (validator === 'sshd' && !cur.real.includes('sshd_config.d/')) {
      // A whole sshd_config is checked before it takes the file's place: a broken one is never live, not
      // even for the moment between the write and the check (an sshd restarted then would not come back).
      const pre = await this.deps.exec(hostId, validatorCommand('sshd', temp, undefined), { timeoutMs: VALIDATE_TIMEOUT_MS })
      if (pre.code !== 0) {
        await sftpCall((cb) => sftp.unlink(temp, cb)).catch(() => undefined)
        const output = (pre.stdout + pre.stderr).trim().slice(0, 8000).split(temp).join(cur.real)
        throw new DropdeckError('VALIDATION_FAILED', `sshd -t refused the new ${path} on ${hostId}, so it was not written; the file is unchanged: ${firstLine(output) || `exit ${pre.code}`}`, {
          data: { path, validator, output, restored: false, diffLines: { added, removed } }
        })
      }
    }
    const backupPath = await this.backup(sftp, hostId, cur).catch(async (err) => {
      await sftpCall((cb) => sftp.unlink(temp, cb)).catch(() => undefined)
      throw err
    })
    // Checked again right before the rename: a change by anything else (another name for the file, a
    // shell on the host) since the read above is not overwritten.
    const now = await sftpCall<Buffer>((cb) => sftp.readFile(cur.real, cb)).catch(() => undefined)
    if (!now || !now.equals(cur.bytes)) {
      await sftpCall((cb) => sftp.unlink(temp, cb)).catch(() => undefined)
      const st = await sftpCall<Stats>((cb) => sftp.stat(cur.real, cb)).catch(() => undefined)
      throw changed(hostId, path, now ? versionOf(now, st?.mtime ?? 0) : { sha256: '', size: 0, mtime: 0 }, expected)
    }
    await this.commitTemp(sftp, hostId, cur, temp)
    const after = await sftpCall<Stats>((cb) => sftp.stat(cur.real, cb))
    const version = versionOf(next, after.mtime)
    if (!validator) return { diff, added, removed, saved: true, version, backupPath }
    const check = await this.deps.exec(hostId, validatorCommand(validator, cur.real, nginxConf), { timeoutMs: VALIDATE_TIMEOUT_MS })
    const output = (check.stdout + check.stderr).trim().slice(0, 8000)
    if (check.code !== 0) {
      await this.replace(sftp, hostId, cur, cur.bytes)
      throw new DropdeckError('VALIDATION_FAILED', `${validatorName(validator)} refused the new ${path} on ${hostId}, so the previous content was put back (a copy of it is also at ${backupPath}): ${firstLine(output) || `exit ${check.code}`}`, {
        data: { path, validator, output, backupPath, restored: true, diffLines: { added, removed } }
      })
    }
    return { diff, added, removed, saved: true, version, backupPath, validation: { validator, ok: true, output }, ...(reloadFor(validator) ? { reload: reloadFor(validator) } : {}) }
  }

  /**
   * Beside the file, as a dotfile: folders that programs read whole match their files with globs
   * (nginx's `include sites-enabled/*`, sshd's `sshd_config.d/*.conf`), and a glob's `*` never matches
   * a leading dot, so the backup is not read as configuration too. Unit folders ignore it as well (its
   * suffix is no unit type).
   */
  private async backup(sftp: SFTPWrapper, hostId: string, cur: Current): Promise<string> {
    // Milliseconds and a random suffix, created exclusively: an existing backup is never overwritten.
    const target = `${dirname(cur.real)}/.${basename(cur.real)}.dropdeck-backup-${stamp()}-${randomBytes(3).toString('hex')}`
    try {
      await writeWhole(sftp, target, cur.bytes, cur.attrs.mode & 0o7777, undefined, 'wx')
    } catch (err) {
      throw await this.failure(err, hostId, 'write a backup of', cur.real)
    }
    return target
  }

  /** `bytes` to a temporary name beside the file (mode, owner and group of the old one), renamed over it. */
  private async replace(sftp: SFTPWrapper, hostId: string, cur: Current, bytes: Buffer): Promise<void> {
    await this.commitTemp(sftp, hostId, cur, await this.writeTemp(sftp, hostId, cur, bytes))
  }

  private async writeTemp(sftp: SFTPWrapper, hostId: string, cur: Current, bytes: Buffer): Promise<string> {
    const temp = `${dirname(cur.real)}/.${basename(cur.real)}.dropdeck-edit-${randomBytes(4).toString('hex')}`
    try {
      await writeWhole(sftp, temp, bytes, cur.attrs.mode & 0o7777, { uid: cur.attrs.uid, gid: cur.attrs.gid }, 'wx')
      return temp
    } catch (err) {
      await sftpCall((cb) => sftp.unlink(temp, cb)).catch(() => undefined)
      if (err instanceof DropdeckError) throw err
      throw await this.failure(err, hostId, 'write', cur.real)
    }
  }

  /** posix-rename: readers see the old file or the new one, never half of one. */
  private async commitTemp(sftp: SFTPWrapper, hostId: string, cur: Current, temp: string): Promise<void> {
    try {
      await sftpCall((cb) => sftp.ext_openssh_rename(temp, cur.real, cb))
    } catch (err) {
      await sftpCall((cb) => sftp.unlink(temp, cb)).catch(() => undefined)
      throw await this.failure(err, hostId, 'write', cur.real)
    }
  }
}

async function ownerNames(sftp: SFTPWrapper, path: string): Promise<{ owner?: string; group?: string }> {
  const dir = dirname(path)
  const name = basename(path)
  const handle = await sftpCall<Buffer>((cb) => sftp.opendir(dir, cb)).catch(() => undefined)
  if (!handle) return {}
  try {
    for (;;) {
      const batch = await sftpCall<Array<{ filename: string; longname: string }>>((cb) => sftp.readdir(handle, cb as never)).catch(() => undefined)
      if (!batch) return {}
      const hit = batch.find((e) => e.filename === name)
      if (hit) return namesFromLongname(hit.longname)
    }
  } finally {
    sftp.close(handle, () => undefined)
  }
}

/** Writes a whole file, mode set on the open handle; owner and group kept when they differ from the writer's. */
async function writeWhole(sftp: SFTPWrapper, path: string, bytes: Buffer, mode: number, owner: { uid: number; gid: number } | undefined, flags: 'w' | 'wx'): Promise<void> {
  const handle = await sftpCall<Buffer>((cb) => sftp.open(path, flags, { mode }, cb))
  try {
    let pos = 0
    while (pos < bytes.length) {
      const len = Math.min(64 * 1024, bytes.length - pos)
      await sftpCall((cb) => sftp.write(handle, bytes, pos, len, pos, cb))
      pos += len
    }
    await sftpCall((cb) => sftp.fchmod(handle, mode, cb))
    if (owner) {
      const attrs = await sftpCall<Stats>((cb) => sftp.fstat(handle, cb))
      if (attrs.uid !== owner.uid || attrs.gid !== owner.gid) {
        await sftpCall((cb) => sftp.fchown(handle, owner.uid, owner.gid, cb)).catch(() => {
          throw new DropdeckError('PERMISSION_DENIED', `${path} would lose its owner or group (${owner.uid}:${owner.gid}) if written as this SSH user; nothing was replaced. Edit it as its owner or as root.`, { data: { path } })
        })
      }
    }
    await sftpCall((cb) => sftp.ext_openssh_fsync(handle, cb)).catch(() => undefined)
  } finally {
    await sftpCall((cb) => sftp.close(handle, cb)).catch(() => undefined)
  }
}

function validatorName(v: Validator): string {
  return { nginx: 'nginx -t', sshd: 'sshd -t', compose: 'docker compose config', systemd: 'systemd-analyze verify' }[v]
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}
