/**
 * Links into Files from elsewhere ("Open in Files" on a container's mount, a Compose project's folder):
 * the host and folder live in the hash (#/files/<host>?path=/opt/odoo), so a reload and the back button
 * land on the same folder.
 */
import { hashFor } from '../navigation/use-hash-path'

export interface FilesTarget {
  hostId: string
  path: string
}

export function filesHash(hostId: string, path: string): string {
  return `${hashFor('files', [hostId])}?path=${encodeURIComponent(path)}`
}

export function openInFiles(hostId: string, path: string): void {
  const hash = filesHash(hostId, path)
  if (window.location.hash !== hash) window.location.hash = hash
}

/** The host and absolute folder a #/files link names, or null when it names none (a plain #/files). */
export function parseFilesHash(hash: string): FilesTarget | null {
  const [route, query = ''] = hash.replace(/^#\/?/, '').split('?')
  const [area, host] = route.split('/')
  if (area !== 'files' || !host) return null
  const path = new URLSearchParams(query).get('path')
  if (!path || !path.startsWith('/')) return null
  return { hostId: decodeURIComponent(host), path: path.length > 1 ? path.replace(/\/+$/, '') : path }
}

/** A string as one POSIX shell word: single-quoted, with each ' closed, escaped and reopened. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}
