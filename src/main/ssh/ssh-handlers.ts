/**
 * The SSH methods of the contract (hosts.*, tunnels.*), wired to the hosts service, the connection
 * pool and the tunnels. `exec` is exposed for the services that come later (Docker, systemd, logs).
 */
import os from 'node:os'
import path from 'node:path'
import type { MethodName } from '../../shared/contract'
import type { sshMethods } from '../../shared/contract/ssh'
import { DropdeckError } from '../../shared/errors'
import type { EventBus } from '../rpc/event-bus'
import type { Handlers } from '../rpc/router'
import type { Keychain } from '../secrets/keychain'
import { TunnelsService, type TunnelsTuning } from '../tunnels/tunnels-service'
import { createTerminalHandlers, type TerminalMethodName } from '../terminals/terminal-handlers'
import { TerminalsService, type TerminalsTuning } from '../terminals/terminals-service'
import { tunnelPresets } from '../tunnels/presets'
import { KeyAuth } from './auth'
import { ConnectionPool, type PoolTuning } from './connection-pool'
import { HostsService, type DropletHostInput } from './hosts-service'
import { AppKnownHosts, copyTrustedKeys, knownHostsName } from './known-hosts'
import type { ProxyResolver } from '../network/proxy-resolver'

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
}

type SshMethodName = (keyof typeof sshMethods & MethodName) | TerminalMethodName

export interface SshServices {
  handlers: Pick<Handlers, SshMethodName>
  hosts: HostsService
  pool: ConnectionPool
  tunnels: TunnelsService
  /** Remote shells (a PTY per channel) on the pooled connections. */
  terminals: TerminalsService
  /** Runs a command on the host's pooled connection. */
  exec(hostId: string, command: string, options?: { timeoutMs?: number }): Promise<{ stdout: string; stderr: string; code: number | null }>
  /** Binds the tunnels marked to start on launch; call once after startup. */
  startLaunchTunnels(): Promise<void>
  dispose(): Promise<void>
}

export function createSshServices(deps: SshDeps): SshServices {
  const hosts = new HostsService({ dataDir: deps.dataDir, env: deps.env, dropletHosts: deps.dropletHosts ?? (async () => []), log: deps.log })
  const auth = new KeyAuth({ keychain: deps.keychain, env: deps.env })
  const globalProxy = deps.env.DROPDECK_SSH_PROXY?.trim() || undefined
  // The pool reports state to the tunnels, which need the pool: tie the knot through this variable.
  const late: { tunnels?: TunnelsService } = {}
  const pool = new ConnectionPool({
    resolve: (id) => hosts.resolve(id),
    auth,
    appKnownHosts: new AppKnownHosts(deps.dataDir),
    globalProxy,
    ...(deps.proxyResolver ? { proxyResolver: deps.proxyResolver } : {}),
    log: deps.log,
    tuning: deps.tuning?.pool,
    onState: (hostId, state, error) => {
      late.tunnels?.hostChanged(hostId, state, error)
      const h = hosts.cached(hostId) // undefined for a ProxyJump hop that is no listed host
      if (h) deps.bus.emit('hosts.changed', hosts.view(h))
    }
  })
  hosts.attachPool(pool)
  const t = new TunnelsService({ dataDir: deps.dataDir, pool, bus: deps.bus, log: deps.log, tuning: deps.tuning?.tunnels })
  late.tunnels = t
  const terminals = new TerminalsService({ dataDir: deps.dataDir, pool, bus: deps.bus, log: deps.log, tuning: deps.tuning?.terminals })

  const handlers: Pick<Handlers, SshMethodName> = {
    'hosts.list': () => hosts.list(),
    'hosts.add': (input) => hosts.add(input),
    'hosts.remove': async ({ hostId }) => {
      await hosts.remove(hostId)
      await t.stopHost(hostId)
      await pool.disconnect(hostId)
      return { removed: true as const }
    },
    'hosts.connect': async ({ hostId }) => {
      const h = await hosts.get(hostId)
      await pool.connect(hostId)
      await t.resumeHost(hostId) // the tunnels a disconnect stopped listen again
      return hosts.view(h)
    },
    'hosts.disconnect': async ({ hostId }) => {
      const h = await hosts.get(hostId)
      // Stopped, not removed: they stay listed and start again with the next hosts.connect.
      await t.pauseHost(hostId)
      await pool.disconnect(hostId)
      return hosts.view(h)
    },
    'hosts.trustKey': async ({ hostId, fingerprint }) => {
      await pool.trustKey(hostId, fingerprint)
      return { trusted: true as const }
    },
    'hosts.copyKeyToKnownHosts': async ({ hostId }) => {
      const h = await hosts.resolve(hostId)
      // The name exactly as the connection looked it up, into the first file `ssh` itself reads.
      const file = h.knownHostsFiles[0] ?? path.join(os.homedir(), '.ssh', 'known_hosts')
      return copyTrustedKeys(new AppKnownHosts(deps.dataDir).file, knownHostsName(h.hostKeyAlias ?? h.hostname, h.port), file)
    },
    'hosts.unlockKey': async ({ hostId, passphrase, remember }) => {
      const h = await hosts.resolve(hostId)
      // The first identity file that still needs a passphrase (what AUTH_FAILED's data.needsPassphrase named).
      const keyPath = (await auth.plan(h)).locked[0]
      if (!keyPath) throw new DropdeckError('NOT_FOUND', `${hostId} has no locked passphrase-protected key to unlock.`)
      await auth.unlock(keyPath, passphrase, remember ?? false)
      return { unlocked: true as const, keyPath }
    },
    'hosts.setPassword': async ({ hostId, password, remember }) => {
      await auth.setPassword(await hosts.resolve(hostId), password, remember ?? false)
      return { saved: true as const, remembered: remember ?? false }
    },
    'tunnels.start': async (p, ctx) => {
      await hosts.get(p.hostId) // NOT_FOUND before any port is bound
      pool.allow(p.hostId) // the operator wants this host again, after a disconnect too
      return t.start(p, ctx)
    },
    'tunnels.list': () => t.list(),
    'tunnels.stop': async ({ id }) => {
      await t.stop(id)
      return { stopped: true as const }
    },
    'tunnels.setStartOnLaunch': ({ id, startOnLaunch }, ctx) => t.setStartOnLaunch(id, startOnLaunch, ctx),
    'tunnels.presets': async () => tunnelPresets(await hosts.configs()),
    ...createTerminalHandlers(terminals, hosts)
  }

  return {
    handlers,
    hosts,
    pool,
    tunnels: t,
    terminals,
    exec: (hostId, command, options) => pool.exec(hostId, command, options),
    startLaunchTunnels: () => t.startLaunchTunnels(),
    async dispose() {
      await terminals.dispose()
      await t.dispose()
      await pool.dispose()
    }
  }
}
