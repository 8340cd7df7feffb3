/**
 * The data folder's files (finding #11 of the security review, and one JsonFile for every store):
 * - 20 concurrent `hosts.add` through the router keep all 20 (a fixed temp name kept 1);
 * - the folder is 0700 and every file 0600, a folder and a file left 0755/0644 by an older version included;
 * - a SIGKILL in the middle of writes loses no acknowledged change, and the next start removes the
 *   temp files the killed writer left;
 * - a file that is not JSON or does not match its schema is moved aside with one log line, never a crash.
 */
import { spawn } from 'node:child_process'
import { watch, type FSWatcher } from 'node:fs'
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createServices, type Services } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import { EventBus } from '../../src/main/rpc/event-bus'
import { AuditLog } from '../../src/main/providers/audit/audit-log'
import { HostsService } from '../../src/main/ssh/hosts-service'
import { AppKnownHosts } from '../../src/main/ssh/known-hosts'
import { PickedUnitsStore } from '../../src/main/systemd/picked-units-store'
import { JsonFile } from '../../src/main/storage/json-file'
import { memoryKeychain } from '../ssh/support/ssh-env'
import { routerCalls } from '../support/router-calls'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const isTemp = (name: string) => name.endsWith('.tmp')
const modeOf = async (p: string) => (await stat(p)).mode & 0o777

let root: string
const opened: Services[] = []
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'dropdeck-data-files-'))
})
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.dispose()))
  await rm(root, { recursive: true, force: true })
})

function open(dataDir: string): Services {
  const services = createServices({ dataDir, version: '0.0.0-test', keychain: memoryKeychain(), env: { DROPDECK_SSH_CONFIG: path.join(root, 'no-ssh-config') }, log: () => undefined })
  opened.push(services)
  return services
}

const manualHost = (i: number) => ({ id: `box-${i}`, hostname: `10.3.0.${i + 1}`, port: 22, user: 'ops', identityFiles: [] })

describe('data files', () => {
  it('keeps all of 20 concurrent hosts.add through the router, on disk and after a restart', async () => {
    const dataDir = path.join(root, 'data')
    const services = open(dataDir)
    const ctx = createCallContext('test', services.bus)
    const { call } = routerCalls(() => services, ctx)
    const added = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => call('hosts.add', manualHost(i))))
    expect(added.filter((r) => r.status === 'rejected')).toEqual([])
    const onDisk = JSON.parse(await readFile(path.join(dataDir, 'hosts.json'), 'utf8')) as Array<{ id: string }>
    expect(onDisk.map((h) => h.id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `box-${i}`).sort())
    // The same name twice at once: one is kept, the other refused.
    const twins = await Promise.allSettled([call('hosts.add', manualHost(99)), call('hosts.add', manualHost(99))])
    expect(twins.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    await services.dispose()
    opened.splice(opened.indexOf(services), 1)
    // The next launch on the same folder lists them all.
    const next = open(dataDir)
    const listed = await routerCalls(() => next, ctx).call('hosts.list', {})
    expect(listed.filter((h) => h.source === 'manual').map((h) => h.id).sort()).toEqual([...Array.from({ length: 20 }, (_, i) => `box-${i}`), 'box-99'].sort())
    await ctx.dispose()
  })

  it('makes the data folder 0700 and every file 0600, tightening what an older version left 0755/0644', async () => {
    const dataDir = path.join(root, 'old')
    await mkdir(dataDir)
    await chmod(dataDir, 0o755)
    await writeFile(path.join(dataDir, 'tunnels.json'), '[]\n')
    await chmod(path.join(dataDir, 'tunnels.json'), 0o644)
    const services = open(dataDir)
    const ctx = createCallContext('test', services.bus)
    const { call } = routerCalls(() => services, ctx)
    await services.ssh.startLaunchTunnels()
    await call('settings.update', { defaultSshUser: 'deploy' })
    await call('hosts.add', manualHost(1))
    await call('terminals.commands.add', { hostId: 'box-1', command: 'uptime' })
    await new PickedUnitsStore(dataDir).set('box-1', ['nginx'])
    await new AuditLog(dataDir, new EventBus()).append(ctx, { action: 'test', target: 'box-1', result: 'ok' })
    expect((await modeOf(dataDir)).toString(8)).toBe('700')
    const files = await readdir(dataDir)
    expect(files.sort()).toEqual(['audit.jsonl', 'hosts.json', 'picked-units.json', 'settings.json', 'terminal-commands.json', 'tunnels.json'])
    for (const name of files) expect(`${name} ${(await modeOf(path.join(dataDir, name))).toString(8)}`).toBe(`${name} 600`)

    // A folder that does not exist yet is made 0700, parents included.
    const fresh = path.join(root, 'a', 'b')
    await routerCalls(() => open(fresh), ctx).call('settings.update', { theme: 'dark' })
    expect((await modeOf(fresh)).toString(8)).toBe('700')
    expect((await modeOf(path.join(root, 'a'))).toString(8)).toBe('700')
    expect((await modeOf(path.join(fresh, 'settings.json'))).toString(8)).toBe('600')
    await ctx.dispose()
  })

  it("keeps the app's known_hosts 0600 in a 0700 folder when it is the first file written", async () => {
    const dataDir = path.join(root, 'first-trust')
    const sshString = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b])
    const ed25519 = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(Buffer.alloc(32, 7))])
    await new AppKnownHosts(dataDir).add('fresh.example', ed25519)
    expect((await modeOf(dataDir)).toString(8)).toBe('700')
    expect((await modeOf(path.join(dataDir, 'known_hosts'))).toString(8)).toBe('600')
  })

  it('loses no acknowledged host to a SIGKILL mid-write, and the next start leaves no temp file', async () => {
    const dataDir = path.join(root, 'killed')
    await mkdir(dataDir, { recursive: true })
    // A big file, so that most of the writer's time is spent writing it: the kill lands mid-write.
    const seeded = Array.from({ length: 3000 }, (_, i) => ({ id: `seed-${i}`, hostname: `10.4.${Math.floor(i / 250)}.${(i % 250) + 1}`, port: 22, user: 'ops', identityFiles: [`/home/ops/.ssh/id_ed25519_${i}`] }))
    await writeFile(path.join(dataDir, 'hosts.json'), JSON.stringify(seeded, null, 2), { mode: 0o600 })
    const acknowledged: string[] = []
    let tempsLeftByKills = 0
    for (let round = 0; round < 3; round++) {
      const writer = spawn(process.execPath, ['--import', 'tsx', 'test/support/hosts-writer.ts', dataDir, `r${round}`], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] })
      const exited = new Promise((resolve) => writer.once('exit', resolve))
      // After a few acknowledged adds, kill it the moment a write's temp file appears: mid-write.
      let acksThisRound = 0
      let pending = ''
      let watcher: FSWatcher | undefined
      await new Promise<void>((resolve, reject) => {
        writer.once('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`the writer exited by itself (${code})`))))
        writer.stdout.on('data', (chunk: Buffer) => {
          pending += chunk.toString()
          const lines = pending.split('\n')
          pending = lines.pop() ?? ''
          acknowledged.push(...lines)
          acksThisRound += lines.length
          if (acksThisRound < 3 || watcher) return
          watcher = watch(dataDir, (_event, name) => {
            if (name && isTemp(name)) writer.kill('SIGKILL')
          })
        })
      })
      watcher?.close()
      await exited
      tempsLeftByKills += (await readdir(dataDir)).filter(isTemp).length

      // The next start: every acknowledged host is there, and no temp file is left.
      const hosts = new HostsService({ dataDir, env: { DROPDECK_SSH_CONFIG: path.join(root, 'no-ssh-config') }, dropletHosts: async () => [], log: () => undefined })
      const ids = new Set((await hosts.configs()).map((h) => h.id))
      expect(acknowledged.filter((id) => !ids.has(id))).toEqual([])
      expect(ids.size).toBeGreaterThanOrEqual(seeded.length + acknowledged.length)
      expect((await readdir(dataDir)).filter(isTemp)).toEqual([])
    }
    // The kills did land mid-write (a temp file was there), or this test proved nothing.
    expect(tempsLeftByKills).toBeGreaterThan(0)
  }, 120_000)

  it('moves a file that is not JSON, or not its schema, aside with one log line, and keeps what is valid', async () => {
    const file = path.join(root, 'store.json')
    const lines: string[] = []
    const schema = z.array(z.object({ n: z.number() }))
    const store = () =>
      new JsonFile({
        file,
        schema,
        empty: () => [],
        kind: 'test',
        startsFrom: 'nothing',
        log: (l) => lines.push(l),
        logPrefix: 'test',
        repair: (json) => (Array.isArray(json) ? json.filter((e) => schema.element.safeParse(e).success) : undefined)
      })
    await writeFile(file, '[{"n": 1}, {"n": ')
    expect(await store().read()).toEqual([])
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^test: .*store\.json is not a test file \(not valid JSON: .*\); moved it to .*store\.json\.invalid-\S+, starting from nothing$/)
    const aside = (await readdir(root)).filter((n) => n.startsWith('store.json.invalid-'))
    expect(aside).toHaveLength(1)
    expect(await readFile(path.join(root, aside[0]), 'utf8')).toBe('[{"n": 1}, {"n": ')

    await writeFile(file, '[{"n": 1}, {"n": "two"}, {"n": 3}]')
    expect(await store().read()).toEqual([{ n: 1 }, { n: 3 }])
    expect(lines[1]).toMatch(/is not a test file \(1\.n: .*\); moved it to .*, keeping the entries that are valid$/)
    // What was kept is stored at once: the next launch starts from it, not from nothing.
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual([{ n: 1 }, { n: 3 }])
  })

  it('runs changes one at a time: 30 concurrent updates that yield mid-change keep all 30; a refused change writes nothing', async () => {
    const file = path.join(root, 'count.json')
    const counts = new JsonFile<number[]>({ file, schema: z.array(z.number()), empty: () => [], kind: 'count', startsFrom: 'nothing', log: () => undefined, logPrefix: 'count' })
    await Promise.all(Array.from({ length: 30 }, (_, i) => counts.update(async (list) => {
      await new Promise((resolve) => setImmediate(resolve))
      list.push(i)
    })))
    expect((JSON.parse(await readFile(file, 'utf8')) as number[]).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i))
    await expect(counts.update((list) => {
      list.push(99)
      throw new Error('refused')
    })).rejects.toThrow('refused')
    expect(await counts.read()).toHaveLength(30)
    expect(JSON.parse(await readFile(file, 'utf8'))).toHaveLength(30)
    expect((await readdir(root)).filter(isTemp)).toEqual([])
  })
})
