/**
 * The app's own reads and writes (secrets, settings) through the data layer. Writes answer with the
 * new state, which goes straight into the read's cache (as secrets.changed and settings.changed do).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { Result, SecretKey } from '../../../shared/contract'
import { useApi } from './api-context'
import { contractKey, useContractMutation, useContractQuery } from './contract-queries'

export const queryKeys = {
  secretsStatus: contractKey('secrets.status'),
  keychain: contractKey('secrets.keychain'),
  settings: contractKey('settings.get')
}

export function useSecretsStatus() {
  return useContractQuery('secrets.status')
}

export function useKeychainStatus() {
  return useContractQuery('secrets.keychain')
}

export function useSettings() {
  return useContractQuery('settings.get')
}

export function useUpdateSettings() {
  const client = useQueryClient()
  return useContractMutation('settings.update', { onSuccess: (settings) => client.setQueryData(queryKeys.settings, settings) })
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
  const client = useQueryClient()
  return useContractMutation('secrets.delete', { onSuccess: (status) => client.setQueryData(queryKeys.secretsStatus, status) })
}
