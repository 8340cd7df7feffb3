// @vitest-environment jsdom
import './setup-dom'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderApp } from './render-app'
import type { Result } from '../../src/shared/contract'

type Host = Result<'hosts.list'>[number]

const host = (inUse: number): Host => ({ id: 'web-1', name: 'web-1', hostname: '10.0.0.5', port: 22, user: 'root', source: 'ssh-config', identityFiles: [], localForwards: [], state: 'connected', inUse })

describe('Hosts: Disconnect', () => {
  it('asks when tunnels started after the list was read use the host (the cached list said nothing did)', async () => {
    let inUse = 0
    const disconnected: string[] = []
    renderApp(
      {
        handlers: {
          'hosts.list': () => [host(inUse)],
          'tunnels.list': () => [],
          'hosts.disconnect': ({ hostId }) => ((disconnected.push(hostId), { ...host(0), state: 'idle' }))
        }
      },
      '#/hosts'
    )
    const button = await screen.findByRole('button', { name: 'Disconnect web-1' })
    // Two tunnels start; no hosts.changed says so.
    inUse = 2
    fireEvent.click(button)
    const dialog = await screen.findByRole('dialog', { name: 'Disconnect web-1?' })
    expect(dialog.textContent).toContain('2 tunnels, terminals and log follows use this connection')
    expect(disconnected).toEqual([])
    fireEvent.click(within(dialog).getByRole('button', { name: 'Disconnect' }))
    await waitFor(() => expect(disconnected).toEqual(['web-1']))
  })
})
