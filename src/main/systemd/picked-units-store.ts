/**
 * Which units matter, per host: picked-units.json in the data folder (through JsonFile: checked on
 * read, written atomically one change at a time). A host nobody has picked for gets the default pick
 * (seed 000).
 */
import { join } from 'node:path'
import { z } from 'zod'
import { DEFAULT_PICKED_UNITS } from '../../shared/contract/units'
import { JsonFile } from '../storage/json-file'

const FileSchema = z.object({ version: z.literal(1), hosts: z.record(z.string(), z.array(z.string())) })

export class PickedUnitsStore {
  private readonly store: JsonFile<z.infer<typeof FileSchema>>

  constructor(dataDir: string, log: (line: string) => void = () => {}) {
    this.store = new JsonFile({
      file: join(dataDir, 'picked-units.json'),
      schema: FileSchema,
      empty: () => ({ version: 1, hosts: {} }),
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
    const data = await this.store.read()
    return Object.hasOwn(data.hosts, hostId) ? [...data.hosts[hostId]] : [...DEFAULT_PICKED_UNITS]
  }

  set(hostId: string, units: readonly string[]): Promise<string[]> {
    const unique = [...new Set(units)]
    return this.store.update((data) => {
      data.hosts[hostId] = unique
      return unique
    })
  }
}
