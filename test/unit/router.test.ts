import { describe, expect, it } from 'vitest'
import { defaultSettings } from '../../src/shared/contract'
import { DropdeckError } from '../../src/shared/errors'
import { createCallContext } from '../../src/main/rpc/context'
import { EventBus } from '../../src/main/rpc/event-bus'
import { createRouter, type Handlers } from '../../src/main/rpc/router'

/** The core methods only; the router is generic over the contract, so the rest never get called here. */
function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const status = { digitalocean: false, cloudflare: false }
  return {
    'app.info': () => ({ name: 'Dropdeck', version: '1.2.3' }),
    'secrets.set': () => status,
    'secrets.delete': () => status,
    'secrets.status': () => status,
    'secrets.keychain': () => ({ available: true, backend: 'test' }),
    'settings.get': () => defaultSettings,
    'settings.update': (patch) => ({ ...defaultSettings, ...patch }),
    ...overrides
  } as Handlers
}

const ctx = createCallContext('test', new EventBus())

describe('router', () => {
  it('calls the service with validated params and returns its result', async () => {
    const router = createRouter(handlers())
    expect(await router.call('app.info', undefined, ctx)).toEqual({ ok: true, result: { name: 'Dropdeck', version: '1.2.3' } })
    expect(await router.call('settings.update', { theme: 'dark' }, ctx)).toEqual({ ok: true, result: { ...defaultSettings, theme: 'dark' } })
  })

  it('refuses unknown methods, including prototype names', async () => {
    const router = createRouter(handlers())
    for (const name of ['nope', 'toString', '__proto__', 42, null]) {
      const reply = await router.call(name, {}, ctx)
      expect(reply).toMatchObject({ ok: false, error: { code: 'METHOD_NOT_FOUND', retryable: false } })
    }
  })

  it('refuses params of the wrong shape with the field that is wrong', async () => {
    const router = createRouter(handlers())
    const cases: unknown[] = [{ key: 'aws', value: 'x' }, { key: 'digitalocean' }, { key: 'digitalocean', value: 'has space' }, [1, 2], 'str', { key: 'digitalocean', value: 'ok', extra: 1 }]
    for (const params of cases) {
      const reply = await router.call('secrets.set', params, ctx)
      expect(reply.ok).toBe(false)
      if (!reply.ok) expect(reply.error.code).toBe('BAD_REQUEST')
    }
    const reply = await router.call('settings.update', { alertThresholdPercent: 120 }, ctx)
    expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('alertThresholdPercent') } })
  })

  it('keeps a service error code and marks everything else INTERNAL', async () => {
    const router = createRouter(
      handlers({
        'secrets.status': () => {
          throw new DropdeckError('KEYCHAIN_UNAVAILABLE', 'locked', { retryable: true })
        },
        'app.info': () => {
          throw new TypeError('boom')
        }
      })
    )
    expect(await router.call('secrets.status', {}, ctx)).toEqual({ ok: false, error: { code: 'KEYCHAIN_UNAVAILABLE', message: 'locked', retryable: true } })
    expect(await router.call('app.info', {}, ctx)).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'boom', retryable: false } })
  })

  it('catches a service whose result drifts from the contract', async () => {
    const lines: string[] = []
    const router = createRouter(handlers({ 'app.info': () => ({ name: 'Dropdeck' }) as never }), (line) => lines.push(line))
    const reply = await router.call('app.info', {}, ctx)
    expect(reply).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(lines.join('\n')).toContain('outside the contract')
  })
})
