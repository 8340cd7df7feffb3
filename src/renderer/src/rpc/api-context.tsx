/** Hands the contract client and the connection store to the component tree. */
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react'
import type { DropdeckApi } from '../../../shared/contract'
import { createConnectionStore, type ConnectionStatus, type ConnectionStore } from './connection-state'

interface ApiContextValue {
  api: DropdeckApi
  connection: ConnectionStore
}

const ApiContext = createContext<ApiContextValue | null>(null)

// Transports without a connection phase (Electron IPC, test fakes) are always connected.
const alwaysConnected = createConnectionStore('connected')

export function ApiProvider({ api, connection = alwaysConnected, children }: { api: DropdeckApi; connection?: ConnectionStore; children: ReactNode }) {
  return <ApiContext.Provider value={{ api, connection }}>{children}</ApiContext.Provider>
}

function useApiContext(): ApiContextValue {
  const value = useContext(ApiContext)
  if (!value) throw new Error('useApi must be used inside <ApiProvider>')
  return value
}

export function useApi(): DropdeckApi {
  return useApiContext().api
}

export function useConnectionStatus(): ConnectionStatus {
  const { connection } = useApiContext()
  return useSyncExternalStore(connection.subscribe, connection.get)
}
