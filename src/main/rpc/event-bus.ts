/**
 * Typed events from services to the connected clients, whatever transport carries them. An event
 * emitted with a `to` client id is a stream's (terminal output, log lines, a watch): the transports
 * deliver it to that client only. One without is about shared state (`*.changed`) and goes to all.
 */
import { events, type EventName, type EventPayload } from '../../shared/contract'

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>, to: string | undefined) => void

export class EventBus {
  private readonly listeners = new Set<EventListener>()

  constructor(private readonly log: (line: string) => void = () => {}) {}

  /**
   * Validates at the source, so a drifting service is caught here, in main, not in a renderer. Emits
   * come from timers and stream callbacks, where a throw would take the process down: an invalid
   * payload is logged and dropped instead, as the router treats an invalid result.
   */
  emit<E extends EventName>(event: E, payload: EventPayload<E>, to?: string): void {
    const checked = events[event].safeParse(payload)
    if (!checked.success) {
      const issues = checked.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
      this.log(`events: dropped a ${event} outside the contract (a Dropdeck bug): ${issues.join('; ')}`)
      return
    }
    for (const listener of this.listeners) {
      try {
        listener(event, checked.data as EventPayload<E>, to)
      } catch {
        // A broken transport must not stop delivery to the others.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * What one client receives: the shared events and its own streams' events, nobody else's. Both
   * transports (a window, a WebSocket) deliver through this.
   */
  subscribeClient(clientId: string, deliver: <E extends EventName>(event: E, payload: EventPayload<E>) => void): () => void {
    return this.subscribe((event, payload, to) => {
      if (to === undefined || to === clientId) deliver(event, payload)
    })
  }
}
