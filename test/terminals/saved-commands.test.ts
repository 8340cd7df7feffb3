/**
 * Saved commands per host, on disk: the built-in runbook commands for every SSH host, the operator's
 * own per host / for every host / for local shells, hiding a built-in, persistence across restarts,
 * concurrent adds all kept with no temp file left behind, and an unreadable file never losing the defaults.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LOCAL_COMMANDS_HOST } from '../../src/shared/contract/terminals'
import { BUILT_IN_COMMANDS, SavedCommandsStore } from '../../src/main/terminals/saved-commands-store'
import { createServices } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import { memoryKeychain } from '../ssh/support/ssh-env'

describe('saved commands', () => {
  let dir: string
  const logs: string[] = []
  const store = () => new SavedCommandsStore(dir, (line) => logs.push(line))

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dd-saved-cmds-'))
    logs.length = 0
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('offers the runbook commands on every SSH host, none on local shells', async () => {
    const list = await store().list('prod')
    expect(list.map((c) => c.command)).toEqual(expect.arrayContaining(['sudo systemctl status e2i-api --no-pager', 'df -h', 'sudo journalctl -u e2i-api -n 100 --no-pager']))
    expect(list.find((c) => c.command.startsWith('docker ps --format'))).toMatchObject({ builtIn: true, hostId: '*' })
    expect(await store().list(LOCAL_COMMANDS_HOST)).toEqual([])
  })

  it('keeps the operator’s own per host, for every host and for local shells, across restarts', async () => {
    const s = store()
    const mine = await s.add({ hostId: 'prod', command: 'tail -f /var/log/nginx/e2i-api.error.log' })
    const everywhere = await s.add({ hostId: '*', label: 'Uptime', command: 'uptime' })
    const local = await s.add({ hostId: LOCAL_COMMANDS_HOST, label: 'Fleet up', command: 'npm run fleet:up' })
    expect(mine).toMatchObject({ hostId: 'prod', label: 'tail -f /var/log/nginx/e2i-api.error.log', builtIn: false })

    const again = store() // a fresh process reads the file
    const prod = await again.list('prod')
    expect(prod.slice(0, 2).map((c) => c.id)).toEqual([mine.id, everywhere.id]) // own first, then the built-ins
    expect(prod.length).toBe(2 + BUILT_IN_COMMANDS.length)
    const staging = await again.list('staging')
    expect(staging.map((c) => c.id)).toContain(everywhere.id)
    expect(staging.map((c) => c.id)).not.toContain(mine.id)
    expect((await again.list(LOCAL_COMMANDS_HOST)).map((c) => c.id)).toEqual([local.id])

    await again.remove(mine.id)
    expect((await store().list('prod')).map((c) => c.id)).not.toContain(mine.id)
    await expect(again.remove(mine.id)).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('hides a built-in for good when it is removed', async () => {
    const s = store()
    await s.remove('builtin:df')
    expect((await store().list('prod')).map((c) => c.id)).not.toContain('builtin:df')
    expect((await store().list('prod')).length).toBe(BUILT_IN_COMMANDS.length - 1)
  })

  it('keeps every one of many concurrent adds, written atomically', async () => {
    const s = store()
    await Promise.all(Array.from({ length: 25 }, (_, i) => s.add({ hostId: 'prod', command: `echo ${i}` })))
    const file = JSON.parse(readFileSync(path.join(dir, 'terminal-commands.json'), 'utf8')) as { commands: Array<{ command: string }> }
    expect(file.commands.map((c) => c.command).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `echo ${i}`).sort())
    expect(readdirSync(dir)).toEqual(['terminal-commands.json'])
  })

  it('starts from the built-ins when the file is not a saved-commands file, and says so', async () => {
    writeFileSync(path.join(dir, 'terminal-commands.json'), '{"version": 9')
    expect((await store().list('prod')).length).toBe(BUILT_IN_COMMANDS.length)
    expect(logs.join('\n')).toMatch(/not a saved-commands file/)
  })

  it('the app itself keeps them in its data folder: added through the router, there after a restart', async () => {
    const open = () => createServices({ dataDir: dir, version: '0.0.0-test', keychain: memoryKeychain(), env: { DROPDECK_SSH_CONFIG: path.join(dir, 'no-config') }, log: () => undefined })
    const first = open()
    const ctx = createCallContext('test', first.bus)
    const added = await first.router.call('terminals.commands.add', { hostId: 'prod', command: 'docker compose ps' }, ctx)
    expect(added.ok).toBe(true)
    await first.dispose()
    const second = open()
    try {
      const listed = await second.router.call('terminals.commands.list', { hostId: 'prod' }, ctx)
      expect(listed.ok && (listed.result as Array<{ command: string }>).map((c) => c.command)).toContain('docker compose ps')
    } finally {
      await second.dispose()
      await ctx.dispose()
    }
  })
})
