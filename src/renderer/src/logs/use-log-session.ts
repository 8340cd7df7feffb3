/**
 * One LogSession per API client for the life of the page, so switching areas keeps the followed
 * logs and their lines (the streams belong to this window and close with it).
 */
import type { DropdeckApi } from '../../../shared/contract'
import { LogSession } from './log-session'

const sessions = new WeakMap<DropdeckApi, LogSession>()

export function useLogSession(api: DropdeckApi): LogSession {
  let session = sessions.get(api)
  if (!session) {
    session = new LogSession(api)
    sessions.set(api, session)
    // The bench and the e2e read the counters from here.
    ;(window as unknown as { __dropdeckLogs?: LogSession }).__dropdeckLogs = session
  }
  return session
}
