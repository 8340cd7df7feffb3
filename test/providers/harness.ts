/**
 * The real services from createServices (router, event bus, settings, secrets in a real Secret
 * Service), pointed at the fleet's provider stubs through
 * DROPDECK_DO_API / DROPDECK_CF_API. Only the timings are shortened (`tuning`).
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EventName, EventPayload, MethodName, Params, Result } from '../../src/shared/contract'
import { DropdeckError } from '../../src/shared/errors'
import { createCallContext } from '../../src/main/rpc/context'
import type { EventBus } from '../../src/main/rpc/event-bus'
import { createServices, type ServicesOptions } from '../../src/main/app/services'
import { createKeychain } from '../../src/main/secrets/keychain'
import type { SecretsService } from '../../src/main/secrets/secrets-service'
import type { SettingsStore } from '../../src/main/settings/settings-store'
import type { ProviderDeps } from '../../src/main/providers/provider-handlers'
import { startCloudflareStub, type LoggedRequest, startDigitalOceanStub, type CloudflareStub, type CloudflareStubOptions, type DigitalOceanStub, type DigitalOceanStubOptions } from '../fleet/provider-stubs'

export interface World {
  dos: DigitalOceanStub
  cf: CloudflareStub
  dataDir: string
  bus: EventBus
  settings: SettingsStore
  secrets: SecretsService
  events: { event: EventName; payload: unknown; at: number }[]
  /** What the services logged (the host writes these lines to stderr). */
  log: string[]
  call<M extends MethodName>(method: M, params?: Params<M>, clientId?: string): Promise<Result<M>>
  /** The error a call fails with (throws if it succeeds). */
  fail(method: MethodName, params?: unknown): Promise<DropdeckError>
  eventsOf<E extends EventName>(event: E): EventPayload<E>[]
  waitForEvent<E extends EventName>(event: E, match: (payload: EventPayload<E>) => boolean, timeoutMs?: number): Promise<EventPayload<E>>
  stop(): Promise<void>
}

export interface WorldOptions {
  digitalocean?: DigitalOceanStubOptions
  cloudflare?: CloudflareStubOptions
  /** Which tokens to store: default both. */
  tokens?: { digitalocean?: boolean; cloudflare?: boolean }
  tuning?: ProviderDeps['tuning']
  /** More environment for the services (e.g. DROPDECK_SSH_CONFIG). */
  env?: Record<string, string>
  /** The services' fetch (default Node's): a test can act between a request's answer and the next request. */
  fetch?: typeof fetch
  /** Where proxies come from instead of the PAC setting (Electron passes Chromium's answers). */
  proxyResolver?: ServicesOptions['proxyResolver']
}

/** Fast timings for tests: short backoff, 50 ms action polling. */
export const fastTuning: NonNullable<ProviderDeps['tuning']> = { http: { retryBaseMs: 20, timeoutMs: 5000 }, droplets: { actionPollMs: 50 } }

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const [dos, cf] = await Promise.all([startDigitalOceanStub(options.digitalocean), startCloudflareStub(options.cloudflare)])
  const dataDir = await mkdtemp(join(tmpdir(), 'dropdeck-providers-'))
  const log: string[] = []
  const services = createServices({
    dataDir,
    version: '0.0.0-test',
    // A keychain service of its own, so worlds in one Secret Service never see each other's tokens.
    keychain: createKeychain(`dropdeck-test-${randomUUID()}`),
    env: { DROPDECK_DO_API: dos.url, DROPDECK_CF_API: cf.url, ...options.env },
    log: (line) => log.push(line),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.proxyResolver ? { proxyResolver: options.proxyResolver } : {}),
    providerTuning: options.tuning ?? fastTuning
  })
  const { bus, settings, secrets, router } = services
  const events: World['events'] = []
  bus.subscribe((event, payload) => events.push({ event, payload, at: Date.now() }))
  const contexts = new Map<string, ReturnType<typeof createCallContext>>()
  const ctxFor = (id: string) => {
    let ctx = contexts.get(id)
    if (!ctx) contexts.set(id, (ctx = createCallContext(id, bus)))
    return ctx
  }

  const call: World['call'] = async (method, params, clientId = 'test:1') => {
    const envelope = await router.call(method, params, ctxFor(clientId))
    if (!envelope.ok) throw new DropdeckError(envelope.error.code, envelope.error.message, { retryable: envelope.error.retryable, data: envelope.error.data })
    return envelope.result as never
  }

  if (options.tokens?.digitalocean !== false) await secrets.set('digitalocean', dos.token)
  if (options.tokens?.cloudflare !== false) await secrets.set('cloudflare', cf.token)

  const world: World = {
    dos,
    cf,
    dataDir,
    bus,
    settings,
    secrets,
    events,
    log,
    call,
    async fail(method, params) {
      try {
        await call(method, params as never)
      } catch (err) {
        if (err instanceof DropdeckError) return err
        throw err
      }
      throw new Error(`${method} succeeded; a failure was expected`)
    },
    eventsOf: (event) => events.filter((e) => e.event === event).map((e) => e.payload as never),
    async waitForEvent(event, match, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const hit = events.find((e) => e.event === event && match(e.payload as never))
        if (hit) return hit.payload as never
        if (Date.now() > deadline) throw new Error(`no ${event} event matched within ${timeoutMs} ms; saw ${events.map((e) => e.event).join(', ')}\nlog:\n${log.join('\n')}`)
        await new Promise((r) => setTimeout(r, 20))
      }
    },
    async stop() {
      await services.dispose()
      await secrets.delete('digitalocean').catch(() => {})
      await secrets.delete('cloudflare').catch(() => {})
      await Promise.all([dos.stop(), cf.stop()])
      await rm(dataDir, { recursive: true, force: true })
    }
  }
  return world
}

/** Requests the stub saw since `from`, by method and path (query ignored). */
export function requestsTo(stub: { requests: LoggedRequest[] }, method: string, path: string | RegExp, from = 0) {
  return stub.requests.slice(from).filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)))
}
