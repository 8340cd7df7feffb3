// @vitest-environment jsdom
import './setup-dom'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Params, Result } from '../../src/shared/contract'
import { stubTableViewport } from './layout-stub'
import { makeDetail, makeFirewall, seedDroplets } from './provider-fixtures'
import { renderApp } from './render-app'

stubTableViewport()

type Firewall = Result<'firewalls.list'>[number]

function setup(hash = '#/droplets', initial: Firewall[] = [makeFirewall({ id: 'bb4b2611-3d72-467b-8602-280330ecd65c', name: 'prod-web', dropletIds: [3164444], tags: ['erp'] })]) {
  let firewalls = initial
  const created: Array<Params<'firewalls.createFromTemplate'>> = []
  const attached: Array<Params<'firewalls.attach'>> = []
  const view = renderApp(
    {
      tokens: { digitalocean: true },
      handlers: {
        'droplets.list': () => seedDroplets,
        'droplets.get': ({ id }) => makeDetail(seedDroplets.find((d) => d.id === id)!, { firewalls: firewalls.filter((f) => f.dropletIds.includes(id)) }),
        'firewalls.list': () => firewalls,
        'firewalls.createFromTemplate': (params) => {
          created.push(params)
          const firewall = makeFirewall({ id: `fw-${firewalls.length + 1}`, name: params.name, status: 'waiting', dropletIds: params.dropletIds ?? [], tags: params.tags ?? [] })
          firewalls = [...firewalls, firewall]
          return firewall
        },
        'firewalls.attach': (params) => {
          attached.push(params)
          firewalls = firewalls.map((f) => (f.id === params.id ? { ...f, dropletIds: [...f.dropletIds, ...(params.dropletIds ?? [])], tags: [...f.tags, ...(params.tags ?? [])] } : f))
          return firewalls.find((f) => f.id === params.id)!
        }
      }
    },
    hash
  )
  return { ...view, created, attached }
}

async function openFirewalls() {
  await screen.findByText('odoo-erp-prod')
  fireEvent.click(screen.getByRole('button', { name: 'Firewalls' }))
  return screen.findByRole('dialog', { name: 'Firewalls' })
}

describe('Firewalls', () => {
  it('lists firewalls with their rules in a line and what they are attached to', async () => {
    setup()
    const drawer = await openFirewalls()
    const table = await within(drawer).findByRole('table', { name: 'Firewalls' })
    const row = within(table).getAllByRole('row')[1]
    expect(within(row).getByText('prod-web')).toBeTruthy()
    expect(within(row).getByText('in: 22, 80, 443 · out: all')).toBeTruthy()
    expect(within(row).getByRole('button', { name: 'odoo-erp-prod' })).toBeTruthy()
    expect(within(row).getByText('tag: erp')).toBeTruthy()
    // ocr-service-droplet carries no covered tag and is not attached; staging-box neither.
    expect(within(drawer).getByText('2 droplets without one')).toBeTruthy()
  })

  it('creates a firewall from the template with the droplets chosen by name and a tag', async () => {
    const { created } = setup()
    const drawer = await openFirewalls()
    fireEvent.click(within(drawer).getByRole('button', { name: 'Create from template' }))
    const dialog = await screen.findByRole('dialog', { name: 'Create a firewall from the template' })
    expect(dialog.textContent).toContain('in: 22, 80, 443 · out: all')

    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'production-firewall' } })
    const filter = within(dialog).getByLabelText(/^Droplets/, { selector: 'input' })
    fireEvent.change(filter, { target: { value: 'ocr' } })
    expect(within(dialog).queryByRole('checkbox', { name: /staging-box/ })).toBeNull()
    fireEvent.click(within(dialog).getByRole('checkbox', { name: /ocr-service-droplet/ }))
    fireEvent.change(filter, { target: { value: '' } })
    fireEvent.click(within(dialog).getByRole('checkbox', { name: /odoo-erp-prod/ }))
    expect(within(within(dialog).getByRole('list', { name: 'Chosen droplets' })).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['ocr-service-droplet', 'odoo-erp-prod'])

    const tags = within(dialog).getByLabelText(/^Tags/)
    fireEvent.change(tags, { target: { value: 'prod' } })
    fireEvent.keyDown(tags, { key: 'Enter' })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create firewall' }))

    await waitFor(() => expect(created).toEqual([{ name: 'production-firewall', dropletIds: [3164445, 3164444], tags: ['prod'] }]))
    await waitFor(() => expect(screen.queryByRole('dialog', { name: /Create a firewall/ })).toBeNull())
    expect(await within(drawer).findByText('production-firewall')).toBeTruthy()
  })

  it('shows a name the service refuses under the name field', async () => {
    const { created } = setup()
    const drawer = await openFirewalls()
    fireEvent.click(within(drawer).getByRole('button', { name: 'Create from template' }))
    const dialog = await screen.findByRole('dialog', { name: 'Create a firewall from the template' })
    const name = within(dialog).getByLabelText('Name')
    fireEvent.change(name, { target: { value: 'prod firewall!' } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create firewall' }))
    await waitFor(() => expect(name.getAttribute('aria-invalid')).toBe('true'))
    // The router's validation message sits under the name field, not in a general notice.
    const fieldError = name.parentElement!.querySelector('.field-error')
    expect(fieldError?.textContent).toMatch(/Letters, digits/)
    expect(fieldError?.textContent).toBeTruthy()
    expect(within(dialog).queryByText('The firewall was not created')).toBeNull()
    expect(created).toEqual([])
  })

  it('attaches a firewall to more droplets and tags, sending only what is new', async () => {
    const { attached } = setup()
    const drawer = await openFirewalls()
    fireEvent.click(await within(drawer).findByRole('button', { name: 'Attach prod-web' }))
    const dialog = await screen.findByRole('dialog', { name: 'Attach prod-web' })
    const odoo = within(dialog).getByRole('checkbox', { name: /odoo-erp-prod/ }) as HTMLInputElement
    expect(odoo.checked && odoo.disabled).toBe(true)
    const submit = within(dialog).getByRole('button', { name: 'Attach' }) as HTMLButtonElement
    expect(submit.disabled).toBe(true)
    fireEvent.click(within(dialog).getByRole('checkbox', { name: /staging-box/ }))
    const tags = within(dialog).getByLabelText(/^Tags/)
    fireEvent.change(tags, { target: { value: 'staging' } })
    fireEvent.keyDown(tags, { key: 'Enter' })
    fireEvent.click(submit)
    await waitFor(() => expect(attached).toEqual([{ id: 'bb4b2611-3d72-467b-8602-280330ecd65c', dropletIds: [3164446], tags: ['staging'] }]))
    expect(await within(drawer).findByRole('button', { name: 'staging-box' })).toBeTruthy()
  })

  it('offers to attach a firewall from the sheet of a droplet that has none', async () => {
    const { attached } = setup(`#/droplets/${seedDroplets[1].id}`)
    const sheet = await screen.findByRole('complementary', { name: 'ocr-service-droplet' })
    expect(await within(sheet).findByText(/No cloud firewall/)).toBeTruthy()
    fireEvent.click(within(sheet).getByRole('button', { name: 'Attach a firewall…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Attach a firewall' })
    // The only firewall is chosen; this droplet is already in the selection.
    expect(((await within(dialog).findByLabelText('Firewall')) as HTMLSelectElement).value).toBe('bb4b2611-3d72-467b-8602-280330ecd65c')
    expect(within(within(dialog).getByRole('list', { name: 'Chosen droplets' })).getByText('ocr-service-droplet')).toBeTruthy()
    fireEvent.click(within(dialog).getByRole('button', { name: 'Attach' }))
    await waitFor(() => expect(attached).toEqual([{ id: 'bb4b2611-3d72-467b-8602-280330ecd65c', dropletIds: [3164445] }]))
    // The sheet refetches its detail and shows the firewall.
    expect(await within(sheet).findByText('prod-web')).toBeTruthy()
    expect(within(sheet).getByText('in: 22, 80, 443 · out: all')).toBeTruthy()
  })

  it('creates one from the template from the sheet when the team has no firewall yet', async () => {
    const { created } = setup(`#/droplets/${seedDroplets[1].id}`, [])
    const sheet = await screen.findByRole('complementary', { name: 'ocr-service-droplet' })
    fireEvent.click(await within(sheet).findByRole('button', { name: 'Attach a firewall…' }))
    const attach = await screen.findByRole('dialog', { name: 'Attach a firewall' })
    expect(await within(attach).findByText('This team has no firewalls yet.')).toBeTruthy()
    fireEvent.click(within(attach).getByRole('button', { name: 'Create from template…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Create a firewall from the template' })
    expect((within(dialog).getByLabelText('Name') as HTMLInputElement).value).toBe('ocr-service-droplet-firewall')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create firewall' }))
    await waitFor(() => expect(created).toEqual([{ name: 'ocr-service-droplet-firewall', dropletIds: [3164445] }]))
  })
})
