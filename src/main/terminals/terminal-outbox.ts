/**
 * A terminal's output on its way to the client, on the StreamOutbox base. Output goes out in events of
 * at most `chunkBytes` (64 KB), what arrived in one tick coalesced into one event (SSH packets and PTY
 * reads are small: fewer, larger events cut the renderer's per-event work; bench:terminal went from ~2.7
 * to ~3.7 MB/s). While the client is a chunk or more behind, output is held until a full chunk or until
 * the client has caught up, so a big `cat` arrives as 64 KB events. Decoded with a streaming UTF-8
 * decoder so a character split across packets arrives whole. Acknowledged by bytes drawn, as Tabby
 * does it: once more than `highWaterBytes` (~512 KB) read is not yet acked (sent, or held), the source
 * is paused (ssh2 stops granting the server window; node-pty stops reading the PTY), so the producer
 * blocks; acks below half of it resume it.
 */
import { StringDecoder } from 'node:string_decoder'
import { StreamOutbox, type PressureListener } from '../streams/stream-outbox'

export interface TerminalOutboxTuning {
  /** Pause the source once this many read bytes are un-acked. */
  highWaterBytes?: number
  /** The largest event, in bytes. */
  chunkBytes?: number
}

export interface TerminalSink extends PressureListener {
  /** `bytes`: what the client acknowledges once `text` is drawn (0 for the decoder's tail). */
  data(text: string, bytes: number): void
}

export class TerminalOutbox extends StreamOutbox {
  private readonly decoder = new StringDecoder('utf8')
  /** Output read but not yet sent: small SSH packets and PTY reads go out together, once per tick. */
  private queued: Buffer[] = []
  private queuedBytes = 0
  private sentUnacked = 0
  private readonly highWater: number
  private readonly chunk: number

  constructor(
    private readonly sink: TerminalSink,
    tuning: TerminalOutboxTuning = {}
  ) {
    super(sink)
    this.highWater = tuning.highWaterBytes ?? 512 * 1024
    this.chunk = tuning.chunkBytes ?? 64 * 1024
  }

  /** Bytes sent and not yet acked. */
  get unacked(): number {
    return this.sentUnacked
  }

  /** Bytes read but held back while the client is behind (less than one chunk). */
  get held(): number {
    return this.queuedBytes
  }

  push(buf: Buffer): void {
    if (this.closed) return
    this.queued.push(buf)
    this.queuedBytes += buf.length
    if (this.sentUnacked < this.chunk) {
      // The client has (nearly) caught up: send what came in this tick, now, so typing echoes at once.
      if (this.queuedBytes >= this.chunk) this.send(false)
      else this.schedule(0)
    } else if (this.queuedBytes >= this.chunk) {
      // The client still has a full event or more to parse: sending the rest now would only queue
      // it there, so only whole chunks go and the rest waits for more output or for acks to bring
      // the backlog under one chunk (see ack). The client gets fewer, larger events (each costs it
      // a message, a parse call and a write).
      this.send(true)
    }
    if (!this.pressured && this.sentUnacked + this.queuedBytes > this.highWater) this.setPressure(true)
  }

  /** The client has drawn `bytes` more bytes. */
  ack(bytes: number): void {
    this.sentUnacked = Math.max(0, this.sentUnacked - bytes)
    // Output held while the client was behind goes out once it has (nearly) caught up.
    if (this.queuedBytes > 0 && this.sentUnacked < this.chunk) this.schedule(0)
    if (this.pressured && this.sentUnacked <= this.highWater / 2) this.setPressure(false)
  }

  /** Sends everything held and the decoder's tail (a character cut off by the end). */
  end(): void {
    this.flushNow()
    const rest = this.decoder.end()
    if (rest && !this.closed) this.sink.data(rest, 0)
  }

  protected flush(): void {
    this.send(false)
  }

  protected discard(): void {
    this.queued = []
    this.queuedBytes = 0
  }

  /** Sends what was read, in events of at most `chunk` bytes; with `wholeChunks`, keeps a partial tail queued. */
  private send(wholeChunks: boolean): void {
    if (this.queuedBytes === 0) return
    const buf = this.queued.length === 1 ? this.queued[0] : Buffer.concat(this.queued, this.queuedBytes)
    const end = wholeChunks ? buf.length - (buf.length % this.chunk) : buf.length
    this.queued = end < buf.length ? [buf.subarray(end)] : []
    this.queuedBytes = buf.length - end
    for (let i = 0; i < end; i += this.chunk) {
      const part = buf.subarray(i, Math.min(end, i + this.chunk))
      this.sentUnacked += part.length
      this.sink.data(this.decoder.write(part), part.length)
    }
  }
}
