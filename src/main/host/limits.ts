/**
 * What the headless host lets one local process use: sockets, WebSocket clients, batch length,
 * calls in flight, and answers buffered for a client that does not read. Without these, anyone on
 * the machine could open connections until the process runs out of fds, and a token client that
 * never reads could make the host buffer without bound.
 */
import type { WebSocket } from 'ws'

export interface HostLimits {
  /** TCP connections to the host port at once (HTTP and WebSocket); more are closed on accept. */
  maxConnections: number
  /** WebSocket clients at once; more are refused with 503. */
  maxClients: number
  /** Calls in one JSON-RPC batch. */
  maxBatch: number
  /** Calls one socket may have running at once; more are answered RATE_LIMITED at once. */
  maxInFlight: number
  /** Stop reading a socket's requests while this many bytes of answers wait to go out... */
  pauseReadingBytes: number
  /**
   * ...and close it when more than this many stay unread for `stalledReadMs` without going down: the
   * client has stopped reading. One large answer to a client that reads is not that: it drains.
   */
  closeBufferedBytes: number
  stalledReadMs: number
  /** One answer (or one batch's answers) larger than this is replaced by a BAD_REQUEST saying so. */
  maxAnswerBytes: number
  /** A connection must send its request headers within this long (also the idle limit between requests). */
  headersTimeoutMs: number
  /** A whole HTTP request, body included. */
  requestTimeoutMs: number
}

export const DEFAULT_HOST_LIMITS: HostLimits = {
  maxConnections: 256,
  maxClients: 32,
  maxBatch: 100,
  maxInFlight: 256,
  pauseReadingBytes: 1024 * 1024,
  closeBufferedBytes: 16 * 1024 * 1024,
  stalledReadMs: 10_000,
  maxAnswerBytes: 16 * 1024 * 1024,
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 15_000
}

/**
 * DNS rebinding: a page on evil.example whose name now points at 127.0.0.1 sends `Host:
 * evil.example:PORT`. Only our own names for the loopback port are served; not `[::1]`, since the
 * host listens on 127.0.0.1 only.
 */
export function allowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`
}

/** A client-sent value (a Host or Origin header) as it may appear in a log line or a refusal: 120 characters at most. */
export function clipHeader(value: string | undefined): string {
  const text = JSON.stringify(value ?? '')
  return text.length > 120 ? `${text.slice(0, 117)}…" (${text.length - 2} characters)` : text
}

/**
 * Flow control for one WebSocket: call `sent()` after every send. Reading pauses while the client
 * is behind, resumes once it caught up, and a client whose unread answers stay past the close
 * threshold without draining for `stalledReadMs` is dropped (its calls' resources go with its context).
 * Judged over time, not right after a send: a large answer to a client that reads drains.
 */
export function socketFlow(ws: WebSocket, limits: Pick<HostLimits, 'pauseReadingBytes' | 'closeBufferedBytes' | 'stalledReadMs'>, onOverflow: () => void) {
  let paused = false
  let watch: NodeJS.Timeout | undefined
  const checks = 5
  const watchStall = () => {
    let last = ws.bufferedAmount
    let stalled = 0
    watch = setInterval(() => {
      const now = ws.bufferedAmount
      if (ws.readyState !== ws.OPEN || now <= limits.closeBufferedBytes) {
        clearInterval(watch)
        watch = undefined
        return
      }
      stalled = now < last ? 0 : stalled + 1
      last = now
      if (stalled >= checks) {
        clearInterval(watch)
        watch = undefined
        onOverflow()
        ws.terminate()
      }
    }, Math.max(10, limits.stalledReadMs / checks))
    watch.unref()
  }
  ws.once('close', () => {
    if (watch) clearInterval(watch)
  })
  const drained = () => {
    if (paused && ws.bufferedAmount < limits.pauseReadingBytes / 2) {
      paused = false
      ws.resume()
    }
  }
  return {
    /** Pass as the send callback: it runs when a frame has left for the kernel. */
    drained,
    sent() {
      const buffered = ws.bufferedAmount
      if (buffered > limits.closeBufferedBytes && !watch) watchStall()
      if (!paused && buffered > limits.pauseReadingBytes) {
        paused = true
        ws.pause()
      }
    }
  }
}
