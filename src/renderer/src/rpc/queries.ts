/**
 * The contract's reads and writes as react-query hooks. Query keys are the method names, so an event
 * handler or a mutation can update exactly the cache its method fills.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { Result, SecretKey, Settings } from '../../../shared/contract'
import { useApi } from './api-context'

export const queryKeys = {
  secretsStatus: ['secrets.status'] as const,
  keychain: ['secrets.keychain'] as const,
  settings: ['settings.get'] as const
}

export function useSecretsStatus() {
  const api = useApi()
  return useQuery({ queryKey: queryKeys.secretsStatus, queryFn: () => api.call('secrets.status') })
}

export function useKeychainStatus() {
  const api = useApi()
  // The probe writes to the keychain; do not repeat it on every focus.
  return useQuery({ queryKey: queryKeys.keychain, queryFn: () => api.call('secrets.keychain'), staleTime: 5 * 60_000 })
}

export function useSettings() {
  const api = useApi()
  return useQuery({ queryKey: queryKeys.settings, queryFn: () => api.call('settings.get') })
}

export function useUpdateSettings() {
  const api = useApi()
  const client = useQueryClient()
  return useMutation({
    mutationFn: (patch: Partial<Settings>) => api.call('settings.update', patch),
    onSuccess: (settings) => client.setQueryData(queryKeys.settings, settings)
  })
}

export function useSetSecret() {
  const api = useApi()
  const client = useQueryClient()
  return useMutation({
    // verify: false only when the operator chose "Store without checking" after a refusal
    mutationFn: ({ key, value, context, verify }: { key: SecretKey; value: string; context?: string; verify?: false }) =>
      api.call('secrets.set', { key, value, ...(context ? { context } : {}), ...(verify === false ? { verify } : {}) }),
    onSuccess: (status: Result<'secrets.status'>) => client.setQueryData(queryKeys.secretsStatus, status)
  })
}

export function useDeleteSecret() {
  const api = useApi()
  const client = useQueryClient()
  return useMutation({
    mutationFn: (key: SecretKey) => api.call('secrets.delete', { key }),
    onSuccess: (status: Result<'secrets.status'>) => client.setQueryData(queryKeys.secretsStatus, status)
  })
}
