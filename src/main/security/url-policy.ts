/**
 * The URL decisions behind the Electron security checklist, kept out of *.electron.ts so they are
 * tested in plain Node: which URLs may open in the system browser, and which frames may call main.
 */

/** Only http(s) leaves the app through shell.openExternal; never file:, javascript:, smb: or custom schemes. */
export function isExternalUrlAllowed(raw: string): boolean {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === ''
}

/**
 * A frame may call the services only when it shows our renderer: same scheme, host and path as the
 * page we loaded (query and hash may differ). Sub-frames are refused by the caller.
 */
export function isRendererUrl(frameUrl: string, rendererUrl: string): boolean {
  try {
    const actual = new URL(frameUrl)
    const expected = new URL(rendererUrl)
    return actual.protocol === expected.protocol && actual.host === expected.host && actual.pathname === expected.pathname
  } catch {
    return false
  }
}

/**
 * The only web permissions the renderer gets: the terminal's copy and paste keys, and notifications for
 * health alerts (asked for on the operator's click). Nothing for other pages or frames.
 */
const RENDERER_PERMISSIONS = new Set(['clipboard-read', 'clipboard-sanitized-write', 'notifications'])

export function isPermissionAllowed(permission: string, requestingUrl: string, rendererUrl: string, isMainFrame: boolean): boolean {
  return isMainFrame && RENDERER_PERMISSIONS.has(permission) && isRendererUrl(requestingUrl, rendererUrl)
}
