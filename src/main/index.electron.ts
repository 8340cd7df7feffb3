/**
 * The Electron entry: app lifecycle and the one window. Everything it starts is a plain Node
 * service (src/main/app/services.ts), the same ones the headless host runs.
 */
import { join } from 'node:path'
import { app, BrowserWindow, nativeTheme } from 'electron'
import { createServices, type Services } from './app/services'
import { createShutdown, type Shutdown } from './app/shutdown'
import { forwardEvents, registerIpc } from './ipc.electron'
import { registerAppScheme, serveRenderer } from './protocol.electron'
import { electronFetch } from './providers/http/net-fetch.electron'
import { createSystemProxyResolver } from './network/proxy-resolver.electron'
import { createKeychain } from './secrets/keychain'
import { utilityKeychainChild } from './secrets/keychain-process.electron'
import { rendererEntryUrl } from './security/app-protocol'
import { createSenderCheck, hardenSessions } from './security.electron'
import { checkForUpdatesOnLaunch } from './updates/auto-update.electron'

// app://dropdeck/index.html, or electron-vite's dev server in an unpackaged app only.
const rendererUrl = rendererEntryUrl({ isPackaged: app.isPackaged, devServerUrl: process.env.ELECTRON_RENDERER_URL })
registerAppScheme()

let services: Services | undefined
let shutdown: Shutdown | undefined
/** Each shutdown step's limit: a stuck SSH close must not keep the app open. */
const SHUTDOWN_STEP_TIMEOUT_MS = 5000

function createWindow(svc: Services): void {
  const win = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Dropdeck',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#0f1115' : '#f7f8fa',
    autoHideMenuBar: true,
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false
    }
  })
  forwardEvents(svc, win.webContents)
  win.once('ready-to-show', () => win.show())
  void win.loadURL(rendererUrl)
}

// One instance: a second launch focuses the first window instead of fighting over state.
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows()
    if (win) {
      if (win.isMinimized()) win.restore()
      win.focus()
    }
  })

  void app.whenReady().then(() => {
    serveRenderer(join(__dirname, '../renderer'))
    hardenSessions(() => rendererUrl)
    // Keychain calls run in a utility process: the Linux backend would block this thread (see keychain.ts).
    const keychain = createKeychain({ launch: () => utilityKeychainChild() })
    services = createServices({ dataDir: app.getPath('userData'), version: app.getVersion(), keychain, fetch: electronFetch, proxyResolver: createSystemProxyResolver, log: (line) => console.error(line) })
    const svc = services
    const stopIpc = registerIpc(svc, createSenderCheck(() => rendererUrl))
    shutdown = createShutdown([{ name: 'ipc', run: stopIpc }, { name: 'services', run: () => svc.dispose() }], { stepTimeoutMs: SHUTDOWN_STEP_TIMEOUT_MS, log: (line) => console.error(line) })
    createWindow(services)
    checkForUpdatesOnLaunch((line) => console.error(line))
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0 && services) createWindow(services)
    })
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  // Hold the quit until the services are disposed (connections closed, stores flushed), as the headless
  // host does on SIGTERM; app.exit then quits without emitting will-quit again.
  app.on('will-quit', (event) => {
    if (!shutdown || shutdown.finished) return
    event.preventDefault()
    void shutdown.run().then(() => app.exit(0))
  })
}
