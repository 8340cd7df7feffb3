// @vitest-environment jsdom
import './setup-dom'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Result } from '../../src/shared/contract'
import { renderApp } from './render-app'

type Host = Result<'hosts.list'>[number]
type Container = Result<'containers.list'>[number]

const host = (over: Partial<Host> = {}): Host => ({ id: 'web-1', name: 'web-1', hostname: '10.0.0.5', port: 22, user: 'root', source: 'ssh-config', identityFiles: [], localForwards: [], state: 'connected', ...over })
const container = (over: Partial<Container>): Container => ({ id: 'c1', name: 'c1', image: 'img:1', state: 'running', health: null, exitCode: null, ports: [], createdAt: '2026-01-01T00:00:00Z', startedAt: '2026-01-01T00:00:01Z', finishedAt: null, project: null, ...over })

describe('Containers', () => {
  it('groups containers by Compose project with state and health, and restarts one', async () => {
    const restarted: string[] = []
    const list = [
      container({ id: 'a', name: 'odoo-odoo-1', project: 'odoo', health: 'unhealthy' }),
      container({ id: 'b', name: 'odoo-ocr-adapter-1', project: 'odoo', state: 'exited', exitCode: 1 }),
      container({ id: 'c', name: 'tax-rules-service' })
    ]
    const { fake } = renderApp(
      {
        handlers: {
          'hosts.list': () => [host(), host({ id: 'idle-1', name: 'idle-1', state: 'idle' })],
          'containers.list': ({ hostId }) => (hostId === 'web-1' ? list : []),
          'containers.action': ({ id, action }) => {
            restarted.push(`${action}:${id}`)
            return list.find((c) => c.id === id)!
          }
        }
      },
      '#/containers'
    )
    const odoo = await screen.findByRole('group', { name: 'Project odoo' })
    expect(within(odoo).getByText('odoo-odoo-1')).toBeTruthy()
    expect(within(odoo).getByText('unhealthy')).toBeTruthy()
    expect(within(odoo).getByText('exited (1)')).toBeTruthy()
    expect(within(screen.getByRole('group', { name: 'No project' })).getByText('tax-rules-service')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Restart odoo-odoo-1' }))
    await waitFor(() => expect(restarted).toEqual(['restart:a']))
    // only the connected host is asked
    expect(fake.calls.filter((c) => c.method === 'containers.list').every((c) => (c.params as { hostId: string }).hostId === 'web-1')).toBe(true)
  })

  it('with several hosts connected, filters by host and by Compose project', async () => {
    const lists: Record<string, Container[]> = {
      'web-1': [container({ id: 'a', name: 'odoo-odoo-1', project: 'odoo' }), container({ id: 'b', name: 'e2i-mlflow-1', project: 'e2i' })],
      'web-2': [container({ id: 'c', name: 'odoo-worker-1', project: 'odoo' }), container({ id: 'd', name: 'tax-rules-service' })]
    }
    renderApp(
      {
        handlers: {
          'hosts.list': () => [host(), host({ id: 'web-2', name: 'web-2' })],
          'containers.list': ({ hostId }) => lists[hostId] ?? []
        }
      },
      '#/containers'
    )
    await screen.findByText('odoo-worker-1')
    await screen.findByText('e2i-mlflow-1')
    const hostFilter = screen.getByRole('combobox', { name: 'Host' }) as HTMLSelectElement
    const projectFilter = screen.getByRole('combobox', { name: 'Compose project' }) as HTMLSelectElement
    await waitFor(() => expect(Array.from(projectFilter.options).map((o) => o.textContent)).toEqual(['All projects', 'No Compose project', 'e2i', 'odoo']))

    fireEvent.change(projectFilter, { target: { value: 'odoo' } })
    await waitFor(() => expect(screen.queryByText('e2i-mlflow-1')).toBeNull())
    expect(screen.getByText('odoo-odoo-1')).toBeTruthy()
    expect(screen.getByText('odoo-worker-1')).toBeTruthy()
    expect(screen.queryByText('tax-rules-service')).toBeNull()

    fireEvent.change(hostFilter, { target: { value: 'web-2' } })
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Containers on web-1' })).toBeNull())
    expect(screen.getByText('odoo-worker-1')).toBeTruthy()
    expect(screen.queryByText('odoo-odoo-1')).toBeNull()
  })
})
