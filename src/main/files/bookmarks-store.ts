/**
 * Bookmarked folders per host: file-bookmarks.json in the data folder (through JsonFile). A host with
 * none stored gets the defaults of seed 000's runbooks: the nginx sites, each project under /opt, and
 * /var/log.
 */
import { join } from 'node:path'
import { z } from 'zod'
import { BookmarkSchema, type Bookmark } from '../../shared/contract/files'
import { JsonFile } from '../storage/json-file'

const FileSchema = z.object({ version: z.literal(1), hosts: z.record(z.string(), z.array(BookmarkSchema)) })

export class BookmarksStore {
  private readonly store: JsonFile<z.infer<typeof FileSchema>>

  constructor(dataDir: string, log: (line: string) => void = () => {}) {
    this.store = new JsonFile({
      file: join(dataDir, 'file-bookmarks.json'),
      schema: FileSchema,
      empty: () => ({ version: 1, hosts: {} }),
      kind: 'file-bookmarks',
      startsFrom: 'the default bookmarks',
      log,
      logPrefix: 'files'
    })
  }

  /** The stored bookmarks, or undefined when the host has none stored (it gets the defaults). */
  async stored(hostId: string): Promise<Bookmark[] | undefined> {
    const data = await this.store.read()
    return Object.hasOwn(data.hosts, hostId) ? data.hosts[hostId].map((b) => ({ ...b })) : undefined
  }

  set(hostId: string, bookmarks: readonly Bookmark[]): Promise<Bookmark[]> {
    const seen = new Set<string>()
    const unique = bookmarks.filter((b) => !seen.has(b.path) && seen.add(b.path))
    return this.store.update((data) => {
      data.hosts[hostId] = unique.map((b) => ({ ...b }))
      return unique
    })
  }
}

/** `/opt/<project>` for every folder in /opt (at most 5), else /opt itself. */
export function defaultBookmarks(optFolders: readonly string[]): Bookmark[] {
  const projects = optFolders.filter((n) => !n.startsWith('.')).sort().slice(0, 5)
  return [
    { path: '/etc/nginx/sites-enabled', label: 'nginx sites' },
    ...(projects.length ? projects.map((p) => ({ path: `/opt/${p}`, label: p })) : [{ path: '/opt', label: 'opt' }]),
    { path: '/var/log', label: 'logs' }
  ]
}
