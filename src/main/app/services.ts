/**
 * The main-process services, wired once and shared by every transport (Electron IPC and the
 * headless host). Nothing here imports Electron.
 */
import { isIP } from 'node:net'
import { EventBus } from '../rpc/event-bus'
import { createRouter, type Router } from '../rpc/router'
import { createKeychain, type Keychain } from '../secrets/keychain'
import { SecretsService } from '../secrets/secrets-service'
import { SettingsStore } from '../settings/settings-store'
import { createProviderHandlers, type ProviderDeps, type ProviderServices } from '../providers/provider-handlers'
import { createNodeFetch } from '../providers/http/node-fetch'
import { createPacProxyResolver, type ProxyResolver } from '../network/proxy-resolver'
import { ProxyCredentialStore } from '../network/proxy-credentials'
import { createNetworkHandlers } from '../network/network-handlers'
import type { DropletHostInput } from '../ssh/hosts-service'
import { createSshServices, type SshDeps, type SshServices } from '../ssh/ssh-handlers'
import { createContainersCapability } from '../docker/containers-handlers'
import { createUnitsCapability } from '../systemd/units-handlers'
import { createFactsCapability } from '../facts/facts-handlers'
import { createLogsCapability } from '../logs/logs-handlers'
import { createFilesServices, type FilesTuning } from '../files/files-service'
import { createHealthServices, type HealthTuning } from '../checks/health-services'
import { createMetricsHistoryServices, type MetricsHistoryTuning } from '../metrics/metrics-history-services'
import { createDeploysServices, type DeploysTuning } from '../deploys/deploys-service'
import { createDropletGuard } from '../deploys/droplet-guard'
import type { OpsDeps } from './ops-deps'
import { capability, composeCapabilities, resource, type Capability } from './capability'
import { createAppCapability } from './app-handlers'
import { createSecretsCapability } from '../secrets/secrets-handlers'
import { createSettingsCapability } from '../settings/settings-handlers'

export interface ServicesOptions {
  dataDir: string
  version: string
  keychain?: Keychain
  log?: (line: string) => void
  /** Provider base URLs (DROPDECK_DO_API, DROPDECK_CF_API) and proxy settings come from here. */
  env?: NodeJS.ProcessEnv
  /** Electron passes net.fetch (system proxy, PAC, OS certificates); the host uses the proxy-aware Node fetch. */
  fetch?: typeof fetch
  /** Electron passes the system's proxy answers (for SSH); the host reads the PAC setting / DROPDECK_PAC_URL. */
  proxyResolver?: (credentials: ProxyCredentialStore) => ProxyResolver
  /** Faster check scheduling and metrics sampling, for tests. */
  healthTuning?: HealthTuning
  /** Faster container sampling and another DigitalOcean monitoring budget, for tests. */
  metricsHistoryTuning?: MetricsHistoryTuning
  /** Shorter backoff and polling, for tests. */
  providerTuning?: ProviderDeps['tuning']
  /** Shorter keepalives, backoff and waits, for tests. */
  sshTuning?: SshDeps['tuning']
  /** Faster progress and shorter reconnect waits for transfers, for tests. */
  filesTuning?: FilesTuning
  /** Shorter lock timeouts and pause points inside deploys, for tests. */
  deploysTuning?: DeploysTuning
}

export interface Services {
  readonly router: Router
  readonly bus: EventBus
  readonly secrets: SecretsService
  readonly settings: SettingsStore
  readonly ssh: SshServices
  dispose(): Promise<void>
}

export function createServices(options: ServicesOptions): Services {
  const log = options.log ?? (() => {})
  const bus = new EventBus(log)
  const settings = new SettingsStore(options.dataDir, bus, log)
  const keychain = options.keychain ?? createKeychain()
  const secrets = new SecretsService(keychain, bus, async () => (await settings.get()).digitaloceanContext)
  const env = options.env ?? process.env
  // Electron hands in net.fetch (system proxy, PAC, OS certificates); elsewhere, undici with the proxy env.
  const proxyCredentials = new ProxyCredentialStore(keychain)
  const proxyResolver = options.proxyResolver?.(proxyCredentials) ??
    createPacProxyResolver({ env, pacSetting: async () => (await settings.get()).proxyAutoConfigUrl, credentialsFor: (hop) => proxyCredentials.get(hop) })
  const nodeFetch = options.fetch ? undefined : createNodeFetch(env, { proxyResolver })
  const providers = createProviderHandlers({
    dataDir: options.dataDir,
    secrets,
    settings,
    bus,
    env,
    fetch: options.fetch ?? nodeFetch,
    log,
    tuning: options.providerTuning,
    usedHostnames: () => sshHostnames(ssh)
  })
  const ssh: SshServices = createSshServices({ dataDir: options.dataDir, bus, env, keychain, dropletHosts: () => dropletHosts(providers, secrets, settings), log, tuning: options.sshTuning, proxyResolver })
  const containers = createContainersCapability({ acquire: (hostId) => ssh.pool.acquire(hostId), retain: (hostId) => ssh.pool.retain(hostId), userOf: async (hostId) => (await ssh.hosts.resolve(hostId)).user, log, terminals: ssh.terminals })
  const opsDeps: OpsDeps = { dataDir: options.dataDir, ssh, engine: containers.engine, bus, settings, log }
  const units = createUnitsCapability(opsDeps)
  const facts = createFactsCapability(opsDeps)
  const logs = createLogsCapability(opsDeps)
  const files = createFilesServices(opsDeps, options.filesTuning)
  const health = createHealthServices({ ...opsDeps, router: () => router, engine: containers.engine, fetch: options.fetch ?? nodeFetch ?? globalThis.fetch, env, tuning: options.healthTuning })
  const metricsHistory = createMetricsHistoryServices({ dataDir: options.dataDir, env, fetch: options.fetch ?? nodeFetch ?? globalThis.fetch, bus, log, token: () => secrets.token('digitalocean'), droplets: () => providers.droplets(), resolveHost: (id) => ssh.hosts.get(id), engine: containers.engine, tuning: options.metricsHistoryTuning })
  const dropletGuard = createDropletGuard({ hostSource: async (id) => (await ssh.hosts.resolve(id)).source, droplets: () => providers.droplets(), assertWritable: (id, unlock, what) => providers.assertDropletWritable(id, unlock, what) })
  const deploys = createDeploysServices({ ...opsDeps, dropletGuard, docr: providers.registry }, options.deploysTuning)
  void ssh.startLaunchTunnels().catch((err: Error) => log(`tunnels: launch tunnels failed: ${err.message}`))

  // In order of creation: disposed in reverse, so nothing goes while something built on it still runs.
  const capabilities: Capability[] = [
    createSettingsCapability(settings),
    createSecretsCapability({ secrets, keychain, storeToken: (params) => providers.storeToken(params) }),
    resource('proxy resolver', () => proxyResolver.dispose()),
    resource('node fetch', () => nodeFetch?.close()),
    capability('providers', providers),
    capability('ssh', ssh),
    capability('containers', containers),
    capability('units', units),
    capability('facts', facts),
    capability('logs', logs),
    capability('files', files),
    capability('health', health),
    capability('metrics history', metricsHistory),
    capability('deploys', deploys),
    {
      name: 'network',
      handlers: createNetworkHandlers({
        env,
        proxyResolver,
        credentials: proxyCredentials,
        resolveHost: (id) => ssh.hosts.resolve(id),
        ...(options.fetch ? { providerStack: "Chromium's network stack (system proxy, PAC/WPAD, OS certificates); this test follows the same route from Node" } : {})
      }),
      dispose: () => {}
    },
    createAppCapability(options.version)
  ]
  const composed = composeCapabilities(capabilities, log)

  const router = createRouter(composed.handlers, log)
  health.start()
  metricsHistory.start()
  return {
    router,
    bus,
    secrets,
    settings,
    ssh,
    dispose: () => composed.dispose()
  }
}

/**
 * The active team's droplets as SSH hosts (by name, public address first, the team's SSH user or the default), from
 * the droplet cache; none without a DigitalOcean token, so hosts.list never waits on a refused call.
 */
async function dropletHosts(providers: ProviderServices, secrets: SecretsService, settings: SettingsStore): Promise<DropletHostInput[]> {
  if (!(await secrets.status()).digitalocean) return []
  const [droplets, { defaultSshUser, sshUserByTeam, digitaloceanContext }] = await Promise.all([providers.droplets(), settings.get()])
  // Own keys only: a team named "constructor" must not find Object.prototype's.
  const user = Object.hasOwn(sshUserByTeam, digitaloceanContext) ? sshUserByTeam[digitaloceanContext] : defaultSshUser
  return droplets.flatMap((d) => {
    const hostname = d.publicIpv4 ?? d.privateIpv4
    return hostname ? [{ id: d.name, name: d.name, hostname, user }] : []
  })
}

/** SSH hosts addressed by name (not by IP): DNS should have a record for each. */
async function sshHostnames(ssh: SshServices): Promise<Array<{ hostname: string; usedBy: string }>> {
  const hosts = await ssh.hosts.configs()
  return hosts.filter((h) => h.source !== 'droplet' && isIP(h.hostname) === 0 && h.hostname.includes('.')).map((h) => ({ hostname: h.hostname, usedBy: `SSH host ${h.id}` }))
}
