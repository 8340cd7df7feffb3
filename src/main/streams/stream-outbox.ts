/**
 * The base of every stream's outbox: what a stream has read and its client has not yet acknowledged.
 * A subclass holds the items (log lines, terminal bytes, deploy progress…) and decides what one event
 * carries; the base owns what all of them share: one flush timer (a tick for "as soon as possible",
 * else a delay that gathers more), the pressure switch that pauses the source while the client is too
 * far behind and resumes it once it has caught up (so a slow window slows the producer rather than
 * growing memory), and closing. See docs/api.md "Streams" for the client's side.
 */
export interface PressureListener {
  /** true: enough is held, stop reading the source; false: read again. */
  pressure?(high: boolean): void
}

export abstract class StreamOutbox {
  private timer: NodeJS.Timeout | undefined
  private immediate: NodeJS.Immediate | undefined
  private high = false
  private isClosed = false

  constructor(private readonly listener: PressureListener = {}) {}

  get closed(): boolean {
    return this.isClosed
  }

  /** Whether the source is paused because the client is behind. */
  get pressured(): boolean {
    return this.high
  }

  /** Sends what is held now (a stream that ends leaves nothing behind). */
  flushNow(): void {
    this.cancel()
    if (!this.isClosed) this.flush(true)
  }

  /** Stops sending and forgets what is held. */
  close(): void {
    this.isClosed = true
    this.cancel()
    this.discard()
  }

  /** Sends what the window allows; `force`: everything held, whatever the client has acknowledged. */
  protected abstract flush(force: boolean): void
  /** Frees what is held (called once, on close). */
  protected abstract discard(): void

  /**
   * A flush after `delayMs` (gathering what arrives meanwhile into one event), or at the next tick for
   * 0. A flush already scheduled stands, unless this one is sooner (a tick beats a delay).
   */
  protected schedule(delayMs: number): void {
    if (this.isClosed || this.immediate) return
    if (delayMs <= 0) {
      if (this.timer) clearTimeout(this.timer)
      this.timer = undefined
      this.immediate = setImmediate(() => {
        this.immediate = undefined
        this.flush(false)
      })
      return
    }
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.flush(false)
    }, delayMs)
  }

  /** Tells the source to pause (true) or resume (false), once per change. */
  protected setPressure(high: boolean): void {
    if (high === this.high) return
    this.high = high
    this.listener.pressure?.(high)
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer)
    if (this.immediate) clearImmediate(this.immediate)
    this.timer = undefined
    this.immediate = undefined
  }
}
