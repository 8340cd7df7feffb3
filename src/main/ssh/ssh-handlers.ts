/**
 * The SSH capability: the hosts (./hosts-service.ts), their pooled connections (./connection-pool.ts),
 * and what runs on them here, tunnels and terminals, with their contract handlers (hosts.* in
 * ./hosts-handlers.ts, tunnels.* in ../tunnels/tunnel-handlers.ts, terminals.* in
 * ../terminals/terminal-handlers.ts). Built bottom-up with no back references: the pool resolves
 * hosts through the hosts service, and whatever follows a connection's state (tunnels, the
 * hosts.changed event) subscribes to the pool. `exec` serves the services that run commands
 * (Docker, systemd, logs).
 */
import type { EventBus } from '../rpc/event-bus'
import type { HandlersFor } from '../rpc/router'
import type { Keychain } from '../secrets/keychain'
import { TunnelsService, type TunnelsTuning } from '../tunnels/tunnels-service'
import { createTunnelHandlers } from '../tunnels/tunnel-handlers'
import { createTerminalHandlers } from '../terminals/terminal-handlers'
import { TerminalsService, type TerminalsTuning } from '../terminals/terminals-service'
import type { ProxyResolver } from '../network/proxy-resolver'
import type { sshMethods } from '../../shared/contract/ssh'
import type { terminalMethods } from '../../shared/contract/terminals'
import { KeyAuth } from './auth'
import { ConnectionPool, type PoolTuning } from './connection-pool'
import type { ExecResult } from './exec'
import type { SshConfigFile } from './host-config'
import { createHostsHandlers } from './hosts-handlers'
import { HostsService, type DropletHostInput } from './hosts-service'
import { hostView } from './host-view'
import { AppKnownHosts } from './known-hosts'

export interface SshDeps {
  dataDir: string
  bus: EventBus
  env: NodeJS.ProcessEnv
  /** Where `remember` keeps key passphrases (`ssh-passphrase:<keypath>`) and passwords (`ssh-password:<user>@<host>:<port>`). */
  keychain?: Keychain
  /** Droplets as SSH hosts; the providers wire this in (until then: none). */
  dropletHosts?: () => Promise<DropletHostInput[]>
  log: (line: string) => void
  tuning?: { pool?: PoolTuning; tunnels?: TunnelsTuning; terminals?: TerminalsTuning }
  /** A PAC file's or the system's proxies, for hosts without their own proxy, ProxyJump or DROPDECK_SSH_PROXY. */
  proxyResolver?: ProxyResolver
  /** Reads and parses ~/.ssh/config (readSshConfig by default); tests count the reads through it. */
  readSshConfig?: (file: string) => Promise<SshConfigFile>
}

export interface SshServices {
  handlers: HandlersFor<typeof sshMethods & typeof terminalMethods>
  hosts: HostsService
  pool: ConnectionPool
  tunnels: TunnelsService
  /** Remote shells (a PTY per channel) on the pooled connections. */
  terminals: TerminalsService
  /** Runs a command on the host's pooled connection. */
  exec(hostId: string, command: string, options?: { timeoutMs?: number }): Promise<ExecResult>
  /** Binds the tunnels marked to start on launch; call once after startup. */
  startLaunchTunnels(): Promise<void>
  /** Terminals, then tunnels, then the connections they ran on. */
  dispose(): Promise<void>
}

export function createSshServices(deps: SshDeps): SshServices {
  const hosts = new HostsService({ dataDir: deps.dataDir, env: deps.env, dropletHosts: deps.dropletHosts ?? (async () => []), log: deps.log, ...(deps.readSshConfig ? { readSshConfig: deps.readSshConfig } : {}) })
  const auth = new KeyAuth({ keychain: deps.keychain, env: deps.env })
  const pool = new ConnectionPool({
    resolve: (id) => hosts.resolve(id),
    auth,
    appKnownHosts: new AppKnownHosts(deps.dataDir),
    globalProxy: deps.env.DROPDECK_SSH_PROXY?.trim() || undefined,
    ...(deps.proxyResolver ? { proxyResolver: deps.proxyResolver } : {}),
    log: deps.log,
    tuning: deps.tuning?.pool
  })
  // Subscribes to the pool first: a tunnel shows its host's new state before hosts.changed goes out.
  const tunnels = new TunnelsService({ dataDir: deps.dataDir, pool, bus: deps.bus, log: deps.log, tuning: deps.tuning?.tunnels })
  const stopHostEvents = pool.onState((hostId) => {
    const h = hosts.cached(hostId) // undefined for a ProxyJump hop that is no listed host
    if (h) deps.bus.emit('hosts.changed', hostView(h, pool))
  })
  const terminals = new TerminalsService({ dataDir: deps.dataDir, pool, bus: deps.bus, log: deps.log, tuning: deps.tuning?.terminals })

  return {
    handlers: {
      ...createHostsHandlers({ dataDir: deps.dataDir, hosts, pool, auth, tunnels }),
      ...createTunnelHandlers({ tunnels, hosts, pool }),
      ...createTerminalHandlers(terminals, hosts)
    },
    hosts,
    pool,
    tunnels,
    terminals,
    exec: (hostId, command, options) => pool.exec(hostId, command, options),
    startLaunchTunnels: () => tunnels.startLaunchTunnels(),
    async dispose() {
      await terminals.dispose()
      await tunnels.dispose()
      stopHostEvents()
      await pool.dispose()
    }
  }
}
