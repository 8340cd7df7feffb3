/** Render the whole app against a fake transport, with react-query's retries off for speed. */
import { QueryClient } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import { App } from '../../src/renderer/src/App'
import { createFakeApi, type FakeOptions } from './fake-api'

export function renderApp(options: FakeOptions = {}, hash = '#/droplets') {
  window.location.hash = hash
  const fake = createFakeApi(options)
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } })
  const view = render(<App api={fake.api} queryClient={queryClient} />)
  return { ...view, fake, queryClient }
}
