/**
 * One LogSession per API client for the life of the page, so switching areas keeps the followed
 * logs and their lines (the streams belong to this window and close with it).
 */
import type { DropdeckApi } from '../../../shared/contract'
import { LogSourceSchema } from '../../../shared/contract/logs'
import { HostIdSchema } from '../../../shared/contract/ssh'
import { exposeForTests } from '../test-hooks'
import { LogSession } from './log-session'

/** The followed sources, per browser tab (sessionStorage), so a page reload follows them again. */
const SAVED_FOLLOWS = 'dropdeck.logs.follows'

function restoreFollows(session: LogSession): void {
  let saved: unknown = []
  try {
    saved = JSON.parse(sessionStorage.getItem(SAVED_FOLLOWS) ?? '[]')
  } catch {
    /* unreadable: start empty */
  }
  for (const entry of Array.isArray(saved) ? saved : []) {
    const hostId = HostIdSchema.safeParse((entry as { hostId?: unknown }).hostId)
    const source = LogSourceSchema.safeParse((entry as { source?: unknown }).source)
    if (hostId.success && source.success) void session.add(hostId.data, source.data).catch(() => undefined)
  }
  let last = ''
  session.subscribe(() => {
    const now = JSON.stringify(session.sources.map(({ hostId, source }) => ({ hostId, source })))
    if (now !== last) sessionStorage.setItem(SAVED_FOLLOWS, (last = now))
  })
}

const sessions = new WeakMap<DropdeckApi, LogSession>()

export function useLogSession(api: DropdeckApi): LogSession {
  let session = sessions.get(api)
  if (!session) {
    session = new LogSession(api)
    sessions.set(api, session)
    restoreFollows(session)
    // The bench and the e2e read the counters from here (only under the test harness's flag).
    exposeForTests('__dropdeckLogs', session)
  }
  return session
}
