/**
 * Which units matter, per host: a small JSON file in the data folder. A host nobody has picked for
 * gets the default pick (seed 000). Writes go to a temporary file renamed over the old one, so a
 * crash mid-write never leaves a truncated file.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { DEFAULT_PICKED_UNITS } from '../../shared/contract/units'

const FileSchema = z.object({ version: z.literal(1), hosts: z.record(z.string(), z.array(z.string())) })
type PickedFile = z.infer<typeof FileSchema>

export class PickedUnitsStore {
  /** One read of the file, shared by every caller (two first calls must not each start a fresh copy). */
  private loading: Promise<PickedFile> | undefined
  private writing: Promise<void> = Promise.resolve()

  constructor(private readonly dataDir: string, private readonly log: (line: string) => void = () => {}) {}

  get file(): string {
    return join(this.dataDir, 'picked-units.json')
  }

  async get(hostId: string): Promise<string[]> {
    const data = await this.load()
    return data.hosts[hostId] ?? [...DEFAULT_PICKED_UNITS]
  }

  async set(hostId: string, units: readonly string[]): Promise<string[]> {
    const data = await this.load()
    const unique = [...new Set(units)]
    data.hosts[hostId] = unique
    // Serialise writes so two quick picks cannot land out of order.
    const snapshot = JSON.stringify(data, null, 2)
    this.writing = this.writing.then(() => this.save(snapshot))
    await this.writing
    return unique
  }

  private load(): Promise<PickedFile> {
    this.loading ??= this.read()
    return this.loading
  }

  private async read(): Promise<PickedFile> {
    let raw: string
    try {
      raw = await readFile(this.file, 'utf8')
    } catch {
      return { version: 1, hosts: {} }
    }
    const parsed = FileSchema.safeParse(safeJson(raw))
    if (!parsed.success) this.log(`units: ${this.file} is not a picked-units file; starting from the default pick`)
    return parsed.success ? parsed.data : { version: 1, hosts: {} }
  }

  private async save(text: string): Promise<void> {
    await mkdir(this.dataDir, { recursive: true })
    const tmp = `${this.file}.${process.pid}.tmp`
    await writeFile(tmp, text + '\n', { mode: 0o600 })
    await rename(tmp, this.file)
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch {
    return undefined
  }
}
