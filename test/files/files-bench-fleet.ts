// The app's services against one real sshd of the bench, for the files tests: an ssh_config the
// services read, a memory keychain, short reconnect timings, and every event of the test's client.
import { mkdtempSync, rmSync } from 'node:fs'
import path from 'node:path'
import { createServices, type Services } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import type { EventName, EventPayload } from '../../src/shared/contract'
import { startDroplets, type Droplets, type StartDropletsOptions } from '../fleet/sshd'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { memoryKeychain } from '../ssh/support/ssh-env'
import { routerCalls, type RouterCalls } from '../support/router-calls'

export interface FilesFleet extends RouterCalls {
  dir: string
  droplets: Droplets
  services: Services
  ctx: ReturnType<typeof createCallContext>
  events: Array<{ event: EventName; payload: unknown }>
  /** Resolves with the first event of this client that matches. */
  next<E extends EventName>(event: E, match: (p: EventPayload<E>) => boolean): Promise<EventPayload<E>>
  stop(): Promise<void>
}

export async function startFilesFleet(opts: { baseAddress: string; name: string; user?: string; env?: StartDropletsOptions['env']; beforeServices?: (dir: string) => void }): Promise<FilesFleet> {
  const dir = mkdtempSync('/tmp/ddfiles-')
  const droplets = await startDroplets({ count: 1, dir: path.join(dir, 'ssh'), names: [opts.name], port: 'auto', baseAddress: opts.baseAddress, ...(opts.user ? { user: opts.user } : {}), ...(opts.env ? { env: opts.env } : {}) })
  opts.beforeServices?.(dir)
  const files = writeSshClientFiles(dir, droplets.droplets)
  const services = createServices({
    dataDir: path.join(dir, 'data'),
    version: '0.0.0-test',
    keychain: memoryKeychain(),
    env: { DROPDECK_SSH_CONFIG: files.sshConfigPath },
    log: () => undefined,
    sshTuning: { pool: { backoffBaseMs: 100, backoffMaxMs: 500 } },
    filesTuning: { progressIntervalMs: 20, reconnectWaitMs: 30_000 }
  })
  const ctx = createCallContext('test:files', () => services.bus)
  const events: FilesFleet['events'] = []
  const waiters = new Set<{ event: EventName; match: (p: never) => boolean; resolve: (p: never) => void }>()
  services.bus.subscribeClient(ctx.clientId, (event, payload) => {
    events.push({ event, payload })
    for (const w of waiters) {
      if (w.event === event && w.match(payload as never)) {
        waiters.delete(w)
        w.resolve(payload as never)
      }
    }
  })
  const calls = routerCalls(() => services, ctx)
  return {
    ...calls,
    dir,
    droplets,
    services,
    ctx,
    events,
    next(event, match) {
      return new Promise((resolve) => waiters.add({ event, match: match as never, resolve: resolve as never }))
    },
    async stop() {
      await ctx.dispose()
      await services.dispose()
      await droplets.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
