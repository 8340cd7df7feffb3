/** Saved commands as react-query caches, refreshed by terminals.commands.changed. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { Params, Result } from '../../../shared/contract'
import { useApi } from '../rpc/api-context'

export type SavedCommand = Result<'terminals.commands.list'>[number]

export const savedCommandsKey = (scope: string) => ['terminals.commands.list', scope] as const

export function useSavedCommands(scope: string | undefined, enabled = true) {
  const api = useApi()
  return useQuery({
    queryKey: savedCommandsKey(scope ?? ''),
    queryFn: () => api.call('terminals.commands.list', { hostId: scope! }),
    enabled: enabled && !!scope,
    staleTime: 60_000
  })
}

/** Any change may touch every host's list (`*` commands, hidden built-ins): refetch them all. */
export function useSavedCommandsEvents(): void {
  const api = useApi()
  const client = useQueryClient()
  useEffect(() => api.on('terminals.commands.changed', () => void client.invalidateQueries({ queryKey: ['terminals.commands.list'] })), [api, client])
}

export function useAddSavedCommand() {
  const api = useApi()
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: Params<'terminals.commands.add'>) => api.call('terminals.commands.add', input),
    onSuccess: () => client.invalidateQueries({ queryKey: ['terminals.commands.list'] })
  })
}

export function useRemoveSavedCommand() {
  const api = useApi()
  const client = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.call('terminals.commands.remove', { id }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['terminals.commands.list'] })
  })
}
