/**
 * Creating a firewall from the template and attaching one to droplets or tags. The answer is the
 * firewall as DigitalOcean now has it: written into the list, then the list and the droplets'
 * details (which show their firewalls) are refetched.
 */
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query'
import type { Params } from '../../../shared/contract'
import { useApi } from '../rpc/api-context'
import { providerKeys, type Firewall } from '../rpc/provider-queries'

function settle(client: QueryClient, firewall: Firewall) {
  client.setQueryData<Firewall[]>(providerKeys.firewalls, (old) => (old ? [...old.filter((entry) => entry.id !== firewall.id), firewall] : old))
  void client.invalidateQueries({ queryKey: providerKeys.firewalls })
  // Attaching by tag reaches droplets no event names; the open detail is the only active one anyway.
  void client.invalidateQueries({ queryKey: providerKeys.dropletDetails })
}

export function useCreateFirewall() {
  const api = useApi()
  const client = useQueryClient()
  return useMutation({
    mutationFn: (params: Params<'firewalls.createFromTemplate'>) => api.call('firewalls.createFromTemplate', params),
    onSuccess: (firewall) => settle(client, firewall)
  })
}

export function useAttachFirewall() {
  const api = useApi()
  const client = useQueryClient()
  return useMutation({
    mutationFn: (params: Params<'firewalls.attach'>) => api.call('firewalls.attach', params),
    onSuccess: (firewall) => settle(client, firewall)
  })
}
