import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultSettings } from '../../src/shared/contract'
import { EventBus } from '../../src/main/rpc/event-bus'
import { SettingsStore } from '../../src/main/settings/settings-store'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropdeck-settings-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('settings store', () => {
  it('starts from the defaults and persists updates across instances', async () => {
    const bus = new EventBus()
    const seen: unknown[] = []
    bus.subscribe((event, payload) => seen.push([event, payload]))
    const store = new SettingsStore(dir, bus)
    expect(await store.get()).toEqual(defaultSettings)
    await store.update({ theme: 'dark', managedTagEnforced: true })
    expect(seen).toEqual([['settings.changed', { ...defaultSettings, theme: 'dark', managedTagEnforced: true }]])
    const again = new SettingsStore(dir, new EventBus())
    expect(await again.get()).toMatchObject({ theme: 'dark', managedTagEnforced: true })
  })

  it('keeps the valid fields of a hand-edited file and ignores the broken ones', async () => {
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ theme: 'light', alertThresholdPercent: 500, unknown: 1 }))
    const store = new SettingsStore(dir, new EventBus())
    expect(await store.get()).toEqual({ ...defaultSettings, theme: 'light' })
  })

  it('survives a corrupt file and rewrites it on the next save', async () => {
    await writeFile(join(dir, 'settings.json'), '{"theme": "da')
    const lines: string[] = []
    const store = new SettingsStore(dir, new EventBus(), (l) => lines.push(l))
    expect(await store.get()).toEqual(defaultSettings)
    expect(lines[0]).toContain('not valid JSON')
    await store.update({ defaultSshUser: 'deploy' })
    expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'))).toMatchObject({ defaultSshUser: 'deploy' })
  })

  it('refuses an invalid update and keeps the old settings', async () => {
    const store = new SettingsStore(dir, new EventBus())
    await expect(store.update({ managedTag: 'has space' })).rejects.toThrow()
    expect(await store.get()).toEqual(defaultSettings)
  })
})
