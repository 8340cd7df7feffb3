// @vitest-environment jsdom
import './setup-dom'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Result } from '../../src/shared/contract'
import { DropdeckError } from '../../src/shared/errors'
import { renderApp } from './render-app'

type Host = Result<'hosts.list'>[number]
type Tunnel = Result<'tunnels.list'>[number]

const FP = 'SHA256:' + 'A'.repeat(43)
const host = (over: Partial<Host> = {}): Host => ({ id: 'web-1', name: 'web-1', hostname: '10.0.0.5', port: 22, user: 'root', source: 'ssh-config', identityFiles: [], localForwards: [], state: 'idle', ...over })
const tunnel = (over: Partial<Tunnel> = {}): Tunnel => ({ id: 't1', hostId: 'web-1', localPort: 5000, remoteHost: 'localhost', remotePort: 5000, state: 'connecting', connections: 0, bytesIn: 0, bytesOut: 0, startOnLaunch: false, ...over })

describe('Hosts', () => {
  it('asks to trust an unknown host key by its fingerprint, then trusts and connects', async () => {
    let trusted = false
    const { fake } = renderApp(
      {
        handlers: {
          'hosts.list': () => [host()],
          'hosts.connect': () => {
            if (!trusted) throw new DropdeckError('HOST_KEY_UNKNOWN', 'unknown key', { data: { hostId: 'web-1', fingerprint: FP, keyType: 'ssh-ed25519' } })
            return host({ state: 'connected' })
          },
          'hosts.trustKey': ({ fingerprint }) => {
            expect(fingerprint).toBe(FP)
            trusted = true
            return { trusted: true as const }
          }
        }
      },
      '#/hosts'
    )
    fireEvent.click(await screen.findByRole('button', { name: 'Connect web-1' }))
    const dialog = await screen.findByRole('dialog')
    expect(within(dialog).getByText(FP)).toBeTruthy()
    fireEvent.click(within(dialog).getByRole('button', { name: 'Trust and connect' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    const methods = fake.calls.map((c) => c.method).filter((m) => m.startsWith('hosts.') && m !== 'hosts.list')
    expect(methods).toEqual(['hosts.connect', 'hosts.trustKey', 'hosts.connect'])
  })

  it('warns when the host presents a key of another type than the one on record, and still trusts by fingerprint', async () => {
    let trusted = false
    renderApp(
      {
        handlers: {
          'hosts.list': () => [host()],
          'hosts.connect': () => {
            if (!trusted) throw new DropdeckError('HOST_KEY_UNKNOWN', 'WARNING: other type', { data: { hostId: 'web-1', fingerprint: FP, keyType: 'ssh-ed25519', knownTypes: ['ssh-rsa'] } })
            return host({ state: 'connected' })
          },
          'hosts.trustKey': () => ((trusted = true), { trusted: true as const })
        }
      },
      '#/hosts'
    )
    fireEvent.click(await screen.findByRole('button', { name: 'Connect web-1' }))
    const dialog = await screen.findByRole('dialog')
    expect(within(dialog).getByRole('alert').textContent).toContain('Only a ssh-rsa key is on record for this host')
    expect(within(dialog).queryByText(/has not seen this host/)).toBeNull()
    fireEvent.click(within(dialog).getByRole('button', { name: 'Trust and connect' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
  })

  it('warns of a changed host key and offers no way to accept it', async () => {
    renderApp(
      {
        handlers: {
          'hosts.list': () => [host()],
          'hosts.connect': () => {
            throw new DropdeckError('HOST_KEY_MISMATCH', 'changed', { data: { hostId: 'web-1', fingerprint: FP, file: '/home/op/.ssh/known_hosts', line: 7 } })
          }
        }
      },
      '#/hosts'
    )
    fireEvent.click(await screen.findByRole('button', { name: 'Connect web-1' }))
    const dialog = await screen.findByRole('alertdialog')
    expect(within(dialog).getByText(/host key of web-1 has changed/)).toBeTruthy()
    expect(within(dialog).getByText('/home/op/.ssh/known_hosts:7')).toBeTruthy()
    expect(within(dialog).queryByRole('button', { name: /trust|accept/i })).toBeNull()
  })

  it('shows the empty state when there are no hosts', async () => {
    renderApp({ handlers: { 'hosts.list': () => [] } }, '#/hosts')
    expect(await screen.findByText(/Hosts come from ~\/.ssh\/config \(DROPDECK_SSH_CONFIG\), droplets, or Add host/)).toBeTruthy()
  })

  it('Disconnect asks first when tunnels, terminals or log follows use the host, and not otherwise', async () => {
    const disconnected: string[] = []
    const { fake } = renderApp(
      {
        handlers: {
          'hosts.list': () => [host({ state: 'connected', inUse: 3 }), host({ id: 'idle-1', name: 'idle-1', state: 'connected', inUse: 0 })],
          'hosts.disconnect': ({ hostId }) => ((disconnected.push(hostId), host({ id: hostId, state: 'idle' })))
        }
      },
      '#/hosts'
    )
    fireEvent.click(await screen.findByRole('button', { name: 'Disconnect web-1' }))
    const dialog = await screen.findByRole('dialog', { name: 'Disconnect web-1?' })
    expect(dialog.textContent).toContain('3 tunnels, terminals and log follows use this connection')
    expect(dialog.textContent).toContain('stays disconnected until you connect it again')
    expect(disconnected).toEqual([])
    fireEvent.click(within(dialog).getByRole('button', { name: 'Disconnect' }))
    await waitFor(() => expect(disconnected).toEqual(['web-1']))

    fireEvent.click(screen.getByRole('button', { name: 'Disconnect idle-1' }))
    await waitFor(() => expect(disconnected).toEqual(['web-1', 'idle-1']))
    expect(fake.calls.filter((c) => c.method === 'hosts.disconnect')).toHaveLength(2)
  })

  it('a host that keeps failing shows the attempt and the next try; one the pool gave up on offers Retry', async () => {
    const soon = new Date(Date.now() + 4000).toISOString()
    renderApp(
      {
        handlers: {
          'hosts.list': () => [
            host({ state: 'connecting', error: { code: 'UPSTREAM', message: 'Cannot reach web-1 (10.0.0.5:22): connect ECONNREFUSED.' }, retry: { attempt: 3, nextAt: soon, gaveUp: false } }),
            host({ id: 'gone-1', name: 'gone-1', state: 'error', error: { code: 'UPSTREAM', message: 'Dropdeck stopped trying after 8 attempts in a row.' }, retry: { attempt: 8, nextAt: null, gaveUp: true } })
          ]
        }
      },
      '#/hosts'
    )
    expect(await screen.findByText(/^Attempt 3 failed · next try in [1-4] s$/)).toBeTruthy()
    expect(screen.getByText('Stopped after 8 attempts')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Retry gone-1' }).textContent).toContain('Retry')
  })
})

describe('Tunnels', () => {
  it('offers the suggested port when the local port is taken, and retries with it', async () => {
    const starts: Array<number | undefined> = []
    renderApp(
      {
        handlers: {
          'hosts.list': () => [host()],
          'tunnels.list': () => [],
          'tunnels.presets': () => [],
          'tunnels.start': (params) => {
            starts.push(params.localPort)
            if (params.localPort === 5000) throw new DropdeckError('PORT_IN_USE', 'port 5000 is in use', { data: { port: 5000, holder: { pid: 4242, command: 'python3 -m http.server' }, suggestion: 5001 } })
            return { id: 't1', localPort: params.localPort ?? 0 }
          }
        }
      },
      '#/tunnels'
    )
    const newTunnel = (await screen.findByRole('button', { name: 'New tunnel' })) as HTMLButtonElement
    await waitFor(() => expect(newTunnel.disabled).toBe(false))
    fireEvent.click(newTunnel)
    const dialog = await screen.findByRole('dialog')
    fireEvent.change(within(dialog).getByLabelText('Remote port'), { target: { value: '5000' } })
    fireEvent.change(within(dialog).getByLabelText(/Local port/), { target: { value: '5000' } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Start tunnel' }))
    expect(await within(dialog).findByText('python3 -m http.server')).toBeTruthy()
    expect(within(dialog).getByText(/pid 4242/)).toBeTruthy()
    fireEvent.click(within(dialog).getByRole('button', { name: 'Use port 5001' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(starts).toEqual([5000, 5001])
  })

  it('shows state and counters pushed by tunnels.changed', async () => {
    const { fake } = renderApp({ handlers: { 'hosts.list': () => [host()], 'tunnels.list': () => [tunnel()], 'tunnels.presets': () => [] } }, '#/tunnels')
    const table = await screen.findByRole('table', { name: 'Tunnels' })
    expect(within(table).getByText('connecting')).toBeTruthy()
    fake.emit('tunnels.changed', { tunnel: tunnel({ state: 'up', connections: 3, bytesIn: 2_500_000, bytesOut: 1200, url: 'http://localhost:5000' }) })
    await waitFor(() => expect(within(table).getByText('up')).toBeTruthy())
    const row = table.querySelector('tr[data-tunnel="t1"]') as HTMLElement
    expect(within(row).getByText('3')).toBeTruthy()
    expect(within(row).getByText('2.5 MB')).toBeTruthy()
    expect(within(row).getByText('1.2 kB')).toBeTruthy()
    expect(within(row).getByRole('button', { name: 'Open http://localhost:5000' })).toBeTruthy()
  })
})
