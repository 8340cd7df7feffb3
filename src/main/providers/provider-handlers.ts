/**
 * The provider methods of the contract (accounts, droplets, snapshots, firewalls, audit, DNS),
 * wired to their services. Base URLs come from DROPDECK_DO_API / DROPDECK_CF_API; HTTP goes through
 * the injected fetch (Electron's net.fetch, or the proxy-aware Node fetch of the headless host).
 */
import type { Droplet, Params, Result } from '../../shared/contract'
import type { providerMethods } from '../../shared/contract/providers'
import type { EventBus } from '../rpc/event-bus'
import type { HandlersFor } from '../rpc/router'
import type { SecretsService } from '../secrets/secrets-service'
import type { SettingsStore } from '../settings/settings-store'
import { AccountsService } from './accounts/accounts-service'
import { AuditLog } from './audit/audit-log'
import { CfApi } from './cloudflare/cf-api'
import { DoApi } from './digitalocean/do-api'
import { DOCR_HOST, DoRegistry } from './digitalocean/registry'
import { DnsService } from './dns/dns-service'
import { DropletsService, type DropletsTuning } from './droplets/droplets-service'
import { FirewallsService } from './droplets/firewalls-service'
import { SnapshotsService } from './droplets/snapshots-service'
import { ProviderHttp, type HttpTuning } from './http/provider-http'

export const DEFAULT_DO_API = 'https://api.digitalocean.com'
export const DEFAULT_CF_API = 'https://api.cloudflare.com/client/v4'

export interface ProviderDeps {
  /** Host names the operator uses elsewhere (SSH hosts), for dns.missing. */
  usedHostnames?: () => Promise<Array<{ hostname: string; usedBy: string }>>
  dataDir: string
  secrets: SecretsService
  settings: SettingsStore
  bus: EventBus
  env: NodeJS.ProcessEnv
  fetch?: typeof fetch
  log: (line: string) => void
  /** Timeouts, retries and polling; tests shorten them. */
  tuning?: { http?: HttpTuning; droplets?: DropletsTuning }
}

export interface ProviderServices {
  handlers: HandlersFor<typeof providerMethods>
  /** secrets.set: a new token is verified with its provider before it replaces the stored one. */
  storeToken(params: Params<'secrets.set'>): Promise<Result<'secrets.set'>>
  /** The active team's droplets, from the cache when there is one (for SSH hosts). */
  droplets(): Promise<Droplet[]>
  /** The managed-tag lock of one droplet (fetched fresh), for actions that reach it from elsewhere (deploys). */
  assertDropletWritable(dropletId: number, unlock: boolean | undefined, what: string): Promise<void>
  /** The team's DigitalOcean Container Registry (tags, short-lived docker credentials), for deploys. */
  registry: DoRegistry
  dispose(): Promise<void>
}

export function createProviderHandlers(deps: ProviderDeps): ProviderServices {
  const fetchImpl = deps.fetch ?? globalThis.fetch
  const { secrets, settings, bus, log } = deps
  const httpTuning = deps.tuning?.http ?? {}

  const doBaseUrl = deps.env.DROPDECK_DO_API?.trim() || DEFAULT_DO_API
  const cfBaseUrl = deps.env.DROPDECK_CF_API?.trim() || DEFAULT_CF_API
  const doHttp = new ProviderHttp({ provider: 'digitalocean', baseUrl: doBaseUrl, token: () => secrets.token('digitalocean'), fetch: fetchImpl, log, ...httpTuning })
  const cfHttp = new ProviderHttp({ provider: 'cloudflare', baseUrl: cfBaseUrl, token: () => secrets.token('cloudflare'), fetch: fetchImpl, log, ...httpTuning })
  const digitalocean = new DoApi(doHttp)
  // DROPDECK_DOCR_HOST: a stand-in registry host for tests (the real one is registry.digitalocean.com).
  const registry = new DoRegistry(doHttp, deps.env.DROPDECK_DOCR_HOST?.trim() || DOCR_HOST)
  const cloudflare = new CfApi(cfHttp)
  // Clients for a token not stored yet (its verification), kept apart from the stored token's
  // rate-limit and error bookkeeping that providers.health reports.
  const withToken = (token: string) => ({
    digitalocean: new DoApi(new ProviderHttp({ provider: 'digitalocean', baseUrl: doBaseUrl, token: async () => token, fetch: fetchImpl, log, ...httpTuning })),
    cloudflare: new CfApi(new ProviderHttp({ provider: 'cloudflare', baseUrl: cfBaseUrl, token: async () => token, fetch: fetchImpl, log, ...httpTuning }))
  })

  const audit = new AuditLog(deps.dataDir, bus, log)
  const accounts = new AccountsService({ secrets, settings, bus, digitalocean, cloudflare, withToken, log })
  const droplets = new DropletsService({ api: digitalocean, settings, bus, audit, log, dataDir: deps.dataDir }, deps.tuning?.droplets)
  const lock = (dropletId: number, unlock: boolean | undefined, what: string) => droplets.assertWritable(dropletId, unlock, what)
  const snapshots = new SnapshotsService({ api: digitalocean, bus, audit, lock })
  const firewalls = new FirewallsService({ api: digitalocean, bus, audit, lock })
  const dns = new DnsService({ digitalocean, cloudflare, secrets, settings, bus, audit, droplets: () => droplets.rawList(), usedHostnames: deps.usedHostnames, log })

  // A token set, replaced or deleted (or another team chosen): what was fetched with the old one is stale.
  const unsubscribe = bus.subscribe((event) => {
    if (event !== 'secrets.changed') return
    accounts.invalidate()
    droplets.invalidate()
    dns.invalidate()
  })

  const handlers: HandlersFor<typeof providerMethods> = {
    'accounts.status': () => accounts.status(),
    'accounts.verify': ({ provider }) => accounts.verify(provider),
    'accounts.contexts': () => accounts.contexts(),
    'accounts.useContext': ({ name }) => accounts.useContext(name),
    'providers.health': () =>
      [doHttp, cfHttp].map((http) => ({ provider: http.provider, baseUrl: http.baseUrl, rateLimit: http.rateLimit, lastError: http.lastError, requests: http.requests })),

    'droplets.list': ({ refresh }) => droplets.list(refresh === true),
    'droplets.get': ({ id }) => droplets.get(id),
    'droplets.action': (params, ctx) => droplets.action(ctx, params),
    'droplets.tag': (params, ctx) => droplets.tag(ctx, params),

    'snapshots.list': ({ dropletId }) => snapshots.list(dropletId),
    'snapshots.delete': ({ id, confirm, unlock }, ctx) => snapshots.delete(ctx, id, confirm, unlock),

    'firewalls.list': () => firewalls.list(),
    'firewalls.createFromTemplate': (params, ctx) => firewalls.createFromTemplate(ctx, params),
    'firewalls.attach': (params, ctx) => firewalls.attach(ctx, params),

    'audit.list': ({ limit }) => audit.list(limit),

    'dns.zones.list': ({ refresh }) => dns.zones(refresh === true),
    'dns.records.list': ({ provider, zoneId, refresh }) => dns.records(provider, zoneId, refresh === true),
    'dns.records.create': ({ provider, zoneId, record }, ctx) => dns.create(ctx, provider, zoneId, record),
    'dns.records.update': ({ provider, zoneId, id, record }, ctx) => dns.update(ctx, provider, zoneId, id, record),
    'dns.records.delete': ({ provider, zoneId, id, confirm }, ctx) => dns.delete(ctx, provider, zoneId, id, confirm),
    'dns.missing': () => dns.missing()
  }

  return {
    handlers,
    storeToken: (params) => accounts.storeToken(params),
    droplets: () => droplets.list(false),
    assertDropletWritable: lock,
    registry,
    async dispose() {
      unsubscribe()
      await droplets.dispose()
    }
  }
}
