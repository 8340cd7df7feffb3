/**
 * The renderer's data layer keyed by contract method. A read's cache key is `[method]`, or
 * `[method, params]` when it takes params, so an event handler or a write reaches exactly the cache a
 * method fills; a method's freshness and what its success makes stale come from method-options.ts.
 * Components use these hooks instead of calling `api.call` themselves.
 */
import { useMutation, useQuery, useQueryClient, type UseMutationOptions } from '@tanstack/react-query'
import type { MethodName, Params, Result } from '../../../shared/contract'
import { useApi } from './api-context'
import { invalidates, readOptions } from './method-options'

/** The cache key of one read: `[method]` for a read without params, else `[method, params]`. */
export function contractKey<M extends MethodName>(method: M, params?: Params<M>): readonly [M] | readonly [M, Params<M>] {
  return params === undefined ? [method] : [method, params]
}

/** A contract read as a react-query, with the method's options; `options` may only switch it off or override freshness. */
export function useContractQuery<M extends MethodName>(method: M, params?: Params<M>, options: { enabled?: boolean; staleTime?: number } = {}) {
  const api = useApi()
  const call = api.call as (method: M, params?: Params<M>) => Promise<Result<M>>
  return useQuery({
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
