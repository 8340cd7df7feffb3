/**
 * Settings persisted as JSON in the data folder. Writes go to a temporary file and are renamed
 * over the old one, so a crash mid-write never leaves a truncated settings file.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { defaultSettings, SettingsSchema, type Settings } from '../../shared/contract'
import type { EventBus } from '../rpc/event-bus'

export class SettingsStore {
  private current: Settings | undefined
  private writing: Promise<void> = Promise.resolve()

  constructor(
    private readonly dataDir: string,
    private readonly bus: EventBus,
    private readonly log: (line: string) => void = () => {}
  ) {}

  get file(): string {
    return join(this.dataDir, 'settings.json')
  }

  async get(): Promise<Settings> {
    this.current ??= await this.load()
    return this.current
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = SettingsSchema.parse({ ...(await this.get()), ...patch })
    this.current = next
    // Serialise writes so two quick updates cannot land out of order.
    this.writing = this.writing.then(() => this.save(next))
    await this.writing
    this.bus.emit('settings.changed', next)
    return next
  }

  private async load(): Promise<Settings> {
    let raw: string
    try {
      raw = await readFile(this.file, 'utf8')
    } catch {
      return defaultSettings
    }
    try {
      // Keep every valid field of an older or hand-edited file; fall back per field, not wholesale.
      const stored = JSON.parse(raw) as Record<string, unknown>
      const merged: Record<string, unknown> = { ...defaultSettings }
      for (const [key, value] of Object.entries(stored)) {
        const field = SettingsSchema.shape[key as keyof Settings]
        if (field?.safeParse(value).success) merged[key] = value
      }
      return SettingsSchema.parse(merged)
    } catch (err) {
      this.log(`settings: ${this.file} is not valid JSON (${(err as Error).message}); using defaults until the next save`)
      return defaultSettings
    }
  }

  private async save(settings: Settings): Promise<void> {
    await mkdir(this.dataDir, { recursive: true })
    const tmp = `${this.file}.${process.pid}.tmp`
    await writeFile(tmp, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 })
    await rename(tmp, this.file)
  }
}
