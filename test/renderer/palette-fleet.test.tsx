// @vitest-environment jsdom
import './setup-dom'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { stubTableViewport } from './layout-stub'
import { cfZone, makeDetail, makeFirewall, makeSnapshot, seedDroplets } from './provider-fixtures'
import { renderApp } from './render-app'
import type { Result } from '../../src/shared/contract'

stubTableViewport()

type Host = Result<'hosts.list'>[number]
type Preset = Result<'tunnels.presets'>[number]

// The fleet bench's hosts and tunnel presets: the seed web UIs, and LocalForwards from ~/.ssh/config.
const hosts: Host[] = ['odoo-erp-prod', 'ocr-service-droplet', 'falkordb-graph'].map((id) => ({ id, name: id, hostname: '10.0.0.5', port: 22, user: 'root', source: 'droplet', identityFiles: [], localForwards: [], state: 'connected' }))
const seedPreset = (id: string, label: string, port: number): Preset => ({ id: `seed:${id}`, label, localPort: port, remoteHost: 'localhost', remotePort: port, source: 'seed' })
const presets: Preset[] = [
  seedPreset('mlflow', 'MLflow', 5000),
  seedPreset('opik', 'Opik', 5173),
  seedPreset('grafana', 'Grafana', 3100),
  seedPreset('prometheus', 'Prometheus', 9091),
  seedPreset('supabase-studio', 'Supabase Studio', 3001),
  seedPreset('falkordb-browser', 'FalkorDB Browser', 3030),
  seedPreset('falkordb', 'FalkorDB (Redis protocol)', 6381),
  seedPreset('redis', 'Redis', 6382),
  { id: 'odoo-erp-prod:L8069', label: 'localhost:8069 on odoo-erp-prod', hostId: 'odoo-erp-prod', localPort: 8069, remoteHost: 'localhost', remotePort: 8069, source: 'ssh-config' },
  { id: 'falkordb-graph:L3030', label: 'FalkorDB Browser on falkordb-graph', hostId: 'falkordb-graph', localPort: 3031, remoteHost: 'localhost', remotePort: 3030, source: 'ssh-config' }
]

/** Droplets, zones, hosts and tunnel presets all cached, as after a first look at each area. */
async function populatedFleet() {
  const view = renderApp(
    {
      tokens: { digitalocean: true, cloudflare: true },
      handlers: {
        'droplets.list': () => seedDroplets,
        'droplets.get': ({ id }) => makeDetail(seedDroplets.find((d) => d.id === id)!),
        'dns.zones.list': () => ({ items: [cfZone], errors: [] }),
        'dns.records.list': () => [],
        'dns.missing': () => [],
        'hosts.list': () => hosts,
        'tunnels.list': () => [],
        'tunnels.presets': () => presets
      }
    },
    '#/tunnels'
  )
  await screen.findByText('FalkorDB Browser on falkordb-graph')
  window.location.hash = '#/droplets'
  await screen.findByText('odoo-erp-prod')
  return view
}

const optionNames = () => screen.getAllByRole('option').map((option) => option.getAttribute('aria-label') ?? option.textContent)

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

  it('with a populated fleet, ranks exact and prefix matches of the title first: "dark" then Enter switches the theme', async () => {
    const { fake } = await populatedFleet()
    const input = await openPalette('dark')
    await waitFor(() => expect(optionNames()[0]).toBe('Switch to dark theme'))
    expect(optionNames().some((name) => /falkordb/i.test(name ?? ''))).toBe(false)
    fireEvent.keyDown(input, { key: 'Enter' })
    await waitFor(() => expect(fake.settings.theme).toBe('dark'))
  })

  it('"odoo": the droplet named odoo-erp-prod first, then what merely mentions it', async () => {
    await populatedFleet()
    const input = await openPalette('odoo')
    await waitFor(() => expect(optionNames()[0]).toBe('Open droplet odoo-erp-prod'))
    expect(optionNames()).toContain('Start tunnel: localhost:8069 on odoo-erp-prod (odoo-erp-prod)')
    fireEvent.keyDown(input, { key: 'Enter' })
    await waitFor(() => expect(window.location.hash).toBe('#/droplets/3164444'))
  })

  it('"restart": only commands that say restart (none here), not every fuzzy match', async () => {
    await populatedFleet()
    await openPalette('restart')
    expect(await screen.findByText('No matching commands.')).toBeTruthy()
    expect(screen.queryAllByRole('option')).toEqual([])
  })

  it('"grafana": the preset titled Grafana first; "falkordb browser": both presets of that name, the seed one first', async () => {
    await populatedFleet()
    const input = await openPalette('grafana')
    await waitFor(() => expect(optionNames()[0]).toBe('Start tunnel: Grafana'))
    fireEvent.change(input, { target: { value: 'falkordb browser' } })
    await waitFor(() => expect(optionNames()).toEqual(['Start tunnel: FalkorDB Browser', 'Start tunnel: FalkorDB Browser on falkordb-graph (falkordb-graph)']))
  })
})
