/** Typed events from services to every connected client, whatever transport carries them. */
import { events, type EventName, type EventPayload } from '../../shared/contract'

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void

export class EventBus {
  private readonly listeners = new Set<EventListener>()

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    // Validate at the source so a drifting service fails here, in main, not in a renderer.
    const checked = events[event].parse(payload) as EventPayload<E>
    for (const listener of this.listeners) {
      try {
        listener(event, checked)
      } catch {
        // A broken transport must not stop delivery to the others.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
