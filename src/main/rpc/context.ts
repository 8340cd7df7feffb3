/**
 * A client context: one window (Electron) or one WebSocket connection (headless host).
 * Resources a call opens for its client are registered here and disposed when the client goes away.
 */
export interface Disposable {
  dispose(): void | Promise<void>
}

export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>()
  private disposed = false

  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      void item.dispose()
    } else {
      this.items.add(item)
    }
    return item
  }

  delete(item: Disposable): void {
    this.items.delete(item)
  }

  get size(): number {
    return this.items.size
  }

  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    const items = [...this.items].reverse()
    this.items.clear()
    // One failing disposer must not leave the others running.
    await Promise.allSettled(items.map(async (item) => item.dispose()))
  }
}

export interface CallContext {
  /** A stable id for logs: `ipc:<webContentsId>` or `ws:<n>`. */
  readonly clientId: string
  readonly disposables: DisposableStore
}

export function createCallContext(clientId: string): CallContext & Disposable {
  const disposables = new DisposableStore()
  return { clientId, disposables, dispose: () => disposables.dispose() }
}
