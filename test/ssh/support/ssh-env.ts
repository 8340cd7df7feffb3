/** Wires the real SSH services for a test: a temp dataDir, an ssh_config, an event log, short timings. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { EventBus } from '../../../src/main/rpc/event-bus'
import { createSshServices, type SshDeps, type SshServices } from '../../../src/main/ssh/ssh-handlers'
import { createCallContext } from '../../../src/main/rpc/context'
import type { Keychain } from '../../../src/main/secrets/keychain'
import type { DropletServer } from '../../fleet/sshd'

export interface SshEnv {
  ssh: SshServices
  bus: EventBus
  dataDir: string
  configPath: string
  events: { event: string; payload: unknown }[]
  ctx: ReturnType<typeof createCallContext>
  /** Calls a handler the way the router would (params already valid). */
  call<K extends keyof SshServices['handlers']>(method: K, params: Parameters<SshServices['handlers'][K]>[0]): Promise<Awaited<ReturnType<SshServices['handlers'][K]>>>
  close(): Promise<void>
}

/** A Host block as the bench writes them, with extra lines. */
export function hostBlock(alias: string, d: Pick<DropletServer, 'host' | 'port' | 'user'>, extra: string[] = []): string {
  return [`Host ${alias}`, `    HostName ${d.host}`, `    Port ${d.port}`, `    User ${d.user}`, ...extra.map((l) => `    ${l}`), ''].join('\n')
}

export function memoryKeychain(): Keychain & { store: Map<string, string> } {
  const store = new Map<string, string>()
  return {
    backend: 'memory',
    store,
    get: async (a) => store.get(a) ?? null,
    set: async (a, v) => void store.set(a, v),
    delete: async (a) => void store.delete(a)
  }
}

export function createSshEnv(config: string, opts: { env?: NodeJS.ProcessEnv; keychain?: Keychain; tuning?: SshDeps['tuning']; readSshConfig?: SshDeps['readSshConfig'] } = {}): SshEnv {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dropdeck-ssh-'))
  const configPath = path.join(dataDir, 'ssh_config')
  writeFileSync(configPath, config)
  const bus = new EventBus()
  const events: SshEnv['events'] = []
  bus.subscribe((event, payload) => events.push({ event, payload }))
  const ssh = createSshServices({
    dataDir,
    bus,
    env: { DROPDECK_SSH_CONFIG: configPath, ...opts.env },
    keychain: opts.keychain ?? memoryKeychain(),
    log: () => undefined,
    ...(opts.readSshConfig ? { readSshConfig: opts.readSshConfig } : {}),
    tuning: opts.tuning ?? { pool: { backoffBaseMs: 100, backoffMaxMs: 1000, readyTimeoutMs: 10_000 }, tunnels: { waitMs: 10_000, startTimeoutMs: 15_000 } }
  })
  const ctx = createCallContext('test', bus)
  return {
    ssh,
    bus,
    dataDir,
    configPath,
    events,
    ctx,
    call: async (method, params) => (ssh.handlers[method] as (p: unknown, c: unknown) => Promise<never>)(params, ctx),
    async close() {
      await ctx.dispose()
      await ssh.dispose()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

/** Resolves with the error a promise rejects with (fails if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error & { code?: string; data?: Record<string, unknown> }> {
  try {
    await p
  } catch (err) {
    return err as Error & { code?: string; data?: Record<string, unknown> }
  }
  throw new Error('expected a rejection, got a result')
}

export async function waitUntil(fn: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const start = Date.now()
  while (!(await fn())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
  return Date.now() - start
}
