/**
 * One JSON file in the data folder, the way every store keeps its state:
 * - read once, checked against a zod schema; a file that is not JSON or does not match is moved aside
 *   (`<file>.invalid-<time>`, so nothing the operator wrote is destroyed) with one log line saying
 *   where, and the store starts from its empty value (or what `repair` kept of it). It never throws
 *   for a bad file;
 * - every change runs through one queue per file path (shared by every JsonFile of that path in this
 *   process), so concurrent read-modify-writes never lose each other's updates;
 * - each write is atomic and durable (see atomic-write.ts), 0600 in a 0700 folder;
 * - before the first read, temp files a crashed writer left behind are removed.
 */
import { readFile, rename } from 'node:fs/promises'
import type { z } from 'zod'
import { sweepStaleTemps, writeFileAtomic } from './atomic-write'

export interface JsonFileOptions<T> {
  file: string
  schema: z.ZodType<T>
  /** The value of a missing file (and of a bad one, unless `repair` keeps part of it). */
  empty: () => T
  /** What the file is, for log lines: "is not a <kind> file". */
  kind: string
  /** What the store starts from when the file is bad, for log lines: "starting from <startsFrom>". */
  startsFrom: string
  log: (line: string) => void
  /** Log lines start with "<logPrefix>: ". */
  logPrefix: string
  /** Keeps the valid part of a parsed file that failed the schema (entries one by one, say). */
  repair?: (json: unknown) => T | undefined
}

/** A `repair` for a file holding a list: the entries that still pass `entry`, or nothing if it is no list. */
export function keepValidEntries<T>(entry: z.ZodType<T>): (json: unknown) => T[] | undefined {
  return (json) => {
    if (!Array.isArray(json)) return undefined
    return json.flatMap((item) => {
      const parsed = entry.safeParse(item)
      return parsed.success ? [parsed.data] : []
    })
  }
}

/** Tasks per file path, one at a time: the tail of each file's chain. */
const queues = new Map<string, Promise<unknown>>()

function enqueue<R>(file: string, task: () => Promise<R>): Promise<R> {
  const run = (queues.get(file) ?? Promise.resolve()).then(task)
  const tail = run.then(
    () => undefined,
    () => undefined
  )
  queues.set(file, tail)
  void tail.then(() => {
    if (queues.get(file) === tail) queues.delete(file)
  })
  return run
}

export class JsonFile<T> {
  private loading: Promise<T> | undefined
  private current: T | undefined

  constructor(private readonly options: JsonFileOptions<T>) {}

  get file(): string {
    return this.options.file
  }

  /** The stored value. Do not mutate it: change it with `update` or `replace`. */
  read(): Promise<T> {
    if (this.current !== undefined) return Promise.resolve(this.current)
    this.loading ??= enqueue(this.file, () => this.load()).then((value) => (this.current = value))
    return this.loading
  }

  /**
   * Runs `change` on a copy of the stored value, in this file's queue, then writes the copy. What
   * `change` returns is returned; if it throws, nothing is written.
   */
  async update<R>(change: (draft: T) => R | Promise<R>): Promise<R> {
    await this.read()
    return enqueue(this.file, async () => {
      const draft = structuredClone(this.current as T)
      const result = await change(draft)
      await this.write(draft)
      return result
    })
  }

  /** Writes what `next` makes of the stored value, in this file's queue; returns what was written. */
  async replace(next: (current: T) => T): Promise<T> {
    await this.read()
    return enqueue(this.file, async () => this.write(next(this.current as T)))
  }

  private async write(value: T): Promise<T> {
    const checked = this.options.schema.parse(value)
    await writeFileAtomic(this.file, `${JSON.stringify(checked, null, 2)}\n`)
    this.current = checked
    return checked
  }

  private async load(): Promise<T> {
    const { file, schema, log, logPrefix } = this.options
    try {
      const swept = await sweepStaleTemps(file)
      if (swept.length) log(`${logPrefix}: removed ${swept.length} temp file(s) left by an interrupted write of ${file}`)
    } catch (err) {
      log(`${logPrefix}: could not tidy temp files beside ${file}: ${(err as Error).message}`)
    }
    let raw: string
    try {
      raw = await readFile(file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log(`${logPrefix}: ${file} is unreadable (${(err as Error).message}); starting from ${this.options.startsFrom}`)
      return this.options.empty()
    }
    let json: unknown
    try {
      json = JSON.parse(raw)
    } catch (err) {
      await this.setAside(`not valid JSON: ${(err as Error).message}`, false)
      return this.options.empty()
    }
    const parsed = schema.safeParse(json)
    if (parsed.success) return parsed.data
    const first = parsed.error.issues[0]
    let repaired: T | undefined
    try {
      repaired = this.options.repair?.(json)
    } catch {
      repaired = undefined // a repair that cannot cope keeps nothing: the store starts empty
    }
    await this.setAside(`${first.path.join('.') || 'the whole file'}: ${first.message}`, repaired !== undefined)
    if (repaired === undefined) return this.options.empty()
    // The original is aside now: store what was kept, or the next launch would start empty.
    try {
      return await this.write(repaired)
    } catch (err) {
      log(`${logPrefix}: could not write the kept entries back to ${file}: ${(err as Error).message}`)
      return repaired
    }
  }

  private async setAside(problem: string, repaired: boolean): Promise<void> {
    const { file, log, logPrefix, kind, startsFrom } = this.options
    const aside = `${file}.invalid-${new Date().toISOString().replace(/[:.]/g, '-')}`
    let where: string
    try {
      await rename(file, aside)
      where = `moved it to ${aside}`
    } catch (err) {
      where = `could not move it aside (${(err as Error).message})`
    }
    const next = repaired ? 'keeping the entries that are valid' : `starting from ${startsFrom}`
    log(`${logPrefix}: ${file} is not a ${kind} file (${problem}); ${where}, ${next}`)
  }
}
