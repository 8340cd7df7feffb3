/**
 * Checks, alerts and metrics as react-query caches, kept in step with main's checks.changed and
 * alerts.changed events (every client gets them), so a state change shows without polling.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { MetricsRange, Result } from '../../../shared/contract'
import { useApi } from '../rpc/api-context'

export type CheckRow = Result<'checks.list'>[number]
export type AlertRow = Result<'alerts.list'>[number]
export type Proposal = Result<'checks.propose'>[number]

export const checksKeys = {
  checks: ['health', 'checks'] as const,
  alerts: ['health', 'alerts'] as const,
  webhook: ['health', 'webhook'] as const,
  metrics: (hostId: string, range: MetricsRange) => ['health', 'metrics', hostId, range] as const
}

export function useChecks() {
  const api = useApi()
  return useQuery({ queryKey: checksKeys.checks, queryFn: () => api.call('checks.list', {}), staleTime: 30_000 })
}

export function useAlerts() {
  const api = useApi()
  return useQuery({ queryKey: checksKeys.alerts, queryFn: () => api.call('alerts.list', {}), staleTime: 30_000 })
}

export function useWebhook() {
  const api = useApi()
  return useQuery({ queryKey: checksKeys.webhook, queryFn: () => api.call('alerts.webhook.get', {}) })
}

/** Samples are taken every 15 s; a chart refetches at that pace while shown. */
export function useMetrics(hostId: string, range: MetricsRange) {
  const api = useApi()
  return useQuery({ queryKey: checksKeys.metrics(hostId, range), queryFn: () => api.call('metrics.host', { hostId, range }), refetchInterval: 15_000, staleTime: 10_000, retry: false })
}

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
      if (!rows || !status || !rows.some((r) => r.check.id === id)) void client.invalidateQueries({ queryKey: checksKeys.checks })
      else client.setQueryData<CheckRow[]>(checksKeys.checks, rows.map((r) => (r.check.id === id ? { ...r, status } : r)))
    })
    const offAlerts = api.on('alerts.changed', ({ alert }) => {
      const rows = client.getQueryData<AlertRow[]>(checksKeys.alerts)
      const known = rows?.find((a) => a.id === alert.id)
      if (alert.state === 'firing' && !known) onFired(alert)
      void client.invalidateQueries({ queryKey: checksKeys.alerts })
    })
    return () => {
      offChecks()
      offAlerts()
    }
  }, [api, client, onFired])
}
