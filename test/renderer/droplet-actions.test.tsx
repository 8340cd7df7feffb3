// @vitest-environment jsdom
import './setup-dom'
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Params } from '../../src/shared/contract'
import { DropdeckError } from '../../src/shared/errors'
import { stubTableViewport } from './layout-stub'
import { makeDetail, seedDroplets } from './provider-fixtures'
import { renderApp } from './render-app'

stubTableViewport()

function setup(droplets = seedDroplets) {
  const sent: Array<Params<'droplets.action'>> = []
  const tagged: Array<Params<'droplets.tag'>> = []
  const view = renderApp(
    {
      tokens: { digitalocean: true },
      handlers: {
        'droplets.list': () => droplets,
        'droplets.get': ({ id }) => makeDetail(droplets.find((d) => d.id === id)!),
        'droplets.action': (params) => {
          sent.push(params)
          return { id: 77001, type: params.action.type, status: 'in-progress', startedAt: '2025-11-28T10:00:00Z', completedAt: null, dropletId: params.id }
        },
        'droplets.tag': (params) => {
          tagged.push(params)
          const droplet = droplets.find((d) => d.id === params.id)!
          return { tags: params.remove ? droplet.tags.filter((t) => t !== params.tag) : [...droplet.tags, params.tag] }
        }
      }
    },
    `#/droplets/${droplets[0].id}`
  )
  return { ...view, sent, tagged }
}

async function sheetFor(name: string) {
  return screen.findByRole('complementary', { name })
}

describe('Droplet actions', () => {
  it('keeps a destructive action disabled until the droplet’s name is typed, then sends it as confirm', async () => {
    const { sent } = setup()
    const sheet = await sheetFor('odoo-erp-prod')
    fireEvent.click(within(sheet).getByRole('button', { name: 'Power off' }))

    const dialog = await screen.findByRole('dialog', { name: 'Power off odoo-erp-prod?' })
    const confirm = within(dialog).getByRole('button', { name: 'Power off' }) as HTMLButtonElement
    const input = within(dialog).getByLabelText(/to confirm/)
    expect(confirm.disabled).toBe(true)
    fireEvent.change(input, { target: { value: 'odoo-erp' } })
    expect(confirm.disabled).toBe(true)
    fireEvent.change(input, { target: { value: 'odoo-erp-prod' } })
    expect(confirm.disabled).toBe(false)
    fireEvent.click(confirm)

    await waitFor(() => expect(sent).toHaveLength(1))
    expect(sent[0]).toEqual({ id: 3164444, action: { type: 'power_off' }, confirm: 'odoo-erp-prod' })
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
  })

  it('sends resize with the size typed and rename with the new name', async () => {
    const { sent } = setup()
    const sheet = await sheetFor('odoo-erp-prod')
    fireEvent.click(within(sheet).getByRole('button', { name: 'Resize…' }))
    let dialog = await screen.findByRole('dialog', { name: 'Resize odoo-erp-prod?' })
    fireEvent.change(within(dialog).getByLabelText(/New size slug/), { target: { value: 's-8vcpu-16gb' } })
    fireEvent.change(within(dialog).getByLabelText(/to confirm/), { target: { value: 'odoo-erp-prod' } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Resize' }))
    await waitFor(() => expect(sent).toHaveLength(1))
    expect(sent[0]).toEqual({ id: 3164444, action: { type: 'resize', size: 's-8vcpu-16gb', disk: false }, confirm: 'odoo-erp-prod' })
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())

    fireEvent.click(within(sheet).getByRole('button', { name: 'Rename…' }))
    dialog = await screen.findByRole('dialog', { name: 'Rename odoo-erp-prod?' })
    fireEvent.change(within(dialog).getByLabelText('New name'), { target: { value: 'erp-prod-1' } })
    fireEvent.change(within(dialog).getByLabelText(/to confirm/), { target: { value: 'odoo-erp-prod' } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Rename' }))
    await waitFor(() => expect(sent).toHaveLength(2))
    expect(sent[1]).toMatchObject({ action: { type: 'rename', name: 'erp-prod-1' }, confirm: 'odoo-erp-prod' })
  })

  it('snapshots with the default name <droplet>-YYYYMMDD-HHMM (UTC) and no confirmation', async () => {
    const { sent } = setup()
    const sheet = await sheetFor('odoo-erp-prod')
    fireEvent.click(within(sheet).getByRole('button', { name: 'Snapshot…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Snapshot odoo-erp-prod' })
    const name = within(dialog).getByLabelText('Snapshot name') as HTMLInputElement
    expect(name.value).toMatch(/^odoo-erp-prod-\d{8}-\d{4}$/)
    fireEvent.click(within(dialog).getByRole('button', { name: 'Take snapshot' }))
    await waitFor(() => expect(sent).toHaveLength(1))
    expect(sent[0]).toEqual({ id: 3164444, action: { type: 'snapshot', name: name.value } })
  })

  it('locks a read-only droplet until “Unlock for one action”, which sends unlock: true once', async () => {
    const droplets = [{ ...seedDroplets[0], readOnly: true, managed: false }, ...seedDroplets.slice(1)]
    const { sent, tagged } = setup(droplets)
    const sheet = await sheetFor('odoo-erp-prod')
    expect(within(sheet).getByText(/Read-only: not tagged “deployed-via-api”/)).toBeTruthy()
    const reboot = within(sheet).getByRole('button', { name: 'Reboot' }) as HTMLButtonElement
    expect(reboot.disabled).toBe(true)

    fireEvent.click(within(sheet).getByRole('switch', { name: 'Unlock for one action' }))
    expect(reboot.disabled).toBe(false)
    fireEvent.click(reboot)
    const dialog = await screen.findByRole('dialog', { name: 'Reboot odoo-erp-prod?' })
    fireEvent.change(within(dialog).getByLabelText(/to confirm/), { target: { value: 'odoo-erp-prod' } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reboot' }))

    await waitFor(() => expect(sent).toHaveLength(1))
    expect(sent[0]).toEqual({ id: 3164444, action: { type: 'reboot' }, confirm: 'odoo-erp-prod', unlock: true })
    // One action only: locked again.
    await waitFor(() => expect((within(sheet).getByRole('button', { name: 'Reboot' }) as HTMLButtonElement).disabled).toBe(true))
    expect(within(sheet).getByRole('switch', { name: 'Unlock for one action' }).getAttribute('aria-checked')).toBe('false')

    // Tags are guarded the same way.
    fireEvent.click(within(sheet).getByRole('switch', { name: 'Unlock for one action' }))
    fireEvent.click(within(sheet).getByRole('button', { name: 'Remove tag erp' }))
    await waitFor(() => expect(tagged).toHaveLength(1))
    expect(tagged[0]).toEqual({ id: 3164444, tag: 'erp', remove: true, unlock: true })
  })

  it('shows progress from droplets.actionProgress inline and in the activity drawer', async () => {
    const { fake } = setup()
    const sheet = await sheetFor('odoo-erp-prod')
    fireEvent.click(within(sheet).getByRole('button', { name: 'Snapshot…' }))
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Take snapshot' }))

    const progress = await within(sheet).findByRole('list', { name: 'Actions on odoo-erp-prod' })
    expect(within(progress).getByText('Snapshot')).toBeTruthy()
    expect(within(progress).getByText('in-progress')).toBeTruthy()

    act(() => fake.emit('droplets.actionProgress', { id: 77001, type: 'snapshot', status: 'completed', startedAt: '2025-11-28T10:00:00Z', completedAt: '2025-11-28T10:04:00Z', dropletId: 3164444, dropletName: 'odoo-erp-prod' }))
    expect(await within(progress).findByText('completed')).toBeTruthy()
    // A late in-progress event never reopens a finished action.
    act(() => fake.emit('droplets.actionProgress', { id: 77001, type: 'snapshot', status: 'in-progress', startedAt: '2025-11-28T10:00:00Z', completedAt: null, dropletId: 3164444, dropletName: 'odoo-erp-prod' }))
    expect(within(progress).getByText('completed')).toBeTruthy()

    act(() => fake.emit('droplets.actionProgress', { id: 77002, type: 'power_cycle', status: 'errored', startedAt: '2025-11-28T10:05:00Z', completedAt: '2025-11-28T10:05:30Z', dropletId: 3164445, dropletName: 'ocr-service-droplet' }))
    fireEvent.click(screen.getByRole('button', { name: 'Activity' }))
    const drawer = await screen.findByRole('dialog', { name: 'Activity' })
    fireEvent.mouseDown(within(drawer).getByRole('tab', { name: /Droplet actions/ }))
    fireEvent.click(within(drawer).getByRole('tab', { name: /Droplet actions/ }))
    const list = await within(drawer).findByRole('list', { name: 'Droplet actions' })
    expect(within(list).getByText('ocr-service-droplet')).toBeTruthy()
    expect(within(list).getByText('errored')).toBeTruthy()
  })

  it('refetches the list and the open droplet when droplets.changed arrives', async () => {
    const { fake } = setup()
    await sheetFor('odoo-erp-prod')
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'droplets.get')).toBe(true))
    const before = fake.calls.length
    act(() => fake.emit('droplets.changed', { ids: [3164444] }))
    await waitFor(() => {
      const after = fake.calls.slice(before).map((c) => c.method)
      expect(after).toContain('droplets.list')
      expect(after).toContain('droplets.get')
    })
  })

  it('shows the provider’s refusal plainly, with the fix', async () => {
    const { fake } = setup()
    const sheet = await sheetFor('odoo-erp-prod')
    fake.fail('droplets.action', new DropdeckError('RATE_LIMITED', 'DigitalOcean’s budget of 5,000 requests an hour is spent.', { data: { requestId: 'req-42' } }))
    fireEvent.click(within(sheet).getByRole('button', { name: 'Snapshot…' }))
    const dialog = await screen.findByRole('dialog')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Take snapshot' }))
    expect(await within(dialog).findByText('API rate limit reached')).toBeTruthy()
    expect(within(dialog).getByText(/budget of 5,000 requests an hour is spent/)).toBeTruthy()
    expect(within(dialog).getByText(/Request id req-42/)).toBeTruthy()
  })
})
