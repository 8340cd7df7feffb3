/**
 * The Electron transport's clients, without Electron: one call context per window (`webContents`),
 * disposed when the window is destroyed, and event delivery to each window of the shared events and of
 * its own streams only. ipc.electron.ts wires it to ipcMain; tests drive it with plain senders.
 */
import { eventChannel } from '../shared/contract'
import { createCallContext, type CallContext, type Disposable } from './rpc/context'
import type { EventBus } from './rpc/event-bus'

/** What of a `webContents` this needs. */
export interface IpcSender {
  readonly id: number
  isDestroyed(): boolean
  send(channel: string, payload: unknown): void
  once(event: 'destroyed', listener: () => void): unknown
}

export const ipcClientId = (sender: Pick<IpcSender, 'id'>): string => `ipc:${sender.id}`

export interface IpcClients {
  /** The context of the window that sent a call, created on its first call. */
  contextFor(sender: IpcSender): CallContext
  dispose(): void
}

export function createIpcClients(bus: EventBus): IpcClients {
  const contexts = new Map<number, CallContext & Disposable>()
  return {
    contextFor(sender) {
      let ctx = contexts.get(sender.id)
      if (!ctx) {
        const created = createCallContext(ipcClientId(sender), bus)
        contexts.set(sender.id, created)
        // Closing the window disposes everything its calls opened.
        sender.once('destroyed', () => {
          contexts.delete(sender.id)
          void created.dispose()
        })
        ctx = created
      }
      return ctx
    },
    dispose() {
      for (const ctx of contexts.values()) void ctx.dispose()
      contexts.clear()
    }
  }
}

/** Sends one window the shared events and its own streams' events for as long as it lives. */
export function forwardEventsTo(bus: EventBus, sender: IpcSender): () => void {
  const unsubscribe = bus.subscribeClient(ipcClientId(sender), (event, payload) => {
    if (!sender.isDestroyed()) sender.send(eventChannel(event), payload)
  })
  sender.once('destroyed', unsubscribe)
  return unsubscribe
}
