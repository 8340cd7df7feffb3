/**
 * Which units matter, per host: picked-units.json in the data folder (a HostListsFile: checked on
 * read, written atomically one change at a time). A host nobody has picked for has no units picked:
 * a fixed list (seed 000's e2i units) would show units most hosts lack as "not found" on every card;
 * the pick form offers the units the host has instead (units.available).
 */
import { join } from 'node:path'
import { z } from 'zod'
import { HostListsFile } from '../storage/host-lists-file'

export class PickedUnitsStore {
  private readonly store: HostListsFile<string>

  constructor(dataDir: string, log: (line: string) => void = () => {}) {
    this.store = new HostListsFile({
      file: join(dataDir, 'picked-units.json'),
      entry: z.string(),
      kind: 'picked-units',
      startsFrom: 'no units picked',
      log,
      logPrefix: 'units'
    })
  }

  get file(): string {
    return this.store.file
  }

  async get(hostId: string): Promise<string[]> {
    return (await this.store.get(hostId)) ?? []
  }

  set(hostId: string, units: readonly string[]): Promise<string[]> {
    return this.store.set(hostId, [...new Set(units)])
  }
}
