/**
 * Checks and alerts as contract caches (useContractQuery), kept in step with main's checks.changed and
 * alerts.changed events (every client gets them), so a state change shows without polling.
 */
import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { Result } from '../../../shared/contract'
import { useApi } from '../rpc/api-context'
import { contractKey, useContractQuery } from '../rpc/contract-queries'

export type CheckRow = Result<'checks.list'>[number]
export type AlertRow = Result<'alerts.list'>[number]
export type Proposal = Result<'checks.propose'>[number]

/** The caches the events below keep in step (contract-queries.ts keys; options in method-options.ts). */
export const checksKeys = {
  checks: contractKey('checks.list', {}),
  alerts: contractKey('alerts.list', {}),
  webhook: contractKey('alerts.webhook.get', {})
}

export const useChecks = () => useContractQuery('checks.list', {})
export const useAlerts = () => useContractQuery('alerts.list', {})
export const useWebhook = () => useContractQuery('alerts.webhook.get', {})

/**
 * Applies checks.changed and alerts.changed to the caches; calls `onFired` for an alert that starts
 * firing (for the desktop notification).
 */
export function useHealthEvents(onFired: (alert: AlertRow) => void): void {
  const api = useApi()
  const client = useQueryClient()
  useEffect(() => {
    const offChecks = api.on('checks.changed', ({ id, status }) => {
      const rows = client.getQueryData<CheckRow[]>(checksKeys.checks)
      if (!rows || !status || !rows.some((r) => r.check.id === id)) void client.invalidateQueries({ queryKey: ['checks.list'] })
      else client.setQueryData<CheckRow[]>(checksKeys.checks, rows.map((r) => (r.check.id === id ? { ...r, status } : r)))
    })
    const offAlerts = api.on('alerts.changed', ({ alert }) => {
      const rows = client.getQueryData<AlertRow[]>(checksKeys.alerts)
      const known = rows?.find((a) => a.id === alert.id)
      if (alert.state === 'firing' && !known) onFired(alert)
      void client.invalidateQueries({ queryKey: ['alerts.list'] })
    })
    return () => {
      offChecks()
      offAlerts()
    }
  }, [api, client, onFired])
}
