/**
 * The Electron security checklist that is not a BrowserWindow option: deny navigation, new windows,
 * webviews and permission requests; links the page opens (tunnel URLs, provider consoles, terminal
 * output) go to the system browser only when they are plain http(s).
 */
import { app, session, shell, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { isExternalUrlAllowed, isPermissionAllowed, isRendererUrl } from './security/url-policy'

export function hardenSessions(rendererUrl: () => string): void {
  // Nothing in Dropdeck needs the camera, notifications via the web API, geolocation...; only the
  // terminal's Ctrl+Shift+C/V need the clipboard, and only our renderer's main frame gets it.
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback, details) =>
    callback(isPermissionAllowed(permission, details.requestingUrl ?? contents.getURL(), rendererUrl(), details.isMainFrame !== false))
  )
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionAllowed(permission, details.requestingUrl ?? requestingOrigin, rendererUrl(), details.isMainFrame !== false)
  )

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (url !== contents.getURL()) event.preventDefault()
    })
    contents.on('will-redirect', (event) => event.preventDefault())
    contents.on('will-attach-webview', (event) => event.preventDefault())
    // Links (tunnel URLs, terminal output) go to the system browser when they are plain http(s); no
    // window ever opens inside the app.
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalUrlAllowed(url)) void shell.openExternal(url)
      return { action: 'deny' }
    })
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
