/**
 * A sampler's rounds: one every `intervalMs()` on an unref'd timer (it never keeps the app alive), where
 * a round still running when the next is due is skipped rather than doubled: the samplers' rounds can
 * outlast the interval on slow hosts, and two at once would read the same counters twice.
 */
export abstract class PeriodicTask {
  private timer: NodeJS.Timeout | undefined
  private busy = false

  protected abstract intervalMs(): number
  /** One round of the work. */
  protected abstract round(): Promise<void>

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs())
    this.timer.unref?.()
  }

  stop(): void {
    clearInterval(this.timer)
  }

  /** One round now, unless one is already running (then nothing: that round covers it). */
  async tick(): Promise<void> {
    if (this.busy) return
    this.busy = true
    try {
      await this.round()
    } finally {
      this.busy = false
    }
  }
}
