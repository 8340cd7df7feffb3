// @vitest-environment jsdom
// The deploy history against the real contract router (fake transport): a git deploy shows its ref and
// commit under the change with the subject on hover (a ref that is the commit itself once), and a
// deploy's warnings are a marker that opens to their text; an entry without either shows neither.
import './setup-dom'
import { fireEvent, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Result } from '../../src/shared/contract'
import { renderApp } from './render-app'

type Host = Result<'hosts.list'>[number]
type Service = Result<'deploys.services'>['services'][number]
type Entry = Result<'deploys.history'>[number]

const host: Host = { id: 'app-host', name: 'app-host', hostname: '203.0.113.9', port: 22, user: 'root', source: 'ssh-config', identityFiles: [], localForwards: [], state: 'connected' }
const B = '1a2b3c4d5e6f70819293a4b5c6d7e8f901234567'
const A = 'aaaabbbbccccddddeeeeffff0000111122223333'
const service: Service = {
  id: 'compose:app/web',
  kind: 'compose',
  project: 'app',
  name: 'web',
  image: 'app_web',
  running: { tag: `deploy_${B.slice(0, 8)}`, containerId: 'c1', containerName: 'app_web_1', health: 'healthy' },
  retained: [],
  switchMode: 'stop-first',
  gapReason: null,
  compose: null,
  lock: null,
  lastDeploy: null
}
const entry = (over: Partial<Entry>): Entry => ({
  deployId: 'd0', hostId: 'app-host', serviceId: service.id, action: 'deploy', who: 'ana', machine: 'laptop',
  fromImage: `app_web:deploy_${A.slice(0, 8)}`, toImage: `app_web:deploy_${B.slice(0, 8)}`,
  startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:01:00Z', result: 'succeeded', reason: null,
  gapMs: 120, healthOutput: [], logTail: [], ...over
})

describe('the deploy history', () => {
  it('shows a git deploy\'s ref @ commit with the subject on hover, and its warnings as a marker opening to their text', async () => {
    const warning = 'the post-deploy command exited with 4: cache warm failed; the new version stays'
    renderApp(
      {
        handlers: {
          'hosts.list': () => [host],
          'deploys.services': () => ({ services: [service], compose: null }),
          'deploys.active': () => [],
          'deploys.history': () => [
            entry({ deployId: 'd2', git: { ref: 'main', commit: B, subject: 'Faster health page' }, warnings: [warning] }),
            entry({ deployId: 'd1', fromImage: 'app_web:v1', toImage: `app_web:deploy_${A.slice(0, 8)}`, git: { ref: A, commit: A, subject: 'First' } }),
            entry({ deployId: 'd0', fromImage: 'app_web:v0', toImage: 'app_web:v1' })
          ]
        }
      },
      '#/deploys'
    )
    fireEvent.click(await screen.findByRole('button', { name: /History/ }))
    const table = await screen.findByRole('table', { name: 'History of web' })
    const rows = within(table).getAllByRole('row').slice(1)
    expect(rows).toHaveLength(3)

    const ref = within(rows[0]).getByText(`main @ ${B.slice(0, 8)}`)
    expect(ref.getAttribute('title')).toBe(`${B}\nFaster health page`)
    // a ref that is the commit itself shows once
    expect(within(rows[1]).getByText(A.slice(0, 8)).getAttribute('title')).toBe(`${A}\nFirst`)
    expect(within(rows[1]).queryByText(/@/)).toBeNull()
    expect(within(rows[2]).queryByText(/@/)).toBeNull()

    const marker = within(rows[0]).getByText(/1 warning/)
    expect(marker.getAttribute('title')).toBe(warning)
    const details = marker.closest('details')!
    expect(details.open).toBe(false)
    fireEvent.click(marker)
    expect(details.open).toBe(true)
    expect(within(details).getByRole('listitem').textContent).toBe(warning)
    expect(within(rows[1]).queryByText(/warning/)).toBeNull()
  })
})
