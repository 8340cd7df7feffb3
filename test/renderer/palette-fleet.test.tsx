// @vitest-environment jsdom
import './setup-dom'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { stubTableViewport } from './layout-stub'
import { cfZone, makeDetail, makeFirewall, makeSnapshot, seedDroplets } from './provider-fixtures'
import { renderApp } from './render-app'

stubTableViewport()

function setup() {
  return renderApp({
    tokens: { digitalocean: true, cloudflare: true },
    handlers: {
      'droplets.list': () => seedDroplets,
      'droplets.get': ({ id }) => makeDetail(seedDroplets.find((d) => d.id === id)!),
      'dns.zones.list': () => ({ items: [cfZone], errors: [] }),
      'dns.records.list': () => [],
      'dns.missing': () => [],
      'snapshots.list': () => [makeSnapshot({ id: '9001', name: 'odoo-erp-prod-20251120-0830' })],
      'firewalls.list': () => [makeFirewall({ id: 'fw-1', name: 'prod-web', dropletIds: [3164444] })],
      'audit.list': () => [{ id: 'a1', at: '2025-11-28T10:00:00Z', actor: 'alice via electron', action: 'droplet.snapshot', target: 'droplet 3164444 (odoo-erp-prod)', result: 'ok', requestId: 'req-1' }]
    }
  })
}

async function openPalette(search: string) {
  fireEvent.keyDown(window, { key: 'k', code: 'KeyK', ctrlKey: true })
  const input = await screen.findByRole('combobox')
  fireEvent.change(input, { target: { value: search } })
  return input
}

describe('Command palette: fleet', () => {
  it('opens a droplet by name from the cached list', async () => {
    const { fake } = setup()
    await screen.findByText('odoo-erp-prod')
    const listCalls = fake.calls.filter((c) => c.method === 'droplets.list').length
    await openPalette('odoo')
    fireEvent.click(await screen.findByRole('option', { name: 'Open droplet odoo-erp-prod' }))
    await waitFor(() => expect(window.location.hash).toBe('#/droplets/3164444'))
    expect(await screen.findByRole('complementary', { name: 'odoo-erp-prod' })).toBeTruthy()
    // The palette reads the cache; it never lists droplets itself.
    expect(fake.calls.filter((c) => c.method === 'droplets.list').length).toBe(listCalls)
  })

  it('refreshes droplets, shows activity with the audit log, and goes to a DNS zone', async () => {
    const { fake } = setup()
    await screen.findByText('odoo-erp-prod')
    await openPalette('Refresh droplets')
    fireEvent.click(await screen.findByRole('option', { name: 'Refresh droplets' }))
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'droplets.list' && (c.params as { refresh?: boolean })?.refresh === true)).toBe(true))

    await openPalette('Show activity')
    fireEvent.click(await screen.findByRole('option', { name: 'Show activity' }))
    const drawer = await screen.findByRole('dialog', { name: 'Activity' })
    expect(await screen.findByText('droplet.snapshot')).toBeTruthy()
    expect(drawer.textContent).toContain('req-1')
    fireEvent.keyDown(drawer, { key: 'Escape' })
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())

    // Zones are listed once the DNS view has cached them.
    fireEvent.keyDown(window, { key: '2', code: 'Digit2', altKey: true })
    await screen.findByRole('navigation', { name: 'Zones' })
    fireEvent.keyDown(window, { key: '1', code: 'Digit1', altKey: true })
    await openPalette('insightpulse')
    fireEvent.click(await screen.findByRole('option', { name: 'Go to DNS zone insightpulseai.net' }))
    await waitFor(() => expect(window.location.hash).toBe(`#/dns/cloudflare/${cfZone.id}`))
  })

  it('shows snapshots and firewalls', async () => {
    setup()
    await screen.findByText('odoo-erp-prod')
    await openPalette('Show snapshots')
    fireEvent.click(await screen.findByRole('option', { name: 'Show snapshots' }))
    const snapshots = await screen.findByRole('dialog', { name: 'Snapshots' })
    expect(await within(snapshots).findByText('odoo-erp-prod-20251120-0830')).toBeTruthy()
    fireEvent.keyDown(snapshots, { key: 'Escape' })
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())

    await openPalette('Show firewalls')
    fireEvent.click(await screen.findByRole('option', { name: 'Show firewalls' }))
    const firewalls = await screen.findByRole('dialog', { name: 'Firewalls' })
    expect(await within(firewalls).findByText('prod-web')).toBeTruthy()
  })
})
