/**
 * A JSON document in the data folder that changes often (check statuses after every run, alerts),
 * kept on the app's JsonFile (../storage/json-file.ts: zod-checked read, a bad file set aside,
 * atomic durable writes, one queue per file) with coalescing on top: the document is held in memory
 * and mutated in place, and changes within `coalesceMs` become one write.
 */
import { join } from 'node:path'
import type { z } from 'zod'
import { JsonFile } from '../storage/json-file'

export class JsonDocument<S extends z.ZodType> {
  private readonly store: JsonFile<z.output<S>>
  private loading: Promise<z.output<S>> | undefined
  private timer: NodeJS.Timeout | undefined
  private dirty = false
  private writing: Promise<unknown> = Promise.resolve()

  constructor(
    dataDir: string,
    private readonly name: string,
    schema: S,
    empty: () => z.output<S>,
    private readonly log: (line: string) => void,
    private readonly coalesceMs = 0
  ) {
    this.store = new JsonFile<z.output<S>>({ file: join(dataDir, name), schema: schema as z.ZodType<z.output<S>>, empty, kind: name, startsFrom: 'empty', log, logPrefix: name })
  }

  get file(): string {
    return this.store.file
  }

  /** The live document, a copy of what is stored: mutate it, then call changed(). */
  load(): Promise<z.output<S>> {
    this.loading ??= this.store.read().then((v) => structuredClone(v))
    return this.loading
  }

  /** Schedules a write of the current document; resolves when it is on disk (at once when not coalescing). */
  async changed(): Promise<void> {
    this.dirty = true
    if (this.coalesceMs > 0) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined
        this.flush().catch((err: Error) => this.log(err.message))
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
    if (!this.dirty || !this.loading) {
      await this.writing
      return
    }
    this.dirty = false
    const snapshot = structuredClone(await this.loading)
    this.writing = this.store.replace(() => snapshot).catch((err: Error) => {
      this.dirty = true // try again with the next change
      throw new Error(`${this.name} could not be saved: ${err.message}`)
    })
    await this.writing
  }
}
