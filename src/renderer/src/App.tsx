/** The providers every screen needs, around the shell. Takes its client so tests can pass a fake. */
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query'
import * as Tooltip from '@radix-ui/react-tooltip'
import type { DropdeckApi } from '../../shared/contract'
import { ApiProvider } from './rpc/api-context'
import type { ConnectionStore } from './rpc/connection-state'
import { AppShell } from './shell/AppShell'

interface AppProps {
  api: DropdeckApi
  queryClient: QueryClient
  connection?: ConnectionStore
}

export function App({ api, queryClient, connection }: AppProps) {
  return (
    <QueryClientProvider client={queryClient}>
      <ApiProvider api={api} connection={connection}>
        <Tooltip.Provider delayDuration={400}>
          <AppShell />
        </Tooltip.Provider>
      </ApiProvider>
    </QueryClientProvider>
  )
}
