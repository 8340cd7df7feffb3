/** The content type of a built renderer file, for the headless host's static server and Electron's app:// alike. */
import { extname } from 'node:path'

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8'
}

export function rendererContentType(file: string): string {
  return contentTypes[extname(file)] ?? 'application/octet-stream'
}
