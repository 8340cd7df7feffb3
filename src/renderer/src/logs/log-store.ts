/**
 * The merged log of every followed source: one time-ordered list in a ring buffer (the oldest lines
 * drop once `capacity` is reached, and are counted), plus the filtered view kept up to date line by
 * line rather than recomputed, so 100,000 lines a second stay cheap. Batches arrive sorted per
 * source; a batch that overlaps lines already held (two sources writing at the same time) is merged
 * into the tail, which is short, not into the whole list.
 */
import type { LogLevel } from '../../../shared/contract/logs'

export type NoticeKind = 'gap' | 'reconnecting' | 'dropped' | 'ended' | 'error'

export interface ViewLine {
  ts: number
  /** Index of the source (its colour tag and label). */
  source: number
  stream: string
  text: string
  level?: LogLevel
  /** Set for the stream's own notices (gap, error…), shown inline whatever the filter. */
  notice?: NoticeKind
  /** Set once the ring buffer dropped it. */
  gone?: boolean
}

export type LineMatcher = (line: ViewLine) => boolean

/** The sorted deque: live lines are list[head..]. */
class SortedDeque {
  list: ViewLine[] = []
  head = 0

  get length(): number {
    return this.list.length - this.head
  }

  at(i: number): ViewLine | undefined {
    return this.list[this.head + i]
  }

  /** Inserts ts-sorted lines; equal times keep arrival order. */
  insert(lines: ViewLine[]): void {
    if (lines.length === 0) return
    const list = this.list
    const first = lines[0].ts
    if (list.length === this.head || list[list.length - 1].ts <= first) {
      for (const l of lines) list.push(l)
      return
    }
    // first position whose ts is greater than the batch's first line: only that tail is merged
    let lo = this.head
    let hi = list.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (list[mid].ts <= first) lo = mid + 1
      else hi = mid
    }
    const tail = list.splice(lo)
    let i = 0
    let j = 0
    while (i < tail.length && j < lines.length) list.push(tail[i].ts <= lines[j].ts ? tail[i++] : lines[j++])
    while (i < tail.length) list.push(tail[i++])
    while (j < lines.length) list.push(lines[j++])
  }

  /** Drops `n` from the front; compacts once the dead prefix is large. */
  dropFront(n: number): void {
    this.head += n
    if (this.head > 4096 && this.head > this.list.length / 2) {
      this.list = this.list.slice(this.head)
      this.head = 0
    }
  }

  /** Index of the first live line at or after `ts`. */
  indexAt(ts: number): number {
    let lo = this.head
    let hi = this.list.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.list[mid].ts < ts) lo = mid + 1
      else hi = mid
    }
    return lo - this.head
  }

  clear(): void {
    this.list = []
    this.head = 0
  }
}

export class LogStore {
  private readonly all = new SortedDeque()
  private shown: SortedDeque | null = null
  private matcher: LineMatcher | null = null
  /** Lines dropped by the ring buffer since the start (or the last clear). */
  dropped = 0

  constructor(readonly capacity = 50_000) {}

  /** Lines kept (all sources, unfiltered). */
  get kept(): number {
    return this.all.length
  }

  /** Lines in the view (filtered when a filter is set). */
  get length(): number {
    return (this.shown ?? this.all).length
  }

  at(i: number): ViewLine | undefined {
    return (this.shown ?? this.all).at(i)
  }

  get filtering(): boolean {
    return this.matcher !== null
  }

  add(lines: ViewLine[]): void {
    if (lines.length === 0) return
    const sorted = isSorted(lines) ? lines : [...lines].sort((a, b) => a.ts - b.ts)
    this.all.insert(sorted)
    if (this.shown && this.matcher) {
      const m = this.matcher
      this.shown.insert(sorted.filter((l) => l.notice !== undefined || m(l)))
    }
    const excess = this.all.length - this.capacity
    if (excess > 0) {
      for (let i = 0; i < excess; i++) this.all.at(i)!.gone = true
      this.all.dropFront(excess)
      this.dropped += excess
      if (this.shown) {
        let n = 0
        while (n < this.shown.length && this.shown.at(n)!.gone) n++
        this.shown.dropFront(n)
      }
    }
  }

  /** null shows everything; notices always pass. */
  setFilter(matcher: LineMatcher | null): void {
    this.matcher = matcher
    if (!matcher) {
      this.shown = null
      return
    }
    const shown = new SortedDeque()
    for (let i = 0; i < this.all.length; i++) {
      const l = this.all.at(i)!
      if (l.notice !== undefined || matcher(l)) shown.list.push(l)
    }
    this.shown = shown
  }

  /** View index of the first line at or after `ts`. */
  indexAtTime(ts: number): number {
    return (this.shown ?? this.all).indexAt(ts)
  }

  /** The lines in the view, oldest first (for copy and export). */
  viewLines(): ViewLine[] {
    const d = this.shown ?? this.all
    return d.list.slice(d.head)
  }

  clear(): void {
    this.all.clear()
    this.shown?.clear()
    this.dropped = 0
  }
}

function isSorted(lines: ViewLine[]): boolean {
  for (let i = 1; i < lines.length; i++) if (lines[i].ts < lines[i - 1].ts) return false
  return true
}

/** A filter from what the operator typed: plain text (case-insensitive) or a regex; a bad regex is an error to show. */
export function compileFilter(text: string, regex: boolean): { matcher: LineMatcher | null; error?: string } {
  if (!text) return { matcher: null }
  if (!regex) {
    const needle = text.toLowerCase()
    return { matcher: (l) => l.text.toLowerCase().includes(needle) }
  }
  try {
    const re = new RegExp(text, 'i')
    return { matcher: (l) => re.test(l.text) }
  } catch (err) {
    return { matcher: null, error: (err as Error).message }
  }
}
