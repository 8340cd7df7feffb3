/**
 * Transfers wait their turn: at most `concurrency` run at once (each already keeps many requests in
 * flight; more at once only divides the same link), the rest are `queued` in the order asked.
 */
import { Transfer, type TransferDeps, type TransferEvents, type TransferParams } from './transfer'

export class TransferQueue {
  private readonly all = new Map<string, Transfer>()
  private readonly waiting: Transfer[] = []
  private running = 0
  private disposed = false

  constructor(
    private readonly deps: TransferDeps,
    private readonly concurrency: number
  ) {}

  add(id: string, params: TransferParams, events: TransferEvents): Transfer {
    const transfer = new Transfer(id, params, this.deps, events)
    this.all.set(id, transfer)
    this.waiting.push(transfer)
    events.state(transfer.snapshot())
    // After the open call has answered, so the client has the id before the first events.
    setImmediate(() => this.pump())
    return transfer
  }

  cancel(id: string): void {
    const t = this.all.get(id)
    if (!t) return
    const i = this.waiting.indexOf(t)
    if (i >= 0) this.waiting.splice(i, 1)
    t.cancel()
    if (i >= 0) this.all.delete(id)
  }

  private pump(): void {
    while (!this.disposed && this.running < this.concurrency && this.waiting.length) {
      const t = this.waiting.shift()!
      this.running++
      void t.run().finally(() => {
        this.running--
        this.all.delete(t.id)
        this.pump()
      })
    }
  }

  dispose(): void {
    this.disposed = true
    for (const t of this.all.values()) t.cancel()
    this.waiting.length = 0
  }
}
