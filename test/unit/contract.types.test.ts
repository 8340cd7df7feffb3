/**
 * Type tests: `npm test` runs `tsc` over this file, so a drift between the contract and main
 * (Handlers), the preload (DropdeckBridge) or the renderer (DropdeckApi) fails the build.
 */
import { describe, expectTypeOf, it } from 'vitest'
import type { DropdeckApi, DropdeckBridge, EventPayload, MethodName, Params, Result, RpcEnvelope } from '../../src/shared/contract'
import type { Handlers } from '../../src/main/rpc/router'

describe('contract types', () => {
  it('derives params and results from the schemas', () => {
    expectTypeOf<Result<'app.info'>>().toEqualTypeOf<{ name: string; version: string }>()
    expectTypeOf<Result<'secrets.status'>>().toEqualTypeOf<{ digitalocean: boolean; cloudflare: boolean }>()
    expectTypeOf<Params<'secrets.set'>>().toEqualTypeOf<{ key: 'digitalocean' | 'cloudflare'; value: string; context?: string | undefined; verify?: boolean | undefined }>()
    expectTypeOf<Params<'secrets.delete'>>().toEqualTypeOf<{ key: 'digitalocean' | 'cloudflare'; context?: string | undefined }>()
    expectTypeOf<EventPayload<'secrets.changed'>>().toEqualTypeOf<Result<'secrets.status'>>()
  })

  it('binds main handlers to every method, by name', () => {
    expectTypeOf<keyof Handlers>().toEqualTypeOf<MethodName>()
    expectTypeOf<Parameters<Handlers['secrets.set']>[0]>().toEqualTypeOf<{ key: 'digitalocean' | 'cloudflare'; value: string; context?: string | undefined; verify?: boolean | undefined }>()
    expectTypeOf<Awaited<ReturnType<Handlers['app.info']>>>().toEqualTypeOf<{ name: string; version: string }>()
  })

  it('types the preload bridge and the renderer client from the same contract', () => {
    expectTypeOf<ReturnType<DropdeckBridge['invoke']>>().toEqualTypeOf<Promise<RpcEnvelope<Result<MethodName>>>>()
    // Never called: only the compiler looks at this body.
    const _typeOnly = (api: DropdeckApi) => {
    expectTypeOf(api.call('app.info')).toEqualTypeOf<Promise<{ name: string; version: string }>>()
    // @ts-expect-error a token key the contract does not know
    void api.call('secrets.set', { key: 'aws', value: 'x' })
    // @ts-expect-error a method the contract does not have
    void api.call('secrets.get', { key: 'digitalocean' })
    // @ts-expect-error secrets.set has required params
    void api.call('secrets.set')
    }
    expectTypeOf(_typeOnly).toBeFunction()
  })
})
