/**
 * The rail's alert badge: how many alerts fire and are not yet acknowledged. It also listens for
 * alerts starting to fire and shows a desktop notification when the operator allowed them (the
 * browser's Notification API; Electron's renderer has the same API).
 */
import { useCallback } from 'react'
import { useAlerts, useHealthEvents, type AlertRow } from './checks-queries'

function notify(alert: AlertRow): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return
  const n = new Notification(`${alert.severity === 'critical' ? 'Down' : 'Warning'}: ${alert.checkName}`, { body: `${alert.message}\nNext: ${alert.nextStep.label}.`, tag: alert.id })
  n.onclick = () => {
    window.focus()
    window.location.hash = '#/health'
  }
}

export function AlertsBadge() {
  const alerts = useAlerts()
  useHealthEvents(useCallback((alert: AlertRow) => notify(alert), []))
  const firing = (alerts.data ?? []).filter((a) => a.state === 'firing' && !a.acknowledgedAt)
  if (firing.length === 0) return null
  const critical = firing.some((a) => a.severity === 'critical')
  return (
    <span className={`nav-badge ${critical ? 'nav-badge-danger' : 'nav-badge-warn'}`} role="status" aria-label={`${firing.length} alert${firing.length === 1 ? '' : 's'} firing`}>
      {firing.length}
    </span>
  )
}
