/**
 * One JSON document in the data folder, validated on read, written the way settings-store.ts writes
 * (a temporary file renamed over the old one, mode 0600, writes serialised), with coalescing: many
 * changes within `coalesceMs` become one write. A file that does not parse is kept aside as
 * `<name>.broken` and the document starts from `empty`, so one bad edit never loses the app.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { z } from 'zod'

export class JsonDocument<S extends z.ZodType> {
  private loading: Promise<z.output<S>> | undefined
  private writing: Promise<void> = Promise.resolve()
  private timer: NodeJS.Timeout | undefined
  private dirty = false

  constructor(
    private readonly dataDir: string,
    private readonly name: string,
    private readonly schema: S,
    private readonly empty: () => z.output<S>,
    private readonly log: (line: string) => void,
    private readonly coalesceMs = 0
  ) {}

  get file(): string {
    return join(this.dataDir, this.name)
  }

  /** The live document: mutate it, then call changed(). */
  load(): Promise<z.output<S>> {
    this.loading ??= this.read()
    return this.loading
  }

  /** Schedules a write of the current document; resolves when it is on disk. */
  async changed(): Promise<void> {
    this.dirty = true
    if (this.coalesceMs > 0) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined
        void this.flush()
      }, this.coalesceMs)
      return
    }
    await this.flush()
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    if (!this.dirty || !this.loading) return this.writing
    this.dirty = false
    const text = `${JSON.stringify(await this.loading)}\n`
    this.writing = this.writing.then(() => this.save(text)).catch((err: Error) => this.log(`${this.name}: could not be saved (${err.message})`))
    return this.writing
  }

  private async read(): Promise<z.output<S>> {
    let raw: string
    try {
      raw = await readFile(this.file, 'utf8')
    } catch {
      return this.empty()
    }
    let json: unknown
    try {
      json = JSON.parse(raw)
    } catch {
      json = undefined
    }
    const parsed = this.schema.safeParse(json)
    if (parsed.success) return parsed.data
    this.log(`${this.name}: ${this.file} is not readable; kept as ${this.name}.broken, starting empty`)
    await rename(this.file, `${this.file}.broken`).catch(() => undefined)
    return this.empty()
  }

  private async save(text: string): Promise<void> {
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 })
    const tmp = `${this.file}.${process.pid}.tmp`
    await writeFile(tmp, text, { mode: 0o600 })
    await rename(tmp, this.file)
  }
}
