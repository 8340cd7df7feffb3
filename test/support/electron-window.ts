/**
 * Chromium standing in for the Electron window, as far as a browser can (no Electron binary downloads
 * here): the BUILT renderer served by the real app:// handler (src/main/security/app-protocol.ts) with the
 * Electron CSP, under an https origin that stands in for app://dropdeck (Chromium cannot register a
 * scheme from outside); the BUILT preload evaluated before the page's scripts, with `require('electron')`
 * answered by a shim whose ipcRenderer crosses to the test process over a Playwright binding; there the
 * real router answers, behind the same checks as src/main/ipc.electron.ts (a contract method, our page's
 * main frame) and with its per-window contexts and event delivery (src/main/ipc-clients.ts); the
 * services' events come back to the preload's ipcRenderer listeners.
 * What the shim cannot show: the isolated world of contextIsolation, structured-clone IPC, the sandbox
 * itself. A real Electron checks those on the release machines (README).
 */
import type { BrowserContext, Page } from 'playwright-core'
import type { Services } from '../../src/main/app/services'
import { createIpcClients, forwardEventsTo, type IpcSender } from '../../src/main/ipc-clients'
import { APP_ORIGIN, appResponse } from '../../src/main/security/app-protocol'
import { isRendererUrl } from '../../src/main/security/url-policy'
import { isMethodName } from '../../src/shared/contract'
import { DropdeckError } from '../../src/shared/errors'

/** The stand-in for app://dropdeck; requests to it are answered by appResponse as app://dropdeck requests. */
export const WINDOW_ORIGIN = 'https://app.dropdeck.test'
export const WINDOW_URL = `${WINDOW_ORIGIN}/index.html`

/**
 * The preload as Electron's sandbox runs it: a function given `require`, `module` and `exports`, where
 * require knows `electron` (contextBridge, ipcRenderer) and refuses anything else with Electron's words.
 */
function sandboxedPreloadScript(preloadSource: string): string {
  return `(() => {
  const listeners = new Map()
  const ipcRenderer = {
    invoke: (channel, ...args) => globalThis.__electronIpcInvoke(channel, ...args),
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set())
      listeners.get(channel).add(listener)
      return ipcRenderer
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener)
      return ipcRenderer
    }
  }
  const ipcEvent = { sender: ipcRenderer }
  Object.defineProperty(globalThis, '__electronIpcEmit', {
    value: (channel, payload) => { for (const listener of listeners.get(channel) ?? []) listener(ipcEvent, payload) }
  })
  // contextBridge copies the API into the page and freezes it.
  const contextBridge = {
    exposeInMainWorld(key, api) {
      Object.defineProperty(globalThis, key, { value: Object.freeze({ ...api }), enumerable: true })
    }
  }
  const require = (name) => {
    if (name === 'electron') return { contextBridge, ipcRenderer }
    if (['events', 'timers', 'url'].includes(name)) throw new Error('the Electron window shim does not provide ' + name + ' yet: add it')
    throw new Error('module not found: ' + name)
  }
  const module = { exports: {} }
  try {
    (function (exports, require, module) {
${preloadSource}
    })(module.exports, require, module)
  } catch (err) {
    console.error('Unable to load preload script: ' + (err && err.stack || err))
  }
})()`
}

export interface ElectronWindowWiring {
  /** Channels of every event sent to a page, in order. */
  readonly eventsSent: string[]
  /** Every request the pages made. */
  readonly requests: string[]
  dispose(): Promise<void>
}

/**
 * Wires a browser context like the Electron window: app:// files, the preload, and IPC to `services`
 * through the Electron transport's own client handling (src/main/ipc-clients.ts), each page standing in
 * for a webContents.
 */
export async function wireElectronWindow(context: BrowserContext, options: { services: Services; rendererDir: string; preloadSource: string }): Promise<ElectronWindowWiring> {
  const { services, rendererDir } = options
  const eventsSent: string[] = []
  const requests: string[] = []
  const clients = createIpcClients(services.bus)
  const senders = new WeakMap<Page, IpcSender>()
  let nextId = 1

  // webContents.send, for one page; forwardEventsTo delivers it the shared events and its own streams'.
  const senderFor = (page: Page): IpcSender => {
    let sender = senders.get(page)
    if (!sender) {
      sender = {
        id: nextId++,
        isDestroyed: () => page.isClosed(),
        send(channel, payload) {
          eventsSent.push(channel)
          void page.evaluate(([c, p]) => (globalThis as unknown as { __electronIpcEmit(c: string, p: unknown): void }).__electronIpcEmit(c, p), [channel, payload] as const).catch(() => {})
        },
        once(_event, listener) {
          page.once('close', listener)
        }
      }
      senders.set(page, sender)
      forwardEventsTo(services.bus, sender)
    }
    return sender
  }
  context.on('page', senderFor)

  context.on('request', (request) => requests.push(request.url()))
  await context.route(`${WINDOW_ORIGIN}/**`, async (route) => {
    const request = route.request()
    const url = new URL(request.url())
    const res = await appResponse(rendererDir, { url: `${APP_ORIGIN}${url.pathname}${url.search}`, method: request.method() })
    const headers: Record<string, string> = {}
    res.headers.forEach((value, name) => (headers[name] = value))
    await route.fulfill({ status: res.status, headers, body: Buffer.from(await res.arrayBuffer()) })
  })

  // ipcMain.handle per contract method, answering only our page's main frame (src/main/ipc.electron.ts).
  await context.exposeBinding('__electronIpcInvoke', async ({ page, frame }, channel: unknown, params: unknown) => {
    if (!isMethodName(channel)) throw new Error(`No handler registered for '${String(channel)}'`)
    if (frame.parentFrame() !== null || !isRendererUrl(frame.url(), WINDOW_URL)) {
      return { ok: false, error: new DropdeckError('UNAUTHORIZED', 'Calls are accepted only from the Dropdeck window.').toJSON() }
    }
    return services.router.call(channel, params, clients.contextFor(senderFor(page)))
  })
  await context.addInitScript({ content: sandboxedPreloadScript(options.preloadSource) })

  return {
    eventsSent,
    requests,
    async dispose() {
      clients.dispose()
    }
  }
}
