/**
 * Saved commands through the data layer: a host's list (terminals.commands.list {hostId}), refetched on
 * terminals.commands.changed and after an add or remove (method-options.ts).
 */
import type { Result } from '../../../shared/contract'
import { useContractMutation, useContractQuery } from '../rpc/contract-queries'

export type SavedCommand = Result<'terminals.commands.list'>[number]

/** `scope`: a host id, or LOCAL_COMMANDS_HOST for local shells; nothing is read without one. */
export function useSavedCommands(scope: string | undefined, enabled = true) {
  return useContractQuery('terminals.commands.list', { hostId: scope ?? '' }, { enabled: enabled && !!scope })
}

export function useAddSavedCommand() {
  return useContractMutation('terminals.commands.add')
}

export function useRemoveSavedCommand() {
  return useContractMutation('terminals.commands.remove')
}
