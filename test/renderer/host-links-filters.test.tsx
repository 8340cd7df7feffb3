// @vitest-environment jsdom
import './setup-dom'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Result } from '../../src/shared/contract'
import { renderApp } from './render-app'

type Host = Result<'hosts.list'>[number]
type Container = Result<'containers.list'>[number]
type Tunnel = Result<'tunnels.list'>[number]

const host = (id: string, over: Partial<Host> = {}): Host => ({ id, name: id, hostname: '10.0.0.5', port: 22, user: 'root', source: 'droplet', identityFiles: [], localForwards: [], state: 'connected', ...over })
const container = (over: Partial<Container>): Container => ({ id: 'c1', name: 'c1', image: 'odoo:18', state: 'running', health: null, exitCode: null, ports: [], createdAt: '2026-01-01T00:00:00Z', startedAt: '2026-01-01T00:00:01Z', finishedAt: null, project: 'odoo', ...over })

// Two connected hosts; the second (not the default pick of any list) is the one every link names.
const containersOf: Record<string, Container[]> = {
  'alpha-1': [container({ id: 'x', name: 'alpha-web-1', ports: ['0.0.0.0:80->80/tcp'] })],
  'odoo-erp-prod': [
    container({ id: 'a', name: 'odoo-odoo-1', ports: ['127.0.0.1:8069->8069/tcp', '8072/tcp'] }),
    container({ id: 'b', name: 'odoo-db-1', image: 'postgres:16', ports: ['5432/tcp'] }),
    container({ id: 'c', name: 'odoo-mlflow-1', ports: ['0.0.0.0:5000->5000/tcp', '[::]:5000->5000/tcp', '0.0.0.0:53->53/udp'] })
  ]
}

function fleet(hash: string) {
  const started: unknown[] = []
  const view = renderApp(
    {
      handlers: {
        'hosts.list': () => [host('alpha-1'), host('odoo-erp-prod'), host('zeta-idle', { state: 'idle' })],
        'containers.list': ({ hostId }) => containersOf[hostId] ?? [],
        'tunnels.list': () => [],
        'tunnels.presets': () => [],
        'tunnels.start': (params) => {
          started.push(params)
          const t: Tunnel = { id: 't9', hostId: params.hostId, localPort: params.localPort ?? params.remotePort, remoteHost: params.remoteHost, remotePort: params.remotePort, state: 'up', connections: 0, bytesIn: 0, bytesOut: 0, startOnLaunch: false }
          return t
        },
        'units.list': () => [],
        'units.picked': () => ({ units: [] }),
        'metrics.host': ({ hostId, range }) => ({ hostId, range, stepSeconds: 15, points: [] }),
        'alerts.list': () => [],
        'checks.list': () => []
      }
    },
    hash
  )
  return { ...view, started }
}

describe('Host links carry the host into the area they open', () => {
  it("a host row's links name the host: containers and health filtered to it, New tunnel set to it", async () => {
    fleet('#/hosts')
    const links = await screen.findByRole('group', { name: 'Open odoo-erp-prod in' })
    expect(within(links).getByRole('link', { name: 'Containers on odoo-erp-prod' }).getAttribute('href')).toBe('#/containers?host=odoo-erp-prod')
    expect(within(links).getByRole('link', { name: 'Health of odoo-erp-prod' }).getAttribute('href')).toBe('#/health?host=odoo-erp-prod')
    expect(within(links).getByRole('link', { name: 'Tunnel to odoo-erp-prod' }).getAttribute('href')).toBe('#/tunnels/new?host=odoo-erp-prod')
  })

  it("the tunnel link opens New tunnel on that host with its published TCP ports to pick from", async () => {
    const { started } = fleet('#/tunnels/new?host=odoo-erp-prod')
    const dialog = await screen.findByRole('dialog', { name: 'New tunnel' })
    await waitFor(() => expect((within(dialog).getByLabelText('Host') as HTMLSelectElement).value).toBe('odoo-erp-prod'))
    const ports = await within(dialog).findByRole('group', { name: 'Ports published on odoo-erp-prod' })
    // Published TCP only (an exposed-only or UDP port is not reachable at the host's 127.0.0.1), each port once.
    expect(within(ports).getAllByRole('button').map((b) => b.textContent)).toEqual(['5000 odoo-mlflow-1', '8069 odoo-odoo-1'])
    fireEvent.click(within(ports).getByRole('button', { name: '8069 odoo-odoo-1' }))
    expect((within(dialog).getByLabelText(/Remote host/) as HTMLInputElement).value).toBe('127.0.0.1')
    expect((within(dialog).getByLabelText('Remote port') as HTMLInputElement).value).toBe('8069')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Start tunnel' }))
    await waitFor(() => expect(started).toEqual([{ hostId: 'odoo-erp-prod', remoteHost: '127.0.0.1', remotePort: 8069 }]))
  })

  it('the containers link shows only that host, and the filter writes back to the route', async () => {
    fleet('#/containers?host=odoo-erp-prod')
    await screen.findByText('odoo-odoo-1')
    expect((screen.getByRole('combobox', { name: 'Host' }) as HTMLSelectElement).value).toBe('odoo-erp-prod')
    expect(screen.queryByText('alpha-web-1')).toBeNull()
    fireEvent.change(screen.getByRole('combobox', { name: 'Host' }), { target: { value: '\u0000all' } })
    await waitFor(() => expect(window.location.hash).toBe('#/containers'))
    await screen.findByText('alpha-web-1')
  })

  it("the health link puts that host's card first", async () => {
    fleet('#/health?host=odoo-erp-prod')
    await screen.findByRole('article', { name: 'Health of odoo-erp-prod' })
    const cards = screen.getAllByRole('article').map((a) => a.getAttribute('aria-label'))
    expect(cards).toEqual(['Health of odoo-erp-prod', 'Health of alpha-1'])
  })

  it("a container's published port opens New tunnel to the host's 127.0.0.1:<port>; an exposed-only port has no link", async () => {
    fleet('#/containers?host=odoo-erp-prod')
    await screen.findByText('odoo-odoo-1')
    expect(screen.queryByRole('link', { name: /port 5432/ })).toBeNull()
    expect(screen.queryByRole('link', { name: /port 8072/ })).toBeNull()
    const link = screen.getByRole('link', { name: 'Tunnel to odoo-odoo-1 port 8069' })
    expect(link.getAttribute('href')).toBe('#/tunnels/new?host=odoo-erp-prod&port=8069')
    window.location.hash = link.getAttribute('href')!
    const dialog = await screen.findByRole('dialog', { name: 'New tunnel' })
    expect((within(dialog).getByLabelText('Host') as HTMLSelectElement).value).toBe('odoo-erp-prod')
    expect((within(dialog).getByLabelText(/Remote host/) as HTMLInputElement).value).toBe('127.0.0.1')
    expect((within(dialog).getByLabelText('Remote port') as HTMLInputElement).value).toBe('8069')
  })
})
