// @vitest-environment jsdom
import './setup-dom'
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Params } from '../../src/shared/contract'
import { DropdeckError } from '../../src/shared/errors'
import { stubTableViewport } from './layout-stub'
import { makeDetail, makeSnapshot, seedDroplets } from './provider-fixtures'
import { renderApp } from './render-app'

stubTableViewport()

function setup(hash = `#/droplets/${seedDroplets[0].id}`, lockedSnapshots = new Set<string>()) {
  let snapshots = [
    makeSnapshot({ id: '9001', name: 'odoo-erp-prod-20251120-0830', sizeGb: 12.5 }),
    makeSnapshot({ id: '9002', name: 'ocr-before-upgrade', dropletId: 3164445, sizeGb: 3, createdAt: '2025-11-25T10:00:00Z' }),
    makeSnapshot({ id: '9003', name: 'old-box-final', dropletId: 999, sizeGb: 1.5, createdAt: '2024-02-01T10:00:00Z' })
  ]
  const deleted: Array<Params<'snapshots.delete'>> = []
  const view = renderApp(
    {
      tokens: { digitalocean: true },
      handlers: {
        'droplets.list': () => seedDroplets,
        'droplets.get': ({ id }) => makeDetail(seedDroplets.find((d) => d.id === id)!, { snapshots: snapshots.filter((s) => s.dropletId === id) }),
        'snapshots.list': ({ dropletId }) => (dropletId === undefined ? snapshots : snapshots.filter((s) => s.dropletId === dropletId)),
        'snapshots.delete': (params) => {
          const snapshot = snapshots.find((s) => s.id === params.id)!
          if (params.confirm !== snapshot.name) throw new DropdeckError('CONFIRMATION_REQUIRED', `Type its name, ${snapshot.name}, to confirm.`)
          if (lockedSnapshots.has(snapshot.id) && params.unlock !== true) {
            throw new DropdeckError('CONFIRMATION_REQUIRED', 'droplet odoo-erp-prod is read-only: it has no tag deployed-via-api. Unlock it for this action.', { data: { readOnly: true, tag: 'deployed-via-api', expected: 'odoo-erp-prod' } })
          }
          deleted.push(params)
          snapshots = snapshots.filter((s) => s.id !== params.id)
          return { deleted: true }
        }
      }
    },
    hash
  )
  return { ...view, deleted, addSnapshot: (s: (typeof snapshots)[number]) => (snapshots = [...snapshots, s]) }
}

describe('Snapshots', () => {
  it('deletes a snapshot from the droplet sheet only once its name is typed, sending it as confirm', async () => {
    const { deleted, fake } = setup()
    const sheet = await screen.findByRole('complementary', { name: 'odoo-erp-prod' })
    expect(await within(sheet).findByText('odoo-erp-prod-20251120-0830')).toBeTruthy()
    expect(within(sheet).getByText(/^12\.50 GB · /)).toBeTruthy()

    fireEvent.click(within(sheet).getByRole('button', { name: 'Delete snapshot odoo-erp-prod-20251120-0830' }))
    const dialog = await screen.findByRole('dialog', { name: 'Delete snapshot odoo-erp-prod-20251120-0830?' })
    const confirm = within(dialog).getByRole('button', { name: 'Delete snapshot' }) as HTMLButtonElement
    const input = within(dialog).getByLabelText(/to confirm/)
    expect(confirm.disabled).toBe(true)
    fireEvent.change(input, { target: { value: 'odoo-erp-prod' } })
    expect(confirm.disabled).toBe(true)
    fireEvent.change(input, { target: { value: 'odoo-erp-prod-20251120-0830' } })
    expect(confirm.disabled).toBe(false)

    const getsBefore = fake.calls.filter((c) => c.method === 'droplets.get').length
    fireEvent.click(confirm)
    await waitFor(() => expect(deleted).toEqual([{ id: '9001', confirm: 'odoo-erp-prod-20251120-0830' }]))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    // Gone from the sheet, and the droplet's detail is fetched again.
    await waitFor(() => expect(within(sheet).queryByText('odoo-erp-prod-20251120-0830')).toBeNull())
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'droplets.get').length).toBeGreaterThan(getsBefore))
  })

  it('lists every snapshot with its droplet and the total size, and deletes from there', async () => {
    const { deleted } = setup('#/droplets')
    await screen.findByText('odoo-erp-prod')
    fireEvent.click(screen.getByRole('button', { name: 'Snapshots' }))
    const drawer = await screen.findByRole('dialog', { name: 'Snapshots' })
    const table = await within(drawer).findByRole('table', { name: 'Snapshots' })
    const rows = within(table).getAllByRole('row').slice(1)
    // Newest first, each with the droplet it came from; a destroyed droplet says so.
    expect(rows.map((row) => row.textContent)).toEqual([
      expect.stringContaining('ocr-before-upgrade'),
      expect.stringContaining('odoo-erp-prod-20251120-0830'),
      expect.stringContaining('old-box-final')
    ])
    expect(within(rows[0]).getByRole('button', { name: 'ocr-service-droplet' })).toBeTruthy()
    expect(within(rows[2]).getByText('#999 (gone)')).toBeTruthy()
    expect(within(drawer).getByText('3 snapshots')).toBeTruthy()
    expect(within(drawer).getByText('17 GB')).toBeTruthy()

    fireEvent.change(within(drawer).getByLabelText('Filter snapshots'), { target: { value: 'ocr' } })
    expect(within(drawer).getByText('1 of 3 snapshots')).toBeTruthy()
    fireEvent.click(within(drawer).getByRole('button', { name: 'Delete snapshot ocr-before-upgrade' }))
    const dialog = await screen.findByRole('dialog', { name: 'Delete snapshot ocr-before-upgrade?' })
    expect(dialog.textContent).toContain('from ocr-service-droplet')
    fireEvent.change(within(dialog).getByLabelText(/to confirm/), { target: { value: 'ocr-before-upgrade' } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete snapshot' }))
    await waitFor(() => expect(deleted).toEqual([{ id: '9002', confirm: 'ocr-before-upgrade' }]))
    await waitFor(() => expect(within(drawer).queryByText('ocr-before-upgrade')).toBeNull())
  })

  it('shows the service’s refusal in the dialog and keeps it open', async () => {
    const { fake } = setup()
    const sheet = await screen.findByRole('complementary', { name: 'odoo-erp-prod' })
    fireEvent.click(await within(sheet).findByRole('button', { name: /Delete snapshot/ }))
    const dialog = await screen.findByRole('dialog')
    fake.fail('snapshots.delete', new DropdeckError('UPSTREAM', 'The snapshot is in use by a pending action.', { data: { requestId: 'req-77' } }))
    fireEvent.change(within(dialog).getByLabelText(/to confirm/), { target: { value: 'odoo-erp-prod-20251120-0830' } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete snapshot' }))
    expect(await within(dialog).findByText('The provider answered with an error')).toBeTruthy()
    expect(within(dialog).getByText(/in use by a pending action/)).toBeTruthy()
    expect(within(dialog).getByText(/Request id req-77/)).toBeTruthy()
  })

  it('a read-only droplet’s snapshot: the lock’s refusal offers “Unlock for this action”, which resends with unlock once', async () => {
    const { deleted } = setup(undefined, new Set(['9001']))
    const sheet = await screen.findByRole('complementary', { name: 'odoo-erp-prod' })
    fireEvent.click(await within(sheet).findByRole('button', { name: /Delete snapshot/ }))
    const dialog = await screen.findByRole('dialog')
    fireEvent.change(within(dialog).getByLabelText(/to confirm/), { target: { value: 'odoo-erp-prod-20251120-0830' } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete snapshot' }))
    expect(await within(dialog).findByText('Read-only droplet')).toBeTruthy()
    expect(within(dialog).getByText(/has no tag deployed-via-api/)).toBeTruthy()
    expect(deleted).toEqual([])
    fireEvent.click(within(dialog).getByRole('button', { name: 'Unlock for this action' }))
    await waitFor(() => expect(deleted).toEqual([{ id: '9001', confirm: 'odoo-erp-prod-20251120-0830', unlock: true }]))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
  })

  it('refetches the snapshot list when a snapshot action completes', async () => {
    const { fake, addSnapshot } = setup('#/droplets')
    await screen.findByText('odoo-erp-prod')
    fireEvent.click(screen.getByRole('button', { name: 'Snapshots' }))
    const drawer = await screen.findByRole('dialog', { name: 'Snapshots' })
    await within(drawer).findByText('3 snapshots')
    addSnapshot(makeSnapshot({ id: '9004', name: 'odoo-erp-prod-20251128-1000', createdAt: '2025-11-28T10:04:00Z' }))
    act(() => fake.emit('droplets.changed', { ids: [3164444] }))
    expect(await within(drawer).findByText('odoo-erp-prod-20251128-1000')).toBeTruthy()
    expect(within(drawer).getByText('4 snapshots')).toBeTruthy()
  })
})
