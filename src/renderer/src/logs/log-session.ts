/**
 * The followed sources of the Logs view and their lines, outside React: opens and closes streams
 * (through the window's logs StreamClient), takes `logs.data` batches into the LogStore (acknowledging each, so main holds lines back rather
 * than flooding a busy renderer), turns `logs.state` into inline notices and a state per source, and
 * holds lines while paused (bounded: past the store's capacity the oldest held are dropped and
 * counted). Listeners are told at most once per animation frame.
 */
import type { DropdeckApi, EventPayload } from '../../../shared/contract'
import { LEVEL_OF_CODE, STREAM_OF_CODE, type LogSource, type LogState } from '../../../shared/contract/logs'
import { streamClient, type StreamClient } from '../rpc/stream-client'
import { LogStore, type ViewLine } from './log-store'

export interface FollowedSource {
  /** Stable index: the colour tag. */
  index: number
  id: string
  hostId: string
  source: LogSource
  label: string
  state: LogState | 'opening'
  message?: string
  lines: number
}

const NOTIFY_INTERVAL_MS = 100

export function sourceLabel(hostId: string, s: LogSource): string {
  const what = s.kind === 'container' ? s.id : s.kind === 'unit' ? s.unit : s.path.split('/').pop() || s.path
  return `${hostId}/${what}`
}

export class LogSession {
  readonly store: LogStore
  readonly sources: FollowedSource[] = []
  paused = false
  /** What the operator typed in the filter (the store holds the compiled matcher). */
  filter = { text: '', regex: false }
  /** Lines that arrived while paused, applied on resume. */
  private held: ViewLine[][] = []
  private heldCount = 0
  heldDropped = 0
  private nextIndex = 0
  private readonly listeners = new Set<() => void>()
  private frame = 0
  private frameIsTimer = false
  private readonly off = new Map<string, () => void>()
  private readonly logs: StreamClient<'logs'>
  /** Bumped once per notification, for useSyncExternalStore. */
  version = 0
  /** Lines taken in since the start, for the bench's count. */
  received = 0

  constructor(api: DropdeckApi, capacity = 50_000) {
    this.store = new LogStore(capacity)
    this.logs = streamClient(api, 'logs')
  }

  get heldLines(): number {
    return this.heldCount
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private lastNotified = 0

  // At most ten renders a second: a log scrolling faster than that cannot be read anyway, and each
  // render left out is main-thread time for taking in lines.
  private changed(): void {
    if (this.frame) return
    const run = () => {
      this.frame = 0
      this.lastNotified = performance.now()
      this.version++
      for (const l of this.listeners) l()
    }
    const wait = this.lastNotified + NOTIFY_INTERVAL_MS - performance.now()
    // rAF does not run in a hidden tab; a timer keeps the counters right there
    this.frameIsTimer = wait > 0 || document.visibilityState !== 'visible'
    this.frame = this.frameIsTimer ? window.setTimeout(run, Math.max(wait, 0)) : requestAnimationFrame(run)
  }

  /** `from`: start with the lines since then (ms) rather than the last 200. */
  async add(hostId: string, source: LogSource, from?: number): Promise<FollowedSource> {
    const { id } = await this.logs.open({ hostId, source, ...(from !== undefined ? { since: Math.floor(from) } : {}) })
    const followed: FollowedSource = { index: this.nextIndex++, id, hostId, source, label: sourceLabel(hostId, source), state: 'opening', lines: 0 }
    this.sources.push(followed)
    this.off.set(id, this.logs.listen(id, { data: (p) => this.onLines(p), state: (p) => this.onState(p) }))
    this.version++ // the chips show at once, before any line
    this.changed()
    return followed
  }

  async remove(id: string): Promise<void> {
    const i = this.sources.findIndex((s) => s.id === id)
    if (i === -1) return
    this.sources.splice(i, 1)
    this.off.get(id)?.()
    this.off.delete(id)
    this.changed()
    await this.logs.close(id).catch(() => undefined)
  }

  private byId(id: string): FollowedSource | undefined {
    return this.sources.find((s) => s.id === id)
  }

  private onLines(p: EventPayload<'logs.data'>): void {
    const src = this.byId(p.id)
    if (!src) return // a stream just closed
    // One object per line, built straight from the event's columns, all of one shape (no intermediate
    // object per line, no property added later): 100,000 of them a second.
    const n = p.ts.length
    const lines = new Array<ViewLine>(n)
    const source = src.index
    for (let i = 0; i < n; i++) {
      lines[i] = { ts: p.ts[i], source, stream: STREAM_OF_CODE[p.stream[i]], text: p.text[i], level: LEVEL_OF_CODE[p.level[i]], gone: false }
    }
    src.lines += lines.length
    this.received += lines.length
    this.take(lines)
    void this.logs.ack(p.id, { seq: p.seq }).catch(() => undefined)
  }

  private take(lines: ViewLine[]): void {
    if (!this.paused) {
      this.store.add(lines)
    } else {
      this.held.push(lines)
      this.heldCount += lines.length
      // Bounded while paused too: no more than the store could show anyway.
      while (this.heldCount > this.store.capacity && this.held.length > 1) {
        const first = this.held.shift()!
        this.heldCount -= first.length
        this.heldDropped += first.length
      }
    }
    this.changed()
  }

  private onState(p: EventPayload<'logs.state'>): void {
    const src = this.byId(p.id)
    if (!src) return
    if (p.state !== 'gap' && p.state !== 'dropped') {
      src.state = p.state
      src.message = p.message
    }
    // 'following' is shown on the source's chip; a retry after a retry adds no second notice
    const repeat = p.state === 'reconnecting' && this.lastNotice.get(p.id) === 'reconnecting'
    if (p.state === 'following' || repeat) {
      this.changed()
      return
    }
    this.lastNotice.set(p.id, p.state)
    const ts = p.state === 'gap' ? (p.from ?? Date.now()) : Date.now()
    const text = p.message ?? p.state
    this.take([{ ts, source: src.index, stream: 'notice', text, notice: p.state, ...(p.state === 'error' ? { level: 'error' as const } : p.state !== 'ended' ? { level: 'warn' as const } : {}) }])
  }

  private readonly lastNotice = new Map<string, LogState>()

  pause(): void {
    this.paused = true
    this.changed()
  }

  resume(): void {
    this.paused = false
    for (const batch of this.held) this.store.add(batch)
    this.held = []
    this.heldCount = 0
    this.changed()
  }

  clear(): void {
    this.store.clear()
    this.changed()
  }

  dispose(): void {
    for (const off of this.off.values()) off()
    this.off.clear()
    for (const s of this.sources) void this.logs.close(s.id).catch(() => undefined)
    this.sources.length = 0
    if (this.frame && this.frameIsTimer) window.clearTimeout(this.frame)
    else if (this.frame) cancelAnimationFrame(this.frame)
  }
}
