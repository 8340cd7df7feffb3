// @vitest-environment jsdom
// The deploy dialog against the real contract router (fake transport): an image in the team's DigitalOcean
// registry offers the registry's tags newest first with dates and sizes; a droplet host without the
// managed tag answers with the lock's refusal, and "Unlock for this action" resends with unlock once.
import './setup-dom'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Params, Result } from '../../src/shared/contract'
import { DropdeckError } from '../../src/shared/errors'
import { renderApp } from './render-app'

type Host = Result<'hosts.list'>[number]
type Service = Result<'deploys.services'>['services'][number]

const host: Host = { id: 'web-droplet', name: 'web-droplet', hostname: '203.0.113.5', port: 22, user: 'root', source: 'droplet', identityFiles: [], localForwards: [], state: 'connected' }
const IMAGE = 'registry.digitalocean.com/acme/web'
const service: Service = {
  id: 'container:web',
  kind: 'container',
  project: null,
  name: 'web',
  image: IMAGE,
  running: { tag: 'v1', containerId: 'abc', containerName: 'web', health: 'healthy' },
  retained: [{ tag: 'v1', createdAt: '2026-01-01T00:00:00Z', imageId: 'sha256:1', size: 1000 }],
  switchMode: 'gapless',
  gapReason: null,
  compose: null,
  lock: null,
  lastDeploy: null
}

describe('the deploy dialog', () => {
  it('offers the DigitalOcean registry tags newest first, and unlocks a read-only droplet for this deploy only', async () => {
    const starts: Array<Params<'deploys.start'>> = []
    renderApp(
      {
        handlers: {
          'hosts.list': () => [host],
          'deploys.services': () => ({ services: [service], compose: null }),
          'deploys.active': () => [],
          'deploys.tags': () => ({
            source: 'docr',
            image: IMAGE,
            registry: 'acme',
            tags: [
              { tag: 'v3', updatedAt: '2026-02-01T00:00:00Z', sizeBytes: 9_000_000, compressedSizeBytes: 4_200_000, digest: 'sha256:3' },
              { tag: 'v2', updatedAt: '2026-01-15T00:00:00Z', sizeBytes: 8_000_000, compressedSizeBytes: 3_900_000, digest: 'sha256:2' },
              { tag: 'v1', updatedAt: '2026-01-01T00:00:00Z', sizeBytes: 8_000_000, compressedSizeBytes: 3_800_000, digest: 'sha256:1' }
            ]
          }),
          'deploys.start': (params) => {
            starts.push(params)
            if (!params.unlock) throw new DropdeckError('CONFIRMATION_REQUIRED', 'droplet web-droplet is read-only: it has no tag deployed-via-api. Unlock it for this action.', { data: { readOnly: true, tag: 'deployed-via-api', expected: 'web-droplet' } })
            return { deployId: '0123456789abcdef' }
          }
        }
      },
      '#/deploys'
    )
    fireEvent.click(await screen.findByRole('button', { name: /^Deploy$/ }))
    const dialog = await screen.findByRole('dialog', { name: 'Deploy web' })
    const group = await within(dialog).findByRole('group', { name: 'Tags in the registry acme' })
    // Newest first, the running v1 left out, each with its size.
    expect(within(group).getAllByRole('button').map((b) => b.textContent)).toEqual([expect.stringMatching(/^v3 .*4\.2 MB$/), expect.stringMatching(/^v2 .*3\.9 MB$/)])
    fireEvent.click(within(group).getByRole('button', { name: /^v3/ }))
    expect(within(dialog).getByText(/Pulled first from the DigitalOcean registry acme/)).toBeTruthy()
    fireEvent.click(within(dialog).getByRole('button', { name: 'Deploy v3' }))
    expect(await within(dialog).findByText('Read-only droplet')).toBeTruthy()
    expect(within(dialog).getByText(/has no tag deployed-via-api/)).toBeTruthy()
    fireEvent.click(within(dialog).getByRole('button', { name: 'Unlock for this action' }))
    await waitFor(() => expect(starts).toEqual([
      { hostId: 'web-droplet', serviceId: 'container:web', tag: 'v3' },
      { hostId: 'web-droplet', serviceId: 'container:web', tag: 'v3', unlock: true }
    ]))
  })
})
