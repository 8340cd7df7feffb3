/**
 * An in-memory stand-in for the transport, for component tests only: the real contract router
 * (so params are validated and errors have their real shape) over in-memory handlers, wrapped by
 * the renderer's real client. Tests can push events and make a method fail.
 */
import { defaultSettings, type DropdeckBridge, type EventName, type EventPayload, type MethodName, type Result, type Settings } from '../../src/shared/contract'
import { DropdeckError } from '../../src/shared/errors'
import { createCallContext } from '../../src/main/rpc/context'
import { EventBus } from '../../src/main/rpc/event-bus'
import { createRouter, type Handlers } from '../../src/main/rpc/router'
import { createClient } from '../../src/renderer/src/rpc/client'

export interface FakeOptions {
  tokens?: Partial<Record<'digitalocean' | 'cloudflare', boolean>>
  keychain?: Result<'secrets.keychain'>
  settings?: Partial<Settings>
  /** In-memory answers for the other methods a component under test calls. */
  handlers?: Partial<Handlers>
}

export function createFakeApi(options: FakeOptions = {}) {
  const tokens = { digitalocean: false, cloudflare: false, ...options.tokens }
  let settings: Settings = { ...defaultSettings, ...options.settings }
  const keychain = options.keychain ?? { available: true, backend: 'Test Keychain' }
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const failures = new Map<MethodName, DropdeckError>()
  const calls: Array<{ method: string; params: unknown }> = []

  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const listener of listeners.get(event) ?? []) listener(payload)
  }

  const handlers = {
    'app.info': () => ({ name: 'Dropdeck', version: '0.0.0-test' }),
    'secrets.status': () => ({ ...tokens }),
    'secrets.keychain': () => keychain,
    'secrets.set': ({ key }) => {
      if (!keychain.available) throw new DropdeckError('KEYCHAIN_UNAVAILABLE', keychain.message ?? 'unavailable', { retryable: true })
      tokens[key] = true
      emit('secrets.changed', { ...tokens })
      return { ...tokens }
    },
    'secrets.delete': ({ key }) => {
      tokens[key] = false
      emit('secrets.changed', { ...tokens })
      return { ...tokens }
    },
    'settings.get': () => settings,
    'settings.update': (patch) => {
      settings = { ...settings, ...patch }
      emit('settings.changed', settings)
      return settings
    },
    ...options.handlers
  } as Handlers
  const router = createRouter(handlers)
  const context = createCallContext('test', new EventBus())

  const bridge: DropdeckBridge = {
    async invoke(method, params) {
      calls.push({ method, params })
      const failure = failures.get(method)
      if (failure) return { ok: false, error: failure.toJSON() }
      return (await router.call(method, params, context)) as never
    },
    on(event, listener) {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      const wrapped = listener as (payload: unknown) => void
      set.add(wrapped)
      return () => set.delete(wrapped)
    }
  }

  return {
    api: createClient(bridge),
    calls,
    emit,
    /** Make every call of `method` fail with `error` until `succeed(method)`. */
    fail: (method: MethodName, error: DropdeckError) => failures.set(method, error),
    succeed: (method: MethodName) => failures.delete(method),
    get settings() {
      return settings
    },
    tokens
  }
}
