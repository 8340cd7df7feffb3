/**
 * Remote paths as the files.* methods take them, made canonical before anything looks at or removes
 * them: `posix.normalize` resolves `.` and `..` lexically and folds repeated slashes, and trailing
 * slashes are dropped, so `/d/dirlink/` is the link itself (lstat of `dirlink/` would follow it) and
 * `/.` or `/tmp/..` is recognisably `/`. Names longer than the 255 bytes every Linux filesystem allows
 * are refused here in words instead of the host's "Bad message".
 */
import { posix } from 'node:path'
import { DropdeckError } from '../../shared/errors'

export const MAX_NAME_BYTES = 255

export function normalRemotePath(path: string): string {
  const normal = posix.normalize(path).replace(/\/+$/, '') || '/'
  for (const name of normal.split('/')) {
    if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
      throw new DropdeckError('BAD_REQUEST', `${name.slice(0, 40)}… cannot be used: the name is too long (${MAX_NAME_BYTES} bytes at most).`, { data: { path: normal } })
    }
  }
  return normal
}

export function isRootPath(path: string): boolean {
  return normalRemotePath(path) === '/'
}
