/**
 * The app:// protocol the Electron window loads the renderer from, kept out of *.electron.ts so it is
 * tested in plain Node: which URL the window opens, which file a request maps to (only files inside
 * out/renderer, never through `..` or a symlink leading out), and the response with its headers.
 * A custom origin instead of file:// keeps `'self'` to our own files and gives the IPC sender check
 * one exact origin to trust.
 */
import { readFile, realpath, stat } from 'node:fs/promises'
import { join, sep } from 'node:path'
import { electronContentSecurityPolicy } from './electron-csp'
import { rendererContentType } from './renderer-content-type'

export const APP_SCHEME = 'app'
export const APP_HOST = 'dropdeck'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
/** The page the Electron window opens; the IPC sender check trusts exactly this origin and path. */
export const APP_RENDERER_URL = `${APP_ORIGIN}/index.html`

/**
 * The renderer URL for the window. `ELECTRON_RENDERER_URL` (electron-vite's dev server) counts only in
 * an unpackaged app: in a packaged one it would let whoever sets the environment load any page with the
 * preload and have the IPC sender check trust it.
 */
export function rendererEntryUrl(options: { isPackaged: boolean; devServerUrl?: string }): string {
  if (!options.isPackaged && options.devServerUrl) return options.devServerUrl
  return APP_RENDERER_URL
}

/**
 * The file under `root` that an app:// URL names, or undefined when it names none: another scheme or
 * host, a `..` or `.` segment (also percent-encoded), a backslash or NUL, a folder, a missing file, or a
 * path that leaves `root` once symlinks are resolved.
 */
export async function resolveAppFile(root: string, requestUrl: string): Promise<string | undefined> {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return undefined
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username !== '' || url.password !== '' || url.port !== '') return undefined
  let path: string
  try {
    path = decodeURIComponent(url.pathname)
  } catch {
    return undefined
  }
  if (path === '') path = '/'
  if (path.endsWith('/')) path += 'index.html'
  const segments = path.split('/').slice(1)
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('\0'))) return undefined
  try {
    const realRoot = await realpath(root)
    const real = await realpath(join(realRoot, ...segments))
    if (!real.startsWith(realRoot + sep)) return undefined
    if (!(await stat(real)).isFile()) return undefined
    return real
  } catch {
    return undefined
  }
}

/** Every app:// response carries the Electron CSP; the window never caches a stale index.html. */
function headers(contentType: string, noStore: boolean): Headers {
  return new Headers({
    'content-type': contentType,
    'content-security-policy': electronContentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': noStore ? 'no-store' : 'public, max-age=31536000, immutable'
  })
}

/** The answer to one app:// request: the file from `root`, or 404/405 with the same headers. */
export async function appResponse(root: string, request: { url: string; method: string }): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const res = new Response(null, { status: 405, headers: headers('text/plain; charset=utf-8', true) })
    res.headers.set('allow', 'GET, HEAD')
    return res
  }
  const file = await resolveAppFile(root, request.url)
  if (!file) return new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8', true) })
  const type = rendererContentType(file)
  const body = request.method === 'HEAD' ? null : await readFile(file)
  return new Response(body, { status: 200, headers: headers(type, file.endsWith('index.html')) })
}
