/**
 * The preload: exposes one object, `window.dropdeck`, built from the contract. It forwards only
 * the contract's method and event names; no raw ipcRenderer reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { eventChannel, isEventName, isMethodName, type DropdeckBridge } from '../shared/contract'

const bridge: DropdeckBridge = {
  invoke(method, params) {
    if (!isMethodName(method)) {
      return Promise.resolve({ ok: false, error: { code: 'METHOD_NOT_FOUND', message: `Unknown method ${String(method)}.`, retryable: false } } as const)
    }
    // main answers every method with an RpcEnvelope (src/main/ipc.electron.ts).
    return ipcRenderer.invoke(method, params) as never
  },
  on(event, listener) {
    if (!isEventName(event)) throw new Error(`Unknown event ${String(event)}.`)
    const channel = eventChannel(event)
    // Wrap so the page never sees the IpcRendererEvent (it carries `sender`).
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload as never)
    ipcRenderer.on(channel, wrapped)
    return () => {
      ipcRenderer.removeListener(channel, wrapped)
    }
  }
}

contextBridge.exposeInMainWorld('dropdeck', bridge)
