/**
 * A JsonFile holding one list per host, `{ "version": 1, "hosts": { "<hostId>": [...] } }`: the shape
 * of the stores that keep something the operator chose per host (picked units, bookmarked folders).
 * A host with no list stored reads as undefined, so each store decides its own default.
 */
import { z } from 'zod'
import { JsonFile, type JsonFileOptions } from './json-file'

type HostLists<T> = { version: 1; hosts: Record<string, T[]> }

export type HostListsFileOptions<T> = Omit<JsonFileOptions<HostLists<T>>, 'schema' | 'empty' | 'repair'> & {
  /** One entry of a host's list. */
  entry: z.ZodType<T>
}

export class HostListsFile<T> {
  private readonly store: JsonFile<HostLists<T>>

  constructor({ entry, ...options }: HostListsFileOptions<T>) {
    this.store = new JsonFile({
      ...options,
      schema: z.object({ version: z.literal(1), hosts: z.record(z.string(), z.array(entry)) }),
      empty: () => ({ version: 1, hosts: {} })
    })
  }

  get file(): string {
    return this.store.file
  }

  /** A copy of the host's stored list, or undefined when none is stored. */
  async get(hostId: string): Promise<T[] | undefined> {
    const { hosts } = await this.store.read()
    return Object.hasOwn(hosts, hostId) ? structuredClone(hosts[hostId]) : undefined
  }

  /** Stores `list` as the host's list (one change at a time, atomically); returns it. */
  set(hostId: string, list: readonly T[]): Promise<T[]> {
    return this.store.update((data) => {
      data.hosts[hostId] = structuredClone([...list])
      return [...list]
    })
  }
}
