/**
 * The Electron IPC transport: one `ipcMain.handle` per contract method, answering only our own
 * window's main frame; bus events go out through `webContents.send`.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { eventChannel, methodNames } from '../shared/contract'
import { DropdeckError } from '../shared/errors'
import type { Services } from './app/services'
import { createCallContext, type CallContext, type Disposable } from './rpc/context'

export function registerIpc(services: Services, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): () => void {
  const contexts = new Map<number, CallContext & Disposable>()

  const contextFor = (contents: WebContents): CallContext => {
    let ctx = contexts.get(contents.id)
    if (!ctx) {
      const created = createCallContext(`ipc:${contents.id}`)
      contexts.set(contents.id, created)
      // Closing the window disposes everything its calls opened.
      contents.once('destroyed', () => {
        contexts.delete(contents.id)
        void created.dispose()
      })
      ctx = created
    }
    return ctx
  }

  for (const method of methodNames) {
    ipcMain.handle(method, async (event, params: unknown) => {
      if (!isTrustedSender(event)) {
        return { ok: false, error: new DropdeckError('UNAUTHORIZED', 'Calls are accepted only from the Dropdeck window.').toJSON() }
      }
      return services.router.call(method, params, contextFor(event.sender))
    })
  }

  return () => {
    for (const method of methodNames) ipcMain.removeHandler(method)
    for (const ctx of contexts.values()) void ctx.dispose()
    contexts.clear()
  }
}

/** Forwards every bus event to one window for as long as it lives. */
export function forwardEvents(services: Services, contents: WebContents): void {
  const unsubscribe = services.bus.subscribe((event, payload) => {
    if (!contents.isDestroyed()) contents.send(eventChannel(event), payload)
  })
  contents.once('destroyed', unsubscribe)
}
