/**
 * A client context: one window (Electron) or one WebSocket connection (headless host).
 * Resources a call opens for its client are owned here (`own`) and disposed when the client goes
 * away; their events (`emit`) are delivered to this client only.
 */
import type { EventName, EventPayload } from '../../shared/contract'
import type { EventBus } from './event-bus'

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

  /** Forgets `item` without disposing it (it ended by itself); VS Code's name, so nobody reads it as "dispose". */
  deleteAndLeak(item: Disposable): void {
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

/** A resource held by a client; `release()` when it ends by itself, so the client no longer ends it. */
export interface Ownership {
  release(): void
}

export interface CallContext {
  /** A stable id for logs and delivery: `ipc:<webContentsId>` or `ws:<n>`. */
  readonly clientId: string
  readonly disposables: DisposableStore
  /**
   * Makes `resource` this client's: it is disposed when the client goes away (window closed, socket
   * dropped). A client that is already gone disposes it at once.
   */
  own(resource: Disposable, streamId?: string): Ownership
  /**
   * Whether `streamId` names a stream this client opened and still holds. Control calls on a stream
   * (write, resize, ack, close) answer a stream of another client exactly as an unknown id
   *, so one client can neither steer nor probe another's streams.
   */
  owns(streamId: string): boolean
  /** An event of a stream this client owns: delivered to this client only, never to the others. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void
}

/** `bus`: where the context's events go; a function returning it for a context made before its services (tests). */
export function createCallContext(clientId: string, bus: EventBus | (() => EventBus)): CallContext & Disposable {
  const disposables = new DisposableStore()
  const busOf = typeof bus === 'function' ? bus : () => bus
  const streams = new Map<string, Disposable>()
  return {
    clientId,
    disposables,
    own(resource, streamId) {
      disposables.add(resource)
      if (streamId !== undefined) streams.set(streamId, resource)
      return {
        release: () => {
          disposables.deleteAndLeak(resource)
          if (streamId !== undefined && streams.get(streamId) === resource) streams.delete(streamId)
        }
      }
    },
    owns: (streamId) => streams.has(streamId),
    emit(event, payload) {
      busOf().emit(event, payload, clientId)
    },
    dispose: () => {
      streams.clear()
      return disposables.dispose()
    }
  }
}

