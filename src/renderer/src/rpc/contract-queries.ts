/**
 * The renderer's data layer keyed by contract method. A read's cache key is `[method]`, or
 * `[method, params]` when it takes params, so an event handler or a write reaches exactly the cache a
 * method fills; a method's freshness and what its success makes stale come from method-options.ts.
 * Components use these hooks instead of calling `api.call` themselves.
 */
import { useMutation, useQuery, useQueryClient, type UseMutationOptions } from '@tanstack/react-query'
import { useCallback, useEffect } from 'react'
import type { MethodName, Params, Result } from '../../../shared/contract'
import { useApi } from './api-context'
import { invalidates, readOptions, staleOn } from './method-options'

/** The cache key of one read: `[method]` for a read without params, else `[method, params]`. */
export function contractKey<M extends MethodName>(method: M, params?: Params<M>): readonly [M] | readonly [M, Params<M>] {
  return params === undefined ? [method] : [method, params]
}

/**
 * A key that matches every cache of `method` whose params include `some` (react-query compares the
 * params object partially): one host's reads, or one folder's listing whatever else it was read with.
 */
export function contractKeyMatching<M extends MethodName>(method: M, some: Partial<Params<M>>): readonly [M, Partial<Params<M>>] {
  return [method, some]
}

/**
 * A contract read as a react-query, with the method's options; `options` may only switch it off,
 * override freshness, or derive a view of the answer (`select`: pass a stable function, e.g. a
 * decoder defined at module level, so it runs once per answer, not once per render).
 */
export function useContractQuery<M extends MethodName, T = Result<M>>(
  method: M,
  params?: Params<M>,
  options: { enabled?: boolean; staleTime?: number; refetchInterval?: number; select?: (data: Result<M>) => T } = {}
) {
  const api = useApi()
  const call = api.call as (method: M, params?: Params<M>) => Promise<Result<M>>
  return useQuery<Result<M>, Error, T, ReturnType<typeof contractKey<M>>>({
    queryKey: contractKey(method, params),
    queryFn: () => call(method, params),
    ...readOptions[method],
    ...options
  })
}

/** A contract write; on success every cache its method makes stale (method-options.ts) is refetched. */
export function useContractMutation<M extends MethodName>(method: M, options: Pick<UseMutationOptions<Result<M>, Error, Params<M>>, 'onSuccess'> = {}) {
  const api = useApi()
  const client = useQueryClient()
  const call = api.call as (method: M, params: Params<M>) => Promise<Result<M>>
  return useMutation<Result<M>, Error, Params<M>>({
    mutationFn: (params) => call(method, params),
    onSuccess: (...args) => {
      for (const stale of invalidates[method] ?? []) void client.invalidateQueries({ queryKey: [stale] })
      return options.onSuccess?.(...args)
    }
  })
}

/**
 * A contract call the component runs at a moment of its choosing, with no cache and no mutation
 * state: stream input (terminals.write, keystroke by keystroke, where a mutation record per call
 * would cost), or an answer the component keeps itself (files.read into an editor). Stable across
 * renders; a write's stale reads (method-options.ts) are still refetched on success.
 */
export function useContractCall<M extends MethodName>(method: M): (params: Params<M>) => Promise<Result<M>> {
  const api = useApi()
  const client = useQueryClient()
  return useCallback(
    async (params: Params<M>) => {
      const result = await (api.call as (method: M, params: Params<M>) => Promise<Result<M>>)(method, params)
      for (const stale of invalidates[method] ?? []) void client.invalidateQueries({ queryKey: [stale] })
      return result
    },
    [api, client, method]
  )
}

/**
 * Fetches a read into its cache now (staleTime 0 unless given: the caller wants main's answer, not the
 * cache's), under the same key useContractQuery reads. `params` may differ from the key's params when
 * a call adds a one-off flag (a `refresh: true` that bypasses the service's own cache).
 */
export function useContractFetch<M extends MethodName>(method: M): (params?: Params<M>, options?: { keyParams?: Params<M>; staleTime?: number }) => Promise<Result<M>> {
  const api = useApi()
  const client = useQueryClient()
  return useCallback(
    (params?: Params<M>, options: { keyParams?: Params<M>; staleTime?: number } = {}) =>
      client.fetchQuery({
        queryKey: contractKey(method, 'keyParams' in options ? options.keyParams : params),
        queryFn: () => (api.call as (method: M, params?: Params<M>) => Promise<Result<M>>)(method, params),
        staleTime: options.staleTime ?? 0
      }),
    [api, client, method]
  )
}

/** For the life of the app: every event in method-options' staleOn refetches the reads it makes stale. */
export function useStaleOnEvents(): void {
  const api = useApi()
  const client = useQueryClient()
  useEffect(() => {
    const offs = Object.entries(staleOn).map(([event, methods]) =>
      api.on(event as keyof typeof staleOn, () => {
        for (const method of methods ?? []) void client.invalidateQueries({ queryKey: [method] })
      })
    )
    return () => offs.forEach((off) => off())
  }, [api, client])
}
