// @vitest-environment jsdom
/**
 * A container's Inspect tab on the data layer: a masked value is asked for by name only when the
 * operator shows it (containers.revealEnv), kept in the panel, and forgotten when hidden.
 */
import './setup-dom'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Result } from '../../src/shared/contract'
import { renderApp } from './render-app'

type Host = Result<'hosts.list'>[number]
type Container = Result<'containers.list'>[number]
type Inspect = Result<'containers.inspect'>

const host: Host = { id: 'web-1', name: 'web-1', hostname: '10.0.0.5', port: 22, user: 'root', source: 'ssh-config', identityFiles: [], localForwards: [], state: 'connected' }
const worker: Container = { id: 'a', name: 'odoo-worker-1', image: 'odoo:18', state: 'running', health: null, exitCode: null, ports: [], createdAt: '2026-01-01T00:00:00Z', startedAt: '2026-01-01T00:00:01Z', finishedAt: null, project: 'odoo' }
const inspect: Inspect = {
  id: 'a', name: 'odoo-worker-1', image: 'odoo:18', command: ['odoo'], workingDir: '', user: '', mounts: [], ports: [], networks: [], networkMode: 'bridge', labels: {},
  restartPolicy: { name: 'unless-stopped', maximumRetries: 0 }, restartCount: 0, oomKilled: false, error: '',
  env: [
    { name: 'ODOO_DB_PASSWORD', value: '', secret: true },
    { name: 'ODOO_WORKERS', value: '4', secret: false }
  ]
}

describe('Containers: Inspect', () => {
  it('shows a masked value only when asked, by name, and forgets it when hidden', async () => {
    const { fake } = renderApp(
      {
        handlers: {
          'hosts.list': () => [host],
          'containers.list': () => [worker],
          'containers.inspect': () => inspect,
          'containers.stats': () => ({ cpuPercent: 1, memoryBytes: 1024, memoryLimitBytes: 4096, at: '2026-01-01T00:00:02Z' }),
          'containers.revealEnv': ({ name }: { name: string }) => ({ name, value: name === 'ODOO_DB_PASSWORD' ? 'correct-horse' : '' })
        } as never
      },
      '#/containers'
    )
    fireEvent.click(await screen.findByRole('button', { name: 'Show details of odoo-worker-1' }))
    fireEvent.click(await screen.findByRole('tab', { name: 'Inspect' }))
    const env = await screen.findByRole('table', { name: 'Environment of odoo-worker-1' })
    expect(env.textContent).not.toContain('correct-horse')
    expect(fake.calls.some((c) => c.method === 'containers.revealEnv')).toBe(false)

    fireEvent.click(within(env).getByRole('button', { name: 'Show ODOO_DB_PASSWORD' }))
    await waitFor(() => expect(env.textContent).toContain('correct-horse'))
    expect(fake.calls.filter((c) => c.method === 'containers.revealEnv').map((c) => c.params)).toEqual([{ hostId: 'web-1', id: 'a', name: 'ODOO_DB_PASSWORD' }])

    fireEvent.click(within(env).getByRole('button', { name: 'Hide ODOO_DB_PASSWORD' }))
    expect(env.textContent).not.toContain('correct-horse')
  })
})
