// @vitest-environment jsdom
// Typing a tag or a git ref in the deploy dialog, key by key: a space the operator types stays in the field
// (and makes it invalid) instead of being dropped as typed, which turned "v1 2" into the different tag
// "v12" under a "Deploy v12" button; a pasted value with blanks around it is still taken trimmed.
import './setup-dom'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Params, Result } from '../../src/shared/contract'
import { renderApp } from './render-app'

type Host = Result<'hosts.list'>[number]
type Service = Result<'deploys.services'>['services'][number]

const host: Host = { id: 'web-1', name: 'web-1', hostname: '203.0.113.5', port: 22, user: 'root', source: 'ssh-config', identityFiles: [], localForwards: [], state: 'connected' }
const service: Service = {
  id: 'compose:shop/web',
  kind: 'compose',
  project: 'shop',
  name: 'web',
  image: 'acme/web',
  running: { tag: 'v1', containerId: 'abc', containerName: 'shop_web_1', health: 'healthy' },
  retained: [{ tag: 'v1', createdAt: '2026-01-01T00:00:00Z', imageId: 'sha256:1', size: 1000 }],
  switchMode: 'stop-first',
  gapReason: 'it publishes port 80',
  compose: { workingDir: '/srv/shop', configFiles: ['docker-compose.yml'], overrideFile: '/root/.dropdeck/compose/shop.yml' },
  lock: null,
  lastDeploy: null
} as Service

/** Types `text` into `input` one key at a time, as a React-controlled field receives it. */
function typeKeys(input: HTMLInputElement, text: string): void {
  for (const ch of text) fireEvent.change(input, { target: { value: input.value + ch } })
}

describe('typing in the deploy dialog', () => {
  it('keeps a typed space in a tag and a git ref (invalid, nothing to deploy) and trims a pasted one', async () => {
    const starts: Array<Params<'deploys.start'>> = []
    renderApp(
      {
        handlers: {
          'hosts.list': () => [host],
          'deploys.services': () => ({ services: [service], compose: { command: 'docker-compose', version: '1.29.2' } }),
          'deploys.active': () => [],
          'deploys.tags': () => ({ source: 'typed', image: 'acme/web', registry: null, tags: [] }),
          'deploys.refs': () => ({ workingDir: '/srv/shop', repoDir: '/srv/shop', head: { branch: 'main', commit: 'a'.repeat(40), subject: 'x' }, dirty: [], fetched: true, fetchError: null, branches: [], tags: [], commits: [] }),
          'deploys.settings': () => ({ healthUrl: null, expectStatus: 200, healthTimeoutMs: 60_000, successes: 1, keep: 5, preDeploy: null, postDeploy: null, commandTimeoutMs: 120_000 }),
          'deploys.start': (params) => {
            starts.push(params)
            return { deployId: '0123456789abcdef' }
          }
        }
      },
      '#/deploys'
    )
    fireEvent.click(await screen.findByRole('button', { name: /^Deploy$/ }))
    const dialog = await screen.findByRole('dialog', { name: 'Deploy web' })
    fireEvent.click(within(dialog).getByLabelText('Tag to pull'))
    const tag = within(dialog).getByLabelText('Tag') as HTMLInputElement
    typeKeys(tag, 'v1 2')
    expect(tag.value).toBe('v1 2')
    expect(tag.getAttribute('aria-invalid')).toBe('true')
    expect(within(dialog).getAllByRole('alert').map((a) => a.textContent).join(' ')).toMatch(/A tag is letters, digits/)
    expect(within(dialog).queryByRole('button', { name: 'Deploy v12' })).toBeNull()
    expect((within(dialog).getByRole('button', { name: /^Deploy v1/ }) as HTMLButtonElement).disabled).toBe(true)

    fireEvent.click(within(dialog).getByLabelText('Git ref'))
    const ref = (await within(dialog).findByLabelText('Branch, tag or commit')) as HTMLInputElement
    typeKeys(ref, 'rel 1')
    expect(ref.value).toBe('rel 1')
    expect(ref.getAttribute('aria-invalid')).toBe('true')
    expect(within(dialog).getAllByRole('alert').map((a) => a.textContent).join(' ')).toMatch(/without \.\. or spaces/)
    expect(within(dialog).queryByRole('button', { name: 'Build and deploy rel1' })).toBeNull()

    fireEvent.click(within(dialog).getByLabelText('Tag to pull'))
    fireEvent.change(within(dialog).getByLabelText('Tag'), { target: { value: '  v2 ' } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Deploy v2' }))
    await waitFor(() => expect(starts).toEqual([{ hostId: 'web-1', serviceId: 'compose:shop/web', tag: 'v2' }]))
  })
})
