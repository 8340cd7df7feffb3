/**
 * The Electron security checklist that is not a BrowserWindow option: deny navigation, new windows,
 * webviews and permission requests; open only http(s) URLs in the system browser, and only those
 * the app built itself (tunnel URLs, provider consoles) pass through `openExternalUrl`.
 */
import { app, session, shell, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { isExternalUrlAllowed, isRendererUrl } from './security/url-policy'

export async function openExternalUrl(url: string): Promise<void> {
  if (!isExternalUrlAllowed(url)) throw new Error(`Refusing to open ${url}: only http(s) URLs open in the browser.`)
  await shell.openExternal(url)
}

export function hardenSessions(): void {
  // Nothing in Dropdeck needs the camera, notifications via the web API, geolocation...
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (url !== contents.getURL()) event.preventDefault()
    })
    contents.on('will-redirect', (event) => event.preventDefault())
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
}

/** Only our window's main frame, showing our renderer, may call the services. */
export function createSenderCheck(rendererUrl: () => string): (event: IpcMainInvokeEvent) => boolean {
  return (event) => {
    const frame = event.senderFrame
    if (!frame || frame.parent !== null) return false
    return isRendererUrl(frame.url, rendererUrl())
  }
}
