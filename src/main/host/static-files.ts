/** Serves the built renderer (out/renderer) with its security headers; nothing outside that folder. */
import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join, normalize, sep } from 'node:path'
import { rendererContentType } from '../security/renderer-content-type'

/** The same policy as the renderer's meta tag, plus the host's WebSocket. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'"
  ].join('; ')
}

export function createStaticHandler(root: string, port: () => number) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    let rel: string
    try {
      rel = decodeURIComponent(url.pathname)
    } catch {
      res.writeHead(400).end('Bad path')
      return
    }
    if (rel.endsWith('/')) rel += 'index.html'
    const file = normalize(join(root, rel))
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(404).end()
      return
    }
    let info
    let real = file
    try {
      // The check above is on the name; a symlink inside the folder could still point out of it.
      // Serve only what resolves inside the resolved root (itself possibly reached by a link).
      const [resolved, base] = await Promise.all([realpath(file), realpath(root)])
      real = resolved
      info = resolved.startsWith(base + sep) ? await stat(resolved) : undefined
    } catch {
      info = undefined
    }
    if (!info?.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found')
      return
    }
    res.writeHead(200, {
      'content-type': rendererContentType(file),
      'content-length': info.size,
      'cache-control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=31536000, immutable',
      'content-security-policy': contentSecurityPolicy(port()),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin'
    })
    if (req.method === 'HEAD') {
      res.end()
      return
    }
    createReadStream(real).pipe(res)
  }
}
