/**
 * Settings persisted as JSON in the data folder (settings.json, through JsonFile: checked on read,
 * written atomically one change at a time). A file from an older or newer Dropdeck, or edited by hand,
 * keeps every valid field; a field that is missing or invalid falls back to its default on its own.
 */
import { join } from 'node:path'
import { z } from 'zod'
import { defaultSettings, SettingsSchema, type Settings } from '../../shared/contract'
import type { EventBus } from '../rpc/event-bus'
import { JsonFile } from '../storage/json-file'

/** Each stored field that passes its own check, over the defaults. */
function overDefaults(stored: unknown): unknown {
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return stored
  const merged: Record<string, unknown> = { ...defaultSettings }
  for (const [key, value] of Object.entries(stored)) {
    const field = Object.hasOwn(SettingsSchema.shape, key) ? SettingsSchema.shape[key as keyof Settings] : undefined
    if (field?.safeParse(value).success) merged[key] = value
  }
  return merged
}

const StoredSettingsSchema = z.preprocess(overDefaults, SettingsSchema)

export class SettingsStore {
  private readonly store: JsonFile<Settings>

  constructor(
    dataDir: string,
    private readonly bus: EventBus,
    log: (line: string) => void = () => {}
  ) {
    this.store = new JsonFile({
      file: join(dataDir, 'settings.json'),
      schema: StoredSettingsSchema,
      empty: () => defaultSettings,
      kind: 'settings',
      startsFrom: 'the default settings until the next save',
      log,
      logPrefix: 'settings'
    })
  }

  get file(): string {
    return this.store.file
  }

  get(): Promise<Settings> {
    return this.store.read()
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = await this.store.replace((current) => SettingsSchema.parse({ ...current, ...patch }))
    this.bus.emit('settings.changed', next)
    return next
  }
}
