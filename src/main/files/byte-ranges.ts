/**
 * Which bytes of a transfer have landed, when pieces complete out of order (requests are pipelined):
 * `contiguous` is the first byte not yet known to be there, which is where a resume starts.
 */
export class ByteRanges {
  private readonly done = new Map<number, number>()

  constructor(public contiguous = 0) {}

  /** Records [start, end) as landed and advances `contiguous` over everything now joined to it. */
  add(start: number, end: number): void {
    if (end <= start) return
    if (start > this.contiguous) {
      this.done.set(start, Math.max(end, this.done.get(start) ?? 0))
      return
    }
    this.contiguous = Math.max(this.contiguous, end)
    for (;;) {
      let advanced = false
      for (const [s, e] of this.done) {
        if (s <= this.contiguous) {
          this.done.delete(s)
          if (e > this.contiguous) this.contiguous = e
          advanced = true
        }
      }
      if (!advanced) break
    }
  }

  /** Forgets everything past `offset` (a resume restarts there). */
  reset(offset: number): void {
    this.contiguous = offset
    this.done.clear()
  }
}
