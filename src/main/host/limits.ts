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
  /** ...and close it when this many do: the client has stopped reading. */
  closeBufferedBytes: number
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
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 15_000
}

/**
 * DNS rebinding: a page on evil.example whose name now points at 127.0.0.1 sends `Host:
 * evil.example:PORT`. Only our own names for the loopback port are served.
 */
export function allowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`
}

/**
 * Flow control for one WebSocket: call `sent()` after every send. Reading pauses while the client
 * is behind, resumes once it caught up, and a client that lets answers pile up past the close
 * threshold is dropped (its calls' resources go with its context).
 */
export function socketFlow(ws: WebSocket, limits: Pick<HostLimits, 'pauseReadingBytes' | 'closeBufferedBytes'>, onOverflow: () => void) {
  let paused = false
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
      if (buffered > limits.closeBufferedBytes) {
        onOverflow()
        ws.terminate()
      } else if (!paused && buffered > limits.pauseReadingBytes) {
        paused = true
        ws.pause()
      }
    }
  }
}
