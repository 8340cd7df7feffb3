/** The network.* methods as react-query mutations: the connection test and proxy credentials. */
import { useMutation } from '@tanstack/react-query'
import type { Params } from '../../../shared/contract'
import { useApi } from '../rpc/api-context'

export function useNetworkTest() {
  const api = useApi()
  return useMutation({ mutationFn: (target: Params<'network.test'>['target']) => api.call('network.test', { target }) })
}

export function useSetProxyCredentials() {
  const api = useApi()
  return useMutation({ mutationFn: (params: Params<'network.proxyCredentials.set'>) => api.call('network.proxyCredentials.set', params) })
}

export function useDeleteProxyCredentials() {
  const api = useApi()
  return useMutation({ mutationFn: (proxy: string) => api.call('network.proxyCredentials.delete', { proxy }) })
}
