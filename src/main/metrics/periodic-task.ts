/**
 * A round of work run every `intervalMs` on an unref'd timer (it never keeps the app alive), where a
 * round still running when the next is due is skipped rather than doubled: the samplers' rounds can
 * outlast the interval on slow hosts, and two at once would read the same counters twice.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined
  private busy = false

  constructor(
    private readonly round: () => Promise<void>,
    private readonly intervalMs: () => number
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.run(), this.intervalMs())
    this.timer.unref?.()
  }

  stop(): void {
    clearInterval(this.timer)
  }

  /** One round now, unless one is already running (then nothing: that round covers it). */
  async run(): Promise<void> {
    if (this.busy) return
    this.busy = true
    try {
      await this.round()
    } finally {
      this.busy = false
    }
  }
}
