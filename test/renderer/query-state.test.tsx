// @vitest-environment jsdom
import './setup-dom'
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query'
import { fireEvent, render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { DropdeckError } from '../../src/shared/errors'
import { QueryState } from '../../src/renderer/src/ui/QueryState'

/** A list that fails while `answers` says so, through a real react-query client. */
function Tunnels({ answers }: { answers: Array<string[] | Error> }) {
  const query = useQuery({ queryKey: ['list'], queryFn: async () => {
    const next = answers.shift()!
    if (next instanceof Error) throw next
    return next
  } })
  return (
    <QueryState query={query} layout="view" loading="Loading tunnels…" failed="Tunnels could not be loaded" isEmpty={(l) => l.length === 0} empty={<p>No tunnels running</p>}>
      {(list) => <ul>{list.map((t) => <li key={t}>{t}</li>)}</ul>}
    </QueryState>
  )
}

function renderWith(answers: Array<string[] | Error>) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  return render(<QueryClientProvider client={client}><Tunnels answers={answers} /></QueryClientProvider>)
}

describe('QueryState', () => {
  it('says what is loading, then shows the data', async () => {
    renderWith([['8080 → web-1:80']])
    expect(screen.getByRole('status').textContent).toBe('Loading tunnels…')
    expect(await screen.findByText('8080 → web-1:80')).toBeTruthy()
  })

  it('shows the failure in the operator’s words with a Retry that asks again', async () => {
    renderWith([new DropdeckError('UPSTREAM', 'web-1 dropped the connection.', { retryable: true }), ['8080 → web-1:80']])
    expect(await screen.findByText('Tunnels could not be loaded')).toBeTruthy()
    expect(screen.getByText('web-1 dropped the connection.')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }))
    expect(await screen.findByText('8080 → web-1:80')).toBeTruthy()
  })

  it('shows the empty state when the data has nothing', async () => {
    renderWith([[]])
    expect(await screen.findByText('No tunnels running')).toBeTruthy()
  })
})
