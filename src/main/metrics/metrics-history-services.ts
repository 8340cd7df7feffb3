/**
 * metrics.droplet (DigitalOcean's monitoring history, ./droplet-history.ts) and metrics.container
 * (containers sampled every 15 s on connected hosts, ./container-sampler.ts) wired together.
 */
import type { Droplet } from '../../shared/contract'
import type { metricsMethods } from '../../shared/contract/metrics'
import type { DockerEngine } from '../docker/engine'
import { EngineSessions } from '../docker/session-cache'
import { DEFAULT_DO_API } from '../providers/provider-handlers'
import { ProviderHttp } from '../providers/http/provider-http'
import type { EventBus } from '../rpc/event-bus'
import type { HandlersFor } from '../rpc/router'
import type { HostConfig } from '../ssh/host-config'
import { ContainerMetricsStore } from './container-metrics-store'
import { ContainerSampler } from './container-sampler'
import { DropletHistory } from './droplet-history'
import type { LimiterOptions } from './monitoring-limiter'


export interface MetricsHistoryTuning {
  /** Container sampling period (15 s). */
  containerSampleMs?: number
  /** The most containers sampled per host a round (25). */
  containersPerHost?: number
  limiter?: LimiterOptions
}

export interface MetricsHistoryDeps {
  dataDir: string
  env: NodeJS.ProcessEnv
  fetch: typeof fetch
  bus: EventBus
  log: (line: string) => void
  /** The stored DigitalOcean token of the active team, or null. */
  token(): Promise<string | null>
  /** The active team's droplets (from the droplet cache). */
  droplets(): Promise<Droplet[]>
  resolveHost(hostId: string): Promise<HostConfig>
  engine: Pick<DockerEngine, 'session'>
  tuning?: MetricsHistoryTuning
}

export interface MetricsHistoryServices {
  handlers: HandlersFor<typeof metricsMethods>
  history: DropletHistory
  containers: { store: ContainerMetricsStore; sampler: ContainerSampler }
  start(): void
  dispose(): Promise<void>
}

/**
 * The droplet behind a host: a host listed from the droplets by its name; any other host (ssh_config,
 * added by hand) when its address is a droplet's public or private IPv4, or its name a droplet's.
 */
export function dropletOfHost(host: Pick<HostConfig, 'id' | 'hostname' | 'source'>, droplets: readonly Droplet[]): Droplet | null {
  if (host.source === 'droplet') return droplets.find((d) => d.name === host.id) ?? null
  return droplets.find((d) => d.publicIpv4 === host.hostname || d.privateIpv4 === host.hostname) ?? droplets.find((d) => d.name === host.id || d.name === host.hostname) ?? null
}

export function createMetricsHistoryServices(deps: MetricsHistoryDeps): MetricsHistoryServices {
  // Its own client for the same token: no 429 retries inside (the limiter decides when to call again);
  // the token's ratelimit-* answers are DigitalOcean's count for the token, whoever made the call.
  const http = new ProviderHttp({ provider: 'digitalocean', baseUrl: deps.env.DROPDECK_DO_API?.trim() || DEFAULT_DO_API, token: () => deps.token(), fetch: deps.fetch, log: deps.log, rateLimitRetries: 0, retries: 1 })
  const history = new DropletHistory({
    http,
    hasToken: async () => (await deps.token()) !== null,
    dropletOf: async (hostId) => dropletOfHost(await deps.resolveHost(hostId), await deps.droplets()),
    limiter: deps.tuning?.limiter,
    log: deps.log
  })
  const store = new ContainerMetricsStore(deps.dataDir, deps.log)
  const sessions = new EngineSessions(deps.engine)
  // Which hosts are connected, from the pool's state changes: sampling never connects a host.
  const connected = new Set<string>()
  const unsubscribe = deps.bus.subscribe((event, payload) => {
    if (event === 'secrets.changed') history.invalidate()
    if (event !== 'hosts.changed') return
    const host = payload as { id: string; state: string }
    if (host.state === 'connected') connected.add(host.id)
    else connected.delete(host.id)
  })
  const sampler = new ContainerSampler({ store, connected: () => [...connected], withSession: (hostId, work) => sessions.use(hostId, work), log: deps.log, intervalMs: deps.tuning?.containerSampleMs, maxPerHost: deps.tuning?.containersPerHost })

  return {
    handlers: {
      'metrics.droplet': ({ hostId, range }) => history.get(hostId, range),
      'metrics.container': async ({ hostId, containerId, range }) => ({ points: await store.query(hostId, containerId, range) })
    },
    history,
    containers: { store, sampler },
    start() {
      sampler.start()
    },
    async dispose() {
      unsubscribe()
      sampler.stop()
      sessions.closeAll()
      await store.flush()
    }
  }
}
