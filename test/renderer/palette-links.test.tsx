// @vitest-environment jsdom
import './setup-dom'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { stubTableViewport } from './layout-stub'
import { cfZone, makeDetail, makeRecord, seedDroplets } from './provider-fixtures'
import { renderApp } from './render-app'
import type { Result } from '../../src/shared/contract'

stubTableViewport()

type Host = Result<'hosts.list'>[number]
type Container = Result<'containers.list'>[number]
type Tunnel = Result<'tunnels.list'>[number]
type DnsRecord = Result<'dns.records.list'>[number]

const host = (id: string): Host => ({ id, name: id, hostname: '10.0.0.5', port: 22, user: 'root', source: 'droplet', identityFiles: [], localForwards: [], state: 'connected' })
const container = (over: Partial<Container>): Container => ({ id: 'c1', name: 'c1', image: 'odoo:18', state: 'running', health: null, exitCode: null, ports: [], createdAt: '2026-01-01T00:00:00Z', startedAt: '2026-01-01T00:00:01Z', finishedAt: null, project: 'odoo', ...over })
const tunnel: Tunnel = { id: 't1', hostId: 'odoo-erp-prod', localPort: 18069, remoteHost: 'localhost', remotePort: 8069, state: 'up', connections: 0, bytesIn: 0, bytesOut: 0, startOnLaunch: false }
const record: DnsRecord = makeRecord({ id: '372e67954025e0ba6aaa6d586b9e0b5d', type: 'A', name: 'erp.insightpulseai.net', content: '188.166.237.231' })

/** Hosts, their containers, tunnels and a zone's records all cached, as after a first look at each area. */
async function populatedFleet() {
  const actions: string[] = []
  const view = renderApp(
    {
      tokens: { digitalocean: true, cloudflare: true },
      handlers: {
        'droplets.list': () => seedDroplets,
        'droplets.get': ({ id }) => makeDetail(seedDroplets.find((d) => d.id === id)!),
        'dns.zones.list': () => ({ items: [cfZone], errors: [] }),
        'dns.records.list': () => [record],
        'dns.missing': () => [],
        'hosts.list': () => [host('odoo-erp-prod'), host('ocr-service-droplet')],
        'tunnels.list': () => [tunnel],
        'tunnels.presets': () => [],
        'containers.list': ({ hostId }) => (hostId === 'odoo-erp-prod' ? [container({ id: 'a', name: 'odoo-odoo-1' }), container({ id: 'b', name: 'odoo-db-1', image: 'postgres:16' })] : []),
        'containers.action': ({ id, action }) => {
          actions.push(`${action}:${id}`)
          return container({ id, name: 'odoo-odoo-1' })
        }
      }
    },
    '#/tunnels'
  )
  await waitFor(() => expect(view.queryClient.getQueryData(['tunnels.list'])).toBeTruthy())
  window.location.hash = '#/containers'
  await screen.findByText('odoo-odoo-1')
  window.location.hash = `#/dns/cloudflare/${cfZone.id}`
  await waitFor(() => expect(view.queryClient.getQueriesData({ queryKey: ['dns.records.list'] }).some(([, data]) => Array.isArray(data) && data.length > 0)).toBe(true))
  window.location.hash = '#/droplets'
  await screen.findByText('odoo-erp-prod')
  return { ...view, actions }
}

const optionNames = () => screen.getAllByRole('option').map((option) => option.textContent)

async function openPalette(search: string) {
  fireEvent.keyDown(window, { key: 'k', code: 'KeyK', ctrlKey: true })
  const input = await screen.findByRole('combobox')
  fireEvent.change(input, { target: { value: search } })
  return input
}

describe('Command palette: links into the fleet', () => {
  it('"ssh odoo" opens a terminal on the host named odoo-erp-prod', async () => {
    const { fake } = await populatedFleet()
    const input = await openPalette('ssh odoo')
    await waitFor(() => expect(optionNames()[0]).toBe('ssh odoo-erp-prod'))
    fireEvent.keyDown(input, { key: 'Enter' })
    await waitFor(() => expect(window.location.hash).toBe('#/terminals'))
    await waitFor(() => expect(fake.calls.some((c) => c.method.startsWith('terminals.open') && (c.params as { hostId?: string }).hostId === 'odoo-erp-prod')).toBe(true))
  })

  it('"logs odoo-odoo-1" follows that container in Logs', async () => {
    const { fake } = await populatedFleet()
    const input = await openPalette('logs odoo-odoo-1')
    await waitFor(() => expect(optionNames()[0]).toBe('logs odoo-odoo-1 on odoo-erp-prod'))
    fireEvent.keyDown(input, { key: 'Enter' })
    await waitFor(() => expect(window.location.hash).toBe('#/logs'))
    await waitFor(() => expect(fake.calls.some((c) => c.method.startsWith('logs.') && JSON.stringify(c.params).includes('odoo-odoo-1'))).toBe(true))
  })

  it('"restart odoo-odoo-1" asks first; Cancel restarts nothing, the confirm restarts it', async () => {
    const { actions } = await populatedFleet()
    let input = await openPalette('restart odoo-odoo-1')
    await waitFor(() => expect(optionNames()[0]).toBe('restart odoo-odoo-1 on odoo-erp-prod'))
    fireEvent.keyDown(input, { key: 'Enter' })
    let dialog = await screen.findByRole('dialog', { name: 'Restart odoo-odoo-1' })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(actions).toEqual([])

    input = await openPalette('restart odoo-odoo-1')
    await waitFor(() => expect(optionNames()[0]).toBe('restart odoo-odoo-1 on odoo-erp-prod'))
    fireEvent.keyDown(input, { key: 'Enter' })
    dialog = await screen.findByRole('dialog', { name: 'Restart odoo-odoo-1' })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Restart container' }))
    await waitFor(() => expect(actions).toEqual(['restart:a']))
    expect(window.location.hash).toBe('#/containers')
  })

  it('finds tunnels and DNS records by what they point at', async () => {
    await populatedFleet()
    const input = await openPalette('18069')
    await waitFor(() => expect(optionNames()[0]).toBe('tunnel localhost:18069 → localhost:8069 on odoo-erp-prod (up)'))
    fireEvent.change(input, { target: { value: 'erp.insightpulseai' } })
    await waitFor(() => expect(optionNames()).toContain('A erp.insightpulseai.net → 188.166.237.231'))
    fireEvent.click(screen.getByRole('option', { name: 'A erp.insightpulseai.net → 188.166.237.231' }))
    await waitFor(() => expect(window.location.hash).toBe(`#/dns/cloudflare/${cfZone.id}`))
  })
})

describe('Links from a host or a droplet to the other areas', () => {
  it('a connected host row opens a terminal on it and links to its containers, health, deploys and a new tunnel', async () => {
    const { fake } = renderApp({ handlers: { 'hosts.list': () => [host('odoo-erp-prod'), { ...host('idle-1'), state: 'idle' }], 'tunnels.list': () => [] } }, '#/hosts')
    const links = await screen.findByRole('group', { name: 'Open odoo-erp-prod in' })
    expect(screen.queryByRole('group', { name: 'Open idle-1 in' })).toBeNull()
    expect(within(links).getByRole('link', { name: 'Containers on odoo-erp-prod' }).getAttribute('href')).toBe('#/containers?host=odoo-erp-prod')
    expect(within(links).getByRole('link', { name: 'Health of odoo-erp-prod' }).getAttribute('href')).toBe('#/health?host=odoo-erp-prod')
    expect(within(links).getByRole('link', { name: 'Deploys on odoo-erp-prod' }).getAttribute('href')).toBe('#/deploys/odoo-erp-prod')
    expect(within(links).getByRole('link', { name: 'Tunnel to odoo-erp-prod' }).getAttribute('href')).toBe('#/tunnels/new?host=odoo-erp-prod')
    fireEvent.click(within(links).getByRole('button', { name: 'Terminal on odoo-erp-prod' }))
    await waitFor(() => expect(window.location.hash).toBe('#/terminals'))
    await waitFor(() => expect(fake.calls.some((c) => c.method.startsWith('terminals.open') && (c.params as { hostId?: string }).hostId === 'odoo-erp-prod')).toBe(true))
  })

  it("a droplet that is also a host links to that host's terminal and deploys from its details", async () => {
    renderApp({
      tokens: { digitalocean: true },
      handlers: {
        'droplets.list': () => seedDroplets,
        'droplets.get': ({ id }) => makeDetail(seedDroplets.find((d) => d.id === id)!),
        'hosts.list': () => [host('odoo-erp-prod')]
      }
    })
    window.location.hash = '#/droplets/3164444'
    const panel = await screen.findByRole('complementary', { name: 'odoo-erp-prod' })
    const links = await within(panel).findByRole('group', { name: 'Open odoo-erp-prod in' })
    expect(within(links).getByRole('link', { name: 'Deploys on odoo-erp-prod' }).getAttribute('href')).toBe('#/deploys/odoo-erp-prod')
    expect(within(links).getByRole('button', { name: 'Terminal on odoo-erp-prod' })).toBeTruthy()
  })
})
