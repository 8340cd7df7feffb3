/**
 * Provider APIs never redirect. A redirect is refused, not followed, so a token is never carried on to
 * another address, whichever fetch runs: Electron's net.fetch and undici then behave the same.
 */
export function refuseRedirects(fetchImpl: typeof fetch): typeof fetch {
  return (input, init) => fetchImpl(input, { ...init, redirect: 'error' })
}
