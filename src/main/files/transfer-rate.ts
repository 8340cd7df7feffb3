/** Bytes per second over the last few seconds, for a transfer's progress. */
export class TransferRate {
  private readonly samples: Array<{ at: number; bytes: number }> = []

  constructor(private readonly windowMs = 3000) {}

  sample(bytes: number, at = Date.now()): number {
    this.samples.push({ at, bytes })
    while (this.samples.length > 2 && at - this.samples[0].at > this.windowMs) this.samples.shift()
    const first = this.samples[0]
    const span = at - first.at
    return span > 0 ? Math.max(0, ((bytes - first.bytes) * 1000) / span) : 0
  }

  /** After a resume the byte count jumps back: start measuring again. */
  restart(): void {
    this.samples.length = 0
  }
}
