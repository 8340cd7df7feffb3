/**
 * Droplet actions this window has seen, newest first, from `droplets.action` answers and
 * `droplets.actionProgress` events. Kept in the query cache (never fetched) so it lives as long as
 * the client and every view reads the same list.
 */
import { useQuery, type QueryClient } from '@tanstack/react-query'
import type { ActionState } from '../rpc/provider-queries'

export interface ActionActivity extends ActionState {
  dropletName: string
  /** When this window last heard about it (ms). */
  seenAt: number
}

export const activityKey = ['renderer.actionActivity'] as const
const KEEP = 100

export function recordAction(client: QueryClient, action: ActionState & { dropletName: string }): void {
  client.setQueryData<ActionActivity[]>(activityKey, (old = []) => {
    const previous = old.find((entry) => entry.id === action.id)
    // Events can arrive out of order; a finished action never goes back to in-progress.
    if (previous && previous.status !== 'in-progress' && action.status === 'in-progress') return old
    const next: ActionActivity = { ...previous, ...action, seenAt: Date.now() }
    return [next, ...old.filter((entry) => entry.id !== action.id)].slice(0, KEEP)
  })
}

export function useActionActivity(): ActionActivity[] {
  return useQuery<ActionActivity[]>({ queryKey: activityKey, queryFn: () => [], initialData: [], staleTime: Infinity, gcTime: Infinity }).data
}
