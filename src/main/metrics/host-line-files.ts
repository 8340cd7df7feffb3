/**
 * One JSON-lines file per host in a folder of the data directory, with its parsed state kept in memory:
 * loaded on first use (a line cut by a crash is skipped), appended per sample (a crash loses at most the
 * lines being written), and compacted at load and then hourly by rewriting the file through a temporary
 * file and a rename, so it survives restarts and stays bounded. Writes to one host's file are serialised.
 * The metrics stores (hosts' samples, containers' samples) keep only what their lines mean.
 */
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

const COMPACT_EVERY_MS = 60 * 60_000

export interface HostLineFormat<S> {
  /** The folder, inside the data directory. */
  folder: string[]
  /** How a host's file is named in the log, e.g. `web-1` or `web-1's containers`. */
  label(hostId: string): string
  /** The state of a host with no lines. */
  empty(): S
  /** Adds one line, as parsed JSON, to the state; a value that is not a valid line is ignored. */
  take(state: S, value: unknown): void
  /** After every line is taken (e.g. to sort). */
  loaded?(state: S): void
  /** Applies the retention to the state at `now`: the file's lines when that changed anything, else null. */
  compact(state: S, now: number): string[] | null
}

interface Entry<S> {
  state: S
  compactedAt: number
}

export class HostLineFiles<S> {
  private readonly hosts = new Map<string, Promise<Entry<S>>>()
  private readonly writes = new Map<string, Promise<void>>()

  constructor(
    private readonly dataDir: string,
    private readonly format: HostLineFormat<S>,
    private readonly log: (line: string) => void,
    private readonly now: () => number = Date.now
  ) {}

  private dir(): string {
    return join(this.dataDir, ...this.format.folder)
  }

  file(hostId: string): string {
    return join(this.dir(), `${encodeURIComponent(hostId)}.jsonl`)
  }

  /** The host's state, loaded (and compacted) on first use. */
  async state(hostId: string): Promise<S> {
    return (await this.entry(hostId)).state
  }

  /** Appends lines the caller has already added to the state; compacts when an hour has passed. */
  async append(hostId: string, lines: string[]): Promise<void> {
    const entry = await this.entry(hostId)
    const text = lines.join('\n') + '\n'
    await this.queue(hostId, async () => {
      await mkdir(this.dir(), { recursive: true, mode: 0o700 })
      await appendFile(this.file(hostId), text, { mode: 0o600 })
    })
    if (this.now() - entry.compactedAt > COMPACT_EVERY_MS) await this.compact(hostId, entry)
  }

  async flush(): Promise<void> {
    await Promise.allSettled([...this.writes.values()])
  }

  private entry(hostId: string): Promise<Entry<S>> {
    let e = this.hosts.get(hostId)
    if (!e) {
      e = this.load(hostId)
      this.hosts.set(hostId, e)
    }
    return e
  }

  private async load(hostId: string): Promise<Entry<S>> {
    const entry: Entry<S> = { state: this.format.empty(), compactedAt: 0 }
    let text: string
    try {
      text = await readFile(this.file(hostId), 'utf8')
    } catch {
      entry.compactedAt = this.now()
      return entry
    }
    for (const line of text.split('\n')) {
      if (!line) continue
      let value: unknown
      try {
        value = JSON.parse(line)
      } catch {
        continue // a line cut by a crash
      }
      this.format.take(entry.state, value)
    }
    this.format.loaded?.(entry.state)
    await this.compact(hostId, entry)
    return entry
  }

  private async compact(hostId: string, entry: Entry<S>): Promise<void> {
    const now = this.now()
    entry.compactedAt = now
    const lines = this.format.compact(entry.state, now)
    if (!lines) return
    const text = lines.join('\n') + (lines.length ? '\n' : '')
    await this.queue(hostId, async () => {
      await mkdir(this.dir(), { recursive: true, mode: 0o700 })
      const tmp = `${this.file(hostId)}.${process.pid}.tmp`
      await writeFile(tmp, text, { mode: 0o600 })
      await rename(tmp, this.file(hostId))
    })
    this.log(`metrics: ${this.format.label(hostId)} compacted to ${lines.length} points`)
  }

  private queue(hostId: string, fn: () => Promise<void>): Promise<void> {
    const next = (this.writes.get(hostId) ?? Promise.resolve()).then(fn).catch((err: Error) => this.log(`metrics: ${this.format.label(hostId)}: ${err.message}`))
    this.writes.set(hostId, next)
    return next
  }
}
