/**
 * The Electron IPC transport: one `ipcMain.handle` per contract method, answering only our own
 * window's main frame; events go out through `webContents.send`: shared ones to every window, a stream's
 * only to the window that opened it.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { methodNames } from '../shared/contract'
import { DropdeckError } from '../shared/errors'
import type { Services } from './app/services'
import { createIpcClients, forwardEventsTo } from './ipc-clients'

export function registerIpc(services: Services, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): () => void {
  // One context per window, disposed with it (ipc-clients.ts).
  const clients = createIpcClients(services.bus)

  for (const method of methodNames) {
    ipcMain.handle(method, async (event, params: unknown) => {
      if (!isTrustedSender(event)) {
        return { ok: false, error: new DropdeckError('UNAUTHORIZED', 'Calls are accepted only from the Dropdeck window.').toJSON() }
      }
      return services.router.call(method, params, clients.contextFor(event.sender))
    })
  }

  return () => {
    for (const method of methodNames) ipcMain.removeHandler(method)
    clients.dispose()
  }
}

/** Forwards the shared events, and the events of this window's own streams, to one window for as long as it lives. */
export function forwardEvents(services: Services, contents: WebContents): void {
  forwardEventsTo(services.bus, contents)
}
