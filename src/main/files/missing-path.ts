/**
 * Why a path "does not exist", in words: the host answers NO_SUCH_FILE alike for a missing file, a
 * missing folder above it, a dangling symlink and a symlink loop. This looks (lstat, readlink, never
 * following) and names which one it is.
 */
import { posix } from 'node:path'
import type { SFTPWrapper, Stats } from 'ssh2'
import { sftpCall } from './sftp-call'

const S_IFMT = 0o170000
const S_IFLNK = 0o120000
/** Linux gives up after 40 links (MAXSYMLINKS). */
const MAX_LINKS = 40

const lstatOf = (sftp: SFTPWrapper, p: string) => sftpCall<Stats>((cb) => sftp.lstat(p, cb)).catch(() => undefined)

/** A sentence ending without a period, e.g. "the folder /x/y does not exist"; undefined when nothing better is known. */
export async function explainMissing(sftp: SFTPWrapper, path: string): Promise<string | undefined> {
  const st = await lstatOf(sftp, path)
  if (st && (st.mode & S_IFMT) === S_IFLNK) {
    const seen = new Set<string>()
    let at = path
    for (let hops = 0; hops < MAX_LINKS; hops++) {
      if (seen.has(at)) return `${path} is a symlink loop`
      seen.add(at)
      const here = await lstatOf(sftp, at)
      if (!here) return `${path} is a symlink to ${at}, which does not exist`
      if ((here.mode & S_IFMT) !== S_IFLNK) return undefined
      const target = await sftpCall<string>((cb) => sftp.readlink(at, cb)).catch(() => undefined)
      if (target === undefined) return undefined
      at = posix.resolve(posix.dirname(at), target)
    }
    return `${path} is a symlink loop`
  }
  if (st) return undefined
  // The highest missing folder above it is what to create (or correct) first.
  let missing: string | undefined
  for (let dir = posix.dirname(path); dir !== '/'; dir = posix.dirname(dir)) {
    if (await lstatOf(sftp, dir)) break
    missing = dir
  }
  return missing ? `the folder ${missing} does not exist` : undefined
}
