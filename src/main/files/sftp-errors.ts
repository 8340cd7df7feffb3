/**
 * SFTP status codes (draft-ietf-secsh-filexfer-02, what OpenSSH speaks) turned into errors that say
 * what happened to which path and what to do next.
 */
import { DropdeckError } from '../../shared/errors'

const NO_SUCH_FILE = 2
const PERMISSION_DENIED = 3

export interface SftpError extends Error {
  code?: number | string
}

export function isPermissionDenied(err: unknown): boolean {
  return (err as SftpError)?.code === PERMISSION_DENIED || (err instanceof DropdeckError && err.code === 'PERMISSION_DENIED')
}

export function isNoSuchFile(err: unknown): boolean {
  return (err as SftpError)?.code === NO_SUCH_FILE || (err instanceof DropdeckError && err.code === 'NOT_FOUND')
}

/** `doing`: what was attempted, as in "read the folder", "rename". */
export function sftpFailure(err: unknown, hostId: string, user: string, doing: string, path: string): DropdeckError {
  if (err instanceof DropdeckError) return err
  const e = err as SftpError
  if (e?.code === NO_SUCH_FILE) return new DropdeckError('NOT_FOUND', `${path} does not exist on ${hostId}.`, { data: { path } })
  if (e?.code === PERMISSION_DENIED) {
    return new DropdeckError('PERMISSION_DENIED', `${user} on ${hostId} is not allowed to ${doing} ${path}. Ask for access (the file's owner, group or mode), or use a login user that has it.`, { data: { path, user } })
  }
  const said = e?.message ?? String(err)
  if (/No SFTP|not connected|closed|ECONNRESET|Channel/i.test(said)) {
    return new DropdeckError('UPSTREAM', `The connection to ${hostId} dropped while trying to ${doing} ${path}; try again.`, { retryable: true, data: { path } })
  }
  return new DropdeckError('UPSTREAM', `${hostId} could not ${doing} ${path}: ${said}.`, { data: { path } })
}
