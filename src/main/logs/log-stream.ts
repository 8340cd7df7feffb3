/**
 * One followed log: runs its source, and when the channel drops (connection lost, sshd restarted,
 * the remote process killed) says `reconnecting`, tries again with backoff, resumes from where it
 * was, and says how long the gap was and whether its lines were recovered. Lines go out through a
 * bounded outbox (see line-outbox.ts); state changes as `logs.state` events. A stream (docs/api.md
 * "Streams"): its events go to the client that opened it only.
 */
import { encodeLogLines, type LogState } from '../../shared/contract/logs'
import { DropdeckError } from '../../shared/errors'
import type { CallContext } from '../rpc/context'
import { LineOutbox, type OutboxTuning } from './line-outbox'
import type { FlowControl, SourceRunner } from './log-source'

export interface StreamTuning {
  outbox?: OutboxTuning
  /** First retry delay after a drop; doubles up to maxRetryMs. */
  retryMs?: number
  maxRetryMs?: number
}

export class LogStream {
  private readonly abort = new AbortController()
  readonly outbox: LineOutbox
  private finished = false
  private pressured = false
  private flowControl: FlowControl | undefined
  /** Resolves when the stream has stopped for good. */
  readonly done: Promise<void>

  constructor(
    readonly id: string,
    readonly hostId: string,
    private readonly source: SourceRunner,
    /** The owning client: where the stream's events go. */
    private readonly owner: Pick<CallContext, 'emit'>,
    private readonly log: (line: string) => void,
    private readonly tuning: StreamTuning = {},
    private readonly onFinished: () => void = () => undefined
  ) {
    this.outbox = new LineOutbox(
      {
        batch: (seq, lines) => this.owner.emit('logs.data', encodeLogLines(id, seq, lines)),
        dropped: (count) => this.state('dropped', { count, message: `${count.toLocaleString('en-US')} lines dropped: the view fell behind.` }),
        pressure: (high) => {
          this.pressured = high
          if (high) this.flowControl?.pause()
          else this.flowControl?.resume()
        }
      },
      tuning.outbox
    )
    this.done = this.loop()
  }

  get closed(): boolean {
    return this.abort.signal.aborted || this.finished
  }

  private state(state: LogState, extra: { message?: string; from?: number; to?: number; recovered?: boolean; count?: number } = {}): void {
    if (this.abort.signal.aborted) return
    this.owner.emit('logs.state', { id: this.id, state, ...extra })
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal
    let resume = false
    let downSince: number | undefined
    let delay = this.tuning.retryMs ?? 500
    const maxDelay = this.tuning.maxRetryMs ?? 15_000
    try {
      while (!signal.aborted) {
        let outcome: 'ended' | 'lost'
        let why = `The log stream of ${this.hostId} dropped; reconnecting…`
        try {
          outcome = await this.source.run(
            {
              line: (l) => this.outbox.push(l),
              flow: (control) => {
                this.flowControl = control
                if (control && this.pressured) control.pause()
              },
              following: () => {
                this.state('following')
                if (downSince !== undefined) {
                  const from = this.source.lastTs ?? downSince
                  const to = Date.now()
                  const recovered = this.source.recovers
                  this.state('gap', {
                    from,
                    to,
                    recovered,
                    message: recovered
                      ? `The stream was down from ${iso(downSince)} to ${iso(to)}; lines since ${iso(from)} were fetched again.`
                      : `The stream was down from ${iso(downSince)} to ${iso(to)}; lines written then may be missing.`
                  })
                  downSince = undefined
                  delay = this.tuning.retryMs ?? 500
                }
              }
            },
            signal,
            resume
          )
        } catch (err) {
          if (signal.aborted) break
          const e = err instanceof DropdeckError ? err : new DropdeckError('UPSTREAM', (err as Error).message, { retryable: true })
          // A connection that cannot be made now (host down, sshd restarting) is retried; a refusal is final.
          if (!e.retryable) {
            this.outbox.flushNow()
            this.state('error', { message: e.message })
            return
          }
          outcome = 'lost'
          why = `${e.message} Retrying…`
        }
        if (signal.aborted) break
        if (outcome === 'ended') {
          this.outbox.flushNow()
          this.state('ended', { message: 'The log stream ended (the container stopped, or the command exited).' })
          return
        }
        downSince ??= Date.now()
        this.state('reconnecting', { message: why })
        resume = true
        await sleep(delay, signal)
        delay = Math.min(maxDelay, delay * 2)
      }
    } catch (err) {
      this.log(`logs: ${this.hostId}: ${(err as Error).message}`)
      this.state('error', { message: `The log stream failed: ${(err as Error).message}` })
    } finally {
      this.finished = true
      this.onFinished()
    }
  }

  ack(seq: number): void {
    this.outbox.ack(seq)
  }

  async close(): Promise<void> {
    if (!this.abort.signal.aborted) this.abort.abort()
    this.outbox.close()
    // the sources give up on an unconfirmed close after 3 s; this is the backstop
    await Promise.race([this.done, new Promise((resolve) => setTimeout(resolve, 5000).unref())])
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}
