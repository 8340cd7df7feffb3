/**
 * react-query defaults for a contract client: retry only what the service marked retryable, and keep
 * data fresh through pushed events rather than polling, so window focus does not set off a storm.
 */
import { QueryClient } from '@tanstack/react-query'
import { isRetryable } from './errors'

const MAX_RETRIES = 3

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failures, error) => failures < MAX_RETRIES && isRetryable(error),
        // Events keep these caches current; a focus refetch is only a safety net.
        staleTime: 60_000,
        refetchOnWindowFocus: true,
        refetchOnReconnect: false
      },
      mutations: { retry: false }
    }
  })
}
