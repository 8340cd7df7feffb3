/**
 * Creating a firewall from the template and attaching one to droplets or tags. The answer is the
 * firewall as DigitalOcean now has it: written into the list, then the list and the droplets'
 * details (which show their firewalls) are refetched.
 */
import { useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useContractMutation } from '../rpc/contract-queries'
import { providerKeys, type Firewall } from '../rpc/provider-queries'

function settle(client: QueryClient, firewall: Firewall) {
  client.setQueryData<Firewall[]>(providerKeys.firewalls, (old) => (old ? [...old.filter((entry) => entry.id !== firewall.id), firewall] : old))
  void client.invalidateQueries({ queryKey: providerKeys.firewalls })
  // Attaching by tag reaches droplets no event names; the open detail is the only active one anyway.
  void client.invalidateQueries({ queryKey: providerKeys.dropletDetails })
}

export function useCreateFirewall() {
  const client = useQueryClient()
  return useContractMutation('firewalls.createFromTemplate', { onSuccess: (firewall) => settle(client, firewall) })
}

export function useAttachFirewall() {
  const client = useQueryClient()
  return useContractMutation('firewalls.attach', { onSuccess: (firewall) => settle(client, firewall) })
}
