// @vitest-environment jsdom
/**
 * The Health area's checks, alerts and counts as components, against the real router over in-memory
 * answers: one state per container in the host card's counts, the rail's badge from alerts.list and
 * alerts.changed, a check's row following checks.changed, and acknowledging from the alert centre.
 */
import './setup-dom'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Alert, CheckStatus, Result } from '../../src/shared/contract'
import { renderApp } from './render-app'

type Host = Result<'hosts.list'>[number]
type Container = Result<'containers.list'>[number]

const host: Host = { id: 'web-1', name: 'web-1', hostname: '10.0.0.5', port: 22, user: 'root', source: 'ssh-config', identityFiles: [], localForwards: [], state: 'connected' } as Host
const container = (over: Partial<Container>): Container => ({ id: 'c1', name: 'c1', image: 'img:1', state: 'running', health: null, exitCode: null, ports: [], createdAt: '2026-01-01T00:00:00Z', startedAt: '2026-01-01T00:00:01Z', finishedAt: null, project: null, ...over })
const status = (over: Partial<CheckStatus>): CheckStatus => ({ state: 'pending', severity: null, message: 'Not run yet.', detail: null, since: null, lastRunAt: null, latencyMs: null, consecutiveFailures: 0, consecutiveSuccesses: 0, recent: [], ...over })
const alert = (over: Partial<Alert>): Alert => ({
  id: 'a1',
  checkId: 'k1',
  checkName: 'Containers on web-1',
  kind: 'container',
  state: 'firing',
  severity: 'critical',
  message: 'odoo-odoo-1 is unhealthy on web-1',
  detail: 'odoo-odoo-1 is unhealthy (img:1): health check exit 1: 404',
  nextStep: { label: "Open the container's logs", area: 'logs', hostId: 'web-1' },
  firedAt: new Date().toISOString(),
  resolvedAt: null,
  acknowledgedAt: null,
  ...over
})
const check = { id: 'k1', createdAt: '2026-01-01T00:00:00Z', kind: 'container' as const, name: 'Containers on web-1', hostId: 'web-1', enabled: true, intervalSeconds: 60, timeoutSeconds: 10, failuresToDown: 3, successesToUp: 2 }

function app(alerts: Alert[]) {
  return renderApp(
    {
      handlers: {
        'hosts.list': () => [host],
        'containers.list': () => [
          container({ id: 'a', name: 'odoo-odoo-1', health: 'unhealthy' }),
          // exited after its health check failed: Docker still says "unhealthy"
          container({ id: 'b', name: 'odoo-ocr-adapter-1', state: 'exited', exitCode: 1, health: 'unhealthy' }),
          container({ id: 'c', name: 'e2i-mlflow-1', health: 'healthy' })
        ],
        'units.list': () => [],
        'units.picked': () => ({ units: [] }),
        'metrics.host': ({ hostId, range }) => ({ hostId, range, stepSeconds: 15, points: [] }),
        'alerts.list': () => alerts,
        'alerts.acknowledge': ({ id }) => {
          const a = alerts.find((x) => x.id === id)!
          a.acknowledgedAt = new Date().toISOString()
          return a
        },
        'checks.list': () => [{ check, status: status({}) }]
      }
    },
    '#/health'
  )
}

describe('Health: counts, alerts and checks', () => {
  it('counts an exited container as exited only, not also as unhealthy', async () => {
    app([])
    const counts = await screen.findByLabelText('Containers on web-1', undefined, { timeout: 5000 })
    expect(counts.textContent).toMatch(/2 running\s*1 unhealthy\s*1 exited\s*of 3/)
  })

  it('shows firing alerts on the rail and in the alert centre; acknowledging one takes it off the badge', async () => {
    const alerts = [alert({}), alert({ id: 'a2', checkName: 'DNS ipa.insightpulseai.net', kind: 'dns', message: 'no record', nextStep: { label: 'Open the DNS record', area: 'dns', hostId: null } }), alert({ id: 'a0', state: 'resolved', resolvedAt: new Date().toISOString() })]
    const { fake } = app(alerts)
    const rail = screen.getByRole('navigation', { name: 'Areas' })
    expect((await within(rail).findByRole('status', { name: '2 alerts firing' })).textContent).toBe('2')
    fireEvent.click(screen.getByRole('radio', { name: 'Alerts (2)' }))
    const list = await screen.findByRole('list', { name: 'Alert list' })
    const item = within(list).getAllByRole('listitem')[0]
    expect(within(item).getByRole('link', { name: "Open the container's logs on web-1 →" }).getAttribute('href')).toBe('#/logs')
    fireEvent.click(within(item).getByRole('button', { name: 'Acknowledge Containers on web-1' }))
    fake.emit('alerts.changed', { alert: alerts[0], firing: 1 })
    await waitFor(() => expect(within(rail).getByRole('status', { name: '1 alert firing' })).toBeTruthy())
  })

  it('a check row follows checks.changed: failing 1/3, then down with its evidence', async () => {
    const { fake } = app([])
    fireEvent.click(await screen.findByRole('radio', { name: 'Checks' }))
    const table = await screen.findByRole('table', { name: 'Checks list' })
    await within(table).findByText('pending')
    fake.emit('checks.changed', { id: 'k1', status: status({ message: 'odoo-odoo-1 is unhealthy', consecutiveFailures: 1 }) })
    await within(table).findByText('failing 1/3')
    fake.emit('checks.changed', { id: 'k1', status: status({ state: 'down', severity: 'critical', message: 'odoo-odoo-1 is unhealthy', detail: 'health check exit 1: 404', since: new Date().toISOString(), consecutiveFailures: 3 }) })
    await within(table).findByText('down')
    expect(within(table).getByText('health check exit 1: 404')).toBeTruthy()
  })
})
