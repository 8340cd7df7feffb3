/**
 * Tunnels: started by a client (owned by its context: closing the window or socket stops them) or
 * marked to start on launch (owned by the app, kept in dataDir/tunnels.json and started again by
 * `startLaunchTunnels`). Changes are pushed as `tunnels.changed`.
 */
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { z } from 'zod'
import type { Tunnel as TunnelView } from '../../shared/contract/ssh'
import { DropdeckError } from '../../shared/errors'
import type { EventBus } from '../rpc/event-bus'
import type { CallContext } from '../rpc/context'
import type { ConnectionPool } from '../ssh/connection-pool'
import type { HostConfig } from '../ssh/host-config'
import type { HostError, HostState } from '../ssh/host-state'
import { JsonFile, keepValidEntries } from '../storage/json-file'
import { heldByTunnel, Tunnel } from './tunnel'

export interface StartTunnelParams {
  hostId: string
  remoteHost: string
  remotePort: number
  localPort?: number
  startOnLaunch?: boolean
}

const LaunchEntrySchema = z.object({
  hostId: z.string().min(1),
  remoteHost: z.string().min(1),
  remotePort: z.number().int().min(1).max(65535),
  localPort: z.number().int().min(1).max(65535)
})
type LaunchEntry = z.infer<typeof LaunchEntrySchema>

export interface TunnelsTuning {
  /** How long a connection arriving during a reconnect waits for the session (default 10 s). */
  waitMs?: number
  /** How long tunnels.start waits for the first connection (default 25 s). */
  startTimeoutMs?: number
}

export class TunnelsService {
  private readonly tunnels = new Map<string, Tunnel>()
  /** Tunnels to start on launch: dataDir/tunnels.json. */
  private readonly launchFile: JsonFile<LaunchEntry[]>
  private readonly unsubscribe: () => void

  constructor(private readonly deps: { dataDir: string; pool: ConnectionPool; bus: EventBus; log: (line: string) => void; tuning?: TunnelsTuning }) {
    this.launchFile = new JsonFile({
      file: path.join(deps.dataDir, 'tunnels.json'),
      schema: z.array(LaunchEntrySchema),
      empty: () => [],
      kind: 'tunnels',
      startsFrom: 'no tunnels to start on launch',
      log: deps.log,
      logPrefix: 'tunnels',
      repair: keepValidEntries(LaunchEntrySchema)
    })
    this.unsubscribe = deps.pool.onState((hostId, state, error) => this.hostChanged(hostId, state, error))
  }

  list(): TunnelView[] {
    return [...this.tunnels.values()].map((t) => t.view())
  }

  /** Every tunnel on a host follows the host's state, as the pool reports it. */
  private hostChanged(hostId: string, state: HostState, error?: HostError): void {
    for (const t of this.tunnels.values()) if (t.hostId === hostId) t.hostChanged(state, error)
  }

  private emitOne = (t: Tunnel) => {
    this.deps.bus.emit('tunnels.changed', { tunnel: t.view() })
  }

  private emitAll(): void {
    this.deps.bus.emit('tunnels.changed', { tunnels: this.list() })
  }

  private create(p: StartTunnelParams & { startOnLaunch: boolean }): Tunnel {
    return new Tunnel({ id: randomUUID().slice(0, 8), ...p }, this.deps.pool, (t) => this.emitOne(t), this.deps.tuning?.waitMs ?? 10_000)
  }

  /** `host`: the settings the caller just resolved, so the first connection reads ~/.ssh/config no more. */
  async start(p: StartTunnelParams, ctx?: CallContext, host?: HostConfig): Promise<{ id: string; localPort: number }> {
    const startOnLaunch = p.startOnLaunch ?? false
    const holder = p.localPort === undefined ? undefined : [...this.tunnels.values()].find((t) => t.localPort === p.localPort && t.state !== 'stopped')
    if (holder && p.localPort !== undefined) throw await heldByTunnel(p.localPort, holder)
    const tunnel = this.create({ ...p, startOnLaunch })
    await tunnel.listen(p.localPort)
    this.tunnels.set(tunnel.id, tunnel)
    this.emitAll()
    try {
      // An operator-started tunnel says at once why it cannot work (unknown host key, no key, refused...).
      await this.deps.pool.waitReady(p.hostId, this.deps.tuning?.startTimeoutMs ?? 25_000, host)
    } catch (err) {
      await this.stop(tunnel.id).catch(() => undefined)
      throw err
    }
    if (startOnLaunch) await this.remember(launchEntry(tunnel))
    else this.own(tunnel, ctx)
    return { id: tunnel.id, localPort: tunnel.localPort }
  }

  /** The context's tunnel stops with it, unless it was marked to start on launch in the meantime. */
  private own(tunnel: Tunnel, ctx?: CallContext): void {
    ctx?.disposables.add({ dispose: () => (tunnel.startOnLaunch || !this.tunnels.has(tunnel.id) ? undefined : this.stop(tunnel.id).catch(() => undefined)) })
  }

  /**
   * Marks a running tunnel to start on launch (the app owns it from now on) or not any more (the
   * context that asked owns it, so it stops when that window closes, as if it had started it).
   */
  async setStartOnLaunch(id: string, startOnLaunch: boolean, ctx?: CallContext): Promise<TunnelView> {
    const tunnel = this.tunnels.get(id)
    if (!tunnel) throw new DropdeckError('NOT_FOUND', `No tunnel ${id}; it may have been stopped already.`)
    if (tunnel.startOnLaunch !== startOnLaunch) {
      if (startOnLaunch) await this.remember(launchEntry(tunnel))
      else await this.forget(tunnel)
      tunnel.startOnLaunch = startOnLaunch
      if (!startOnLaunch) this.own(tunnel, ctx)
      this.emitOne(tunnel)
    }
    return tunnel.view()
  }

  async stop(id: string): Promise<void> {
    const tunnel = this.tunnels.get(id)
    if (!tunnel) throw new DropdeckError('NOT_FOUND', `No tunnel ${id}; it may have been stopped already.`)
    this.tunnels.delete(id)
    await tunnel.close()
    if (tunnel.startOnLaunch) await this.forget(tunnel)
    this.emitOne(tunnel)
    this.emitAll()
  }

  private same = (a: LaunchEntry, b: LaunchEntry) => a.hostId === b.hostId && a.remoteHost === b.remoteHost && a.remotePort === b.remotePort && a.localPort === b.localPort

  private async remember(e: LaunchEntry): Promise<void> {
    if ((await this.launchFile.read()).some((x) => this.same(x, e))) return
    await this.launchFile.update((entries) => {
      if (!entries.some((x) => this.same(x, e))) entries.push(e)
    })
  }

  private async forget(t: Tunnel): Promise<void> {
    const e = launchEntry(t)
    await this.launchFile.update((entries) => {
      for (let i = entries.length - 1; i >= 0; i--) if (this.same(entries[i], e)) entries.splice(i, 1)
    })
  }

  /** At launch: bind every remembered tunnel and let the pool connect in the background. */
  async startLaunchTunnels(): Promise<void> {
    for (const e of await this.launchFile.read()) {
      const tunnel = this.create({ ...e, startOnLaunch: true })
      try {
        await tunnel.listen(e.localPort)
        this.tunnels.set(tunnel.id, tunnel)
        this.deps.pool.acquire(e.hostId).catch((err: Error) => this.deps.log(`tunnels: ${e.hostId} for ${e.localPort}: ${err.message}`))
      } catch (err) {
        this.deps.log(`tunnels: cannot start ${e.hostId} ${e.localPort}:${e.remoteHost}:${e.remotePort} on launch: ${(err as Error).message}`)
      }
    }
    this.emitAll()
  }

  /**
   * hosts.disconnect: every tunnel of the host stops (its port freed, its connections closed) and
   * stays listed as "stopped", start-on-launch ones included, until resumeHost or tunnels.stop.
   */
  async pauseHost(hostId: string): Promise<void> {
    const paused = [...this.tunnels.values()].filter((t) => t.hostId === hostId && t.state !== 'stopped')
    await Promise.all(paused.map((t) => t.close()))
    for (const t of paused) this.emitOne(t)
    if (paused.length) this.emitAll()
  }

  /** hosts.connect: the host's stopped tunnels listen again on their ports (a port taken meanwhile: that tunnel's error). */
  async resumeHost(hostId: string): Promise<void> {
    const stopped = [...this.tunnels.values()].filter((t) => t.hostId === hostId && t.state === 'stopped')
    await Promise.all(stopped.map((t) => t.resume()))
    if (stopped.length) this.emitAll()
  }

  /** Stops and removes the tunnels of one host (hosts.remove). */
  async stopHost(hostId: string): Promise<void> {
    await Promise.all([...this.tunnels.values()].filter((t) => t.hostId === hostId && !t.startOnLaunch).map((t) => this.stop(t.id)))
  }

  async dispose(): Promise<void> {
    this.unsubscribe()
    const all = [...this.tunnels.values()]
    this.tunnels.clear()
    await Promise.all(all.map((t) => t.close()))
  }
}

function launchEntry(t: Tunnel): LaunchEntry {
  return { hostId: t.hostId, remoteHost: t.remoteHost, remotePort: t.remotePort, localPort: t.localPort }
}
