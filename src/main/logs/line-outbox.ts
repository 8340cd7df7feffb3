/**
 * Lines on their way to the client, per stream. Lines are sent in batches (at most `maxBatch` lines
 * each, gathered for up to `flushMs`), and the client acknowledges each batch. While `window` batches are
 * un-acknowledged the outbox holds lines back, so a slow client gets bigger batches, not more
 * events; past `maxPending` lines (or `maxPendingChars` characters) the oldest held lines are
 * dropped and counted, so memory stays bounded however far behind the client is. Timers, the pressure
 * switch and closing are the StreamOutbox base's, as for every stream.
 */
import type { LogLine } from '../../shared/contract/logs'
import { StreamOutbox, type PressureListener } from '../streams/stream-outbox'

export interface OutboxTuning {
  flushMs?: number
  /** Un-acked batches before lines are held back. */
  window?: number
  /** The largest batch, in lines. */
  maxBatch?: number
  maxPending?: number
  maxPendingChars?: number
}

export interface OutboxSink extends PressureListener {
  batch(seq: number, lines: LogLine[]): void
  dropped(count: number): void
}

export class LineOutbox extends StreamOutbox {
  private pending: LogLine[] = []
  private pendingChars = 0
  private seq = 0
  private acked = -1
  private droppedSinceNotice = 0
  private readonly flushMs: number
  private readonly window: number
  private readonly maxBatch: number
  private readonly maxPending: number
  private readonly maxPendingChars: number
  /** Lines dropped over the stream's life. */
  droppedTotal = 0

  constructor(
    private readonly sink: OutboxSink,
    tuning: OutboxTuning = {}
  ) {
    super(sink)
    this.flushMs = tuning.flushMs ?? 40
    this.window = tuning.window ?? 8
    // small enough that parsing one batch in the renderer stays far below a 50 ms long task
    this.maxBatch = tuning.maxBatch ?? 2_000
    this.maxPending = tuning.maxPending ?? 50_000
    this.maxPendingChars = tuning.maxPendingChars ?? 16 * 1024 * 1024
  }

  // Reading stops once two full batches wait, and starts again at one: the sources are files (docker's
  // log, the journal, the followed file), so a paused reader loses nothing; dropping is the last resort.
  private checkPressure(): void {
    this.setPressure(this.pressured ? this.pending.length > this.maxBatch : this.pending.length >= this.maxBatch * 2)
  }

  get held(): number {
    return this.pending.length
  }

  get unacked(): number {
    return this.seq - 1 - this.acked
  }

  push(line: LogLine): void {
    if (this.closed) return
    this.pending.push(line)
    this.pendingChars += line.text.length
    if (this.pending.length > this.maxPending * 1.25 || this.pendingChars > this.maxPendingChars) this.trim()
    if (!this.pressured && this.pending.length >= this.maxBatch * 2) this.checkPressure()
    this.schedule(this.flushMs)
  }

  ack(seq: number): void {
    if (seq > this.acked && seq < this.seq) this.acked = seq
    // a full batch waiting goes out now rather than after another flush interval
    if (this.pending.length >= this.maxBatch) this.schedule(0)
    else if (this.pending.length || this.droppedSinceNotice) this.schedule(this.flushMs)
  }

  protected discard(): void {
    this.pending = []
    this.pendingChars = 0
  }

  // Drop the oldest lines in one splice, down to the bound: amortized O(1) per line.
  private trim(): void {
    let drop = Math.max(0, this.pending.length - this.maxPending)
    let chars = this.pendingChars
    for (let i = 0; i < drop; i++) chars -= this.pending[i].text.length
    while (chars > this.maxPendingChars * 0.8 && drop < this.pending.length) chars -= this.pending[drop++].text.length
    if (drop === 0) return
    this.pending.splice(0, drop)
    this.pendingChars = chars
    this.droppedSinceNotice += drop
    this.droppedTotal += drop
  }

  protected flush(force: boolean): void {
    if (this.closed) return
    if (!force && this.unacked >= this.window) return // ack() reschedules
    if (this.droppedSinceNotice) {
      this.sink.dropped(this.droppedSinceNotice)
      this.droppedSinceNotice = 0
    }
    // as many batches as the window allows: the rate is not capped at one batch per interval
    while (this.pending.length > 0 && (force || this.unacked < this.window)) {
      const lines = this.pending.length <= this.maxBatch ? this.pending : this.pending.slice(0, this.maxBatch)
      this.pending = lines === this.pending ? [] : this.pending.slice(this.maxBatch)
      if (this.pending.length === 0) this.pendingChars = 0
      else for (const l of lines) this.pendingChars -= l.text.length
      this.sink.batch(this.seq++, lines)
    }
    this.checkPressure()
    if (this.pending.length) this.schedule(this.flushMs)
  }
}
