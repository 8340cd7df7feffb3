/**
 * Asks the Terminals view for a new tab from elsewhere (a container's "Shell" button): the request is
 * queued here and taken by the view as it mounts (or at once, if it is showing), then the app goes to
 * Terminals. Queued rather than passed in the URL: a reload must not open shells by itself.
 */
import { goTo } from '../navigation/use-hash-path'

export interface TerminalRequest {
  hostId: string
  /** A shell inside this container (id or name) on the host, rather than on the host itself. */
  container?: string
  /** A folder on the host the shell starts in: `cd '<folder>'` is typed into it once it opens (Files' "Terminal here"). */
  cwd?: string
}

const queue: TerminalRequest[] = []
const listeners = new Set<() => void>()

export function requestTerminal(request: TerminalRequest): void {
  queue.push(request)
  for (const listener of listeners) listener()
  if (!window.location.hash.startsWith('#/terminals')) goTo('terminals')
}

/** Hands every queued request to `take`, now and whenever one comes; returns the unsubscribe. */
export function takeTerminalRequests(take: (request: TerminalRequest) => void): () => void {
  const drain = () => {
    for (const request of queue.splice(0)) take(request)
  }
  listeners.add(drain)
  drain()
  return () => listeners.delete(drain)
}
