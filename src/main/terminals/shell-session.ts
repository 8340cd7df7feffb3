/**
 * What the terminals service needs from a shell, whichever side of the wire it runs on: bytes out,
 * keystrokes in, a window size, back-pressure, and an end. Remote shells (an SSH channel) and local
 * shells (node-pty) each adapt to this in their own file.
 */
export interface ShellEnd {
  code: number | null
  signal?: string
  /** Set when the shell did not end by itself: the connection under it went away. */
  lost?: string
}

export interface ShellSession {
  /** A label for logs and messages: the host id, or "this machine". */
  readonly origin: string
  onData(listener: (chunk: Buffer) => void): void
  /** Called once, when the shell is gone for whatever reason. */
  onEnd(listener: (end: ShellEnd) => void): void
  write(data: string): void
  resize(cols: number, rows: number): void
  /** Stop reading output, so the producer blocks (flow control). */
  pause(): void
  resume(): void
  /** Ends the shell; resolves once it is gone (forcibly after a grace period). */
  close(): Promise<void>
}
