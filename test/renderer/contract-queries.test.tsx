// @vitest-environment jsdom
import './setup-dom'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Result } from '../../src/shared/contract'
import { ApiProvider } from '../../src/renderer/src/rpc/api-context'
import { contractKey, useContractMutation, useContractQuery } from '../../src/renderer/src/rpc/contract-queries'
import { sshKeys } from '../../src/renderer/src/ssh/ssh-queries'
import { createFakeApi } from './fake-api'

type Tunnel = Result<'tunnels.list'>[number]
const tunnel = (id: string, localPort: number): Tunnel => ({ id, hostId: 'web-1', localPort, remoteHost: 'localhost', remotePort: 5432, state: 'up', connections: 0, bytesIn: 0, bytesOut: 0, startOnLaunch: false })

function Tunnels() {
  const list = useContractQuery('tunnels.list')
  const stop = useContractMutation('tunnels.stop')
  return (
    <div>
      <p>{list.data ? `${list.data.length} tunnels` : 'loading'}</p>
      {list.data?.map((t) => (
        <button key={t.id} type="button" onClick={() => stop.mutate({ id: t.id })}>
          Stop {t.localPort}
        </button>
      ))}
    </div>
  )
}

describe('the data layer keyed by method', () => {
  it('keys a read by its method name, the key events already update', () => {
    expect(contractKey('hosts.list')).toEqual(sshKeys.hosts)
    expect(contractKey('tunnels.list')).toEqual(sshKeys.tunnels)
    expect(contractKey('containers.list', { hostId: 'web-1' })).toEqual(['containers.list', { hostId: 'web-1' }])
  })

  it('refetches the reads a write makes stale (method-options.ts), with no invalidation at the call site', async () => {
    let tunnels = [tunnel('t1', 15432), tunnel('t2', 15433)]
    const fake = createFakeApi({
      handlers: {
        'tunnels.list': () => tunnels,
        'tunnels.stop': ({ id }) => {
          tunnels = tunnels.filter((t) => t.id !== id)
          return { stopped: true as const }
        }
      }
    })
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
    render(
      <ApiProvider api={fake.api}>
        <QueryClientProvider client={client}>
          <Tunnels />
        </QueryClientProvider>
      </ApiProvider>
    )
    expect(await screen.findByText('2 tunnels')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Stop 15432' }))
    expect(await screen.findByText('1 tunnels')).toBeTruthy()
    await waitFor(() => expect(fake.calls.map((c) => c.method)).toEqual(['tunnels.list', 'tunnels.stop', 'tunnels.list']))
    expect(fake.calls[1].params).toEqual({ id: 't1' })
  })
})
