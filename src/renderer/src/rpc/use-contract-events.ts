/**
 * Keeps react-query's caches in step with what main pushes, and refetches after a reconnect,
 * since events sent while the socket was down are lost.
 */
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { useApi, useConnectionStatus } from './api-context'
import { useStaleOnEvents } from './contract-queries'
import { queryKeys } from './queries'
import { useProviderEvents } from './use-provider-events'
import { useSshEvents } from '../ssh/ssh-queries'

export function useContractEvents(): void {
  const api = useApi()
  const client = useQueryClient()
  const { phase } = useConnectionStatus()
  const lastPhase = useRef(phase)
  useStaleOnEvents()
  useProviderEvents()
  useSshEvents()

  useEffect(() => {
    const offSecrets = api.on('secrets.changed', (status) => client.setQueryData(queryKeys.secretsStatus, status))
    const offSettings = api.on('settings.changed', (settings) => client.setQueryData(queryKeys.settings, settings))
    return () => {
      offSecrets()
      offSettings()
    }
  }, [api, client])

  useEffect(() => {
    const previous = lastPhase.current
    lastPhase.current = phase
    if (phase === 'connected' && (previous === 'reconnecting' || previous === 'refused')) void client.invalidateQueries()
  }, [phase, client])
}
