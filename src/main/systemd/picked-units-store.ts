/**
 * Which units matter, per host: picked-units.json in the data folder (a HostListsFile: checked on
 * read, written atomically one change at a time). A host nobody has picked for gets the default pick
 * (seed 000).
 */
import { join } from 'node:path'
import { z } from 'zod'
import { DEFAULT_PICKED_UNITS } from '../../shared/contract/units'
import { HostListsFile } from '../storage/host-lists-file'

export class PickedUnitsStore {
  private readonly store: HostListsFile<string>

  constructor(dataDir: string, log: (line: string) => void = () => {}) {
    this.store = new HostListsFile({
      file: join(dataDir, 'picked-units.json'),
      entry: z.string(),
      kind: 'picked-units',
      startsFrom: 'the default pick',
      log,
      logPrefix: 'units'
    })
  }

  get file(): string {
    return this.store.file
  }

  async get(hostId: string): Promise<string[]> {
    return (await this.store.get(hostId)) ?? [...DEFAULT_PICKED_UNITS]
  }

  set(hostId: string, units: readonly string[]): Promise<string[]> {
    return this.store.set(hostId, [...new Set(units)])
  }
}
