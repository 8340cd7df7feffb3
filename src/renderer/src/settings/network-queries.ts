/** The network.* methods through the data layer: the connection test and proxy credentials. */
import { useContractMutation } from '../rpc/contract-queries'

export function useNetworkTest() {
  return useContractMutation('network.test')
}

export function useSetProxyCredentials() {
  return useContractMutation('network.proxyCredentials.set')
}

export function useDeleteProxyCredentials() {
  return useContractMutation('network.proxyCredentials.delete')
}
