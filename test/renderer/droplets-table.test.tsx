// @vitest-environment jsdom
import './setup-dom'
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { DropdeckError } from '../../src/shared/errors'
import { stubTableViewport } from './layout-stub'
import { makeDetail, makeDroplet, seedDroplets } from './provider-fixtures'
import { renderApp } from './render-app'

stubTableViewport()

const withDroplets = (droplets = seedDroplets) => ({ tokens: { digitalocean: true }, handlers: { 'droplets.list': () => droplets } })

/** Names in the table's body rows, top to bottom. */
function rowNames(): string[] {
  const table = screen.getByRole('table', { name: 'Droplets' })
  return Array.from(table.querySelectorAll('tbody tr.dtable-row')).map((row) => row.querySelector('td')!.textContent!.replace('read-only', '').trim())
}

describe('Droplets table', () => {
  it('lists droplets with count and total monthly cost, sorts by header, filters by name, IP, tag and region', async () => {
    renderApp(withDroplets())
    await screen.findByRole('table', { name: 'Droplets' })
    expect(screen.getByText('3 droplets')).toBeTruthy()
    expect(screen.getByText('$84.50/mo')).toBeTruthy()
    expect(rowNames()).toEqual(['ocr-service-droplet', 'odoo-erp-prod', 'staging-box'])
    const row = screen.getByText('odoo-erp-prod').closest('tr')!
    expect(within(row).getByText('159.223.75.148')).toBeTruthy()
    expect(within(row).getByText('10.114.0.2')).toBeTruthy()
    expect(within(row).getByText('4 vCPU · 8 GB · 160 GB')).toBeTruthy()
    expect(within(row).getByText('erp')).toBeTruthy()
    expect(within(row).getByText('$48.00')).toBeTruthy()

    const monthly = screen.getByRole('columnheader', { name: /Monthly/ })
    expect(monthly.getAttribute('aria-sort')).toBe('none')
    fireEvent.click(within(monthly).getByRole('button'))
    expect(monthly.getAttribute('aria-sort')).toBe('descending')
    expect(rowNames()).toEqual(['odoo-erp-prod', 'ocr-service-droplet', 'staging-box'])
    fireEvent.click(within(monthly).getByRole('button'))
    expect(monthly.getAttribute('aria-sort')).toBe('ascending')
    expect(rowNames()).toEqual(['staging-box', 'ocr-service-droplet', 'odoo-erp-prod'])

    // `/` focuses the filter from anywhere that is not a text field.
    fireEvent.keyDown(document.body, { key: '/' })
    const filter = screen.getByRole('textbox', { name: 'Filter droplets' })
    expect(document.activeElement).toBe(filter)

    fireEvent.change(filter, { target: { value: '188.166' } })
    await waitFor(() => expect(rowNames()).toEqual(['ocr-service-droplet']))
    expect(screen.getByText('1 of 3 droplets')).toBeTruthy()
    expect(screen.getByText('$24.00/mo')).toBeTruthy()

    fireEvent.change(filter, { target: { value: 'prod' } })
    await waitFor(() => expect(rowNames()).toHaveLength(2))
    fireEvent.change(filter, { target: { value: 'ams3' } })
    await waitFor(() => expect(rowNames()).toEqual(['staging-box']))
    fireEvent.change(filter, { target: { value: 'nothing-like-this' } })
    expect(await screen.findByText(/No droplet matches/)).toBeTruthy()
  })

  it('renders only a window of rows for 5,000 droplets, and moves it on scroll', async () => {
    const many = Array.from({ length: 5000 }, (_, index) => makeDroplet(index))
    renderApp(withDroplets(many))
    const table = await screen.findByRole('table', { name: 'Droplets' })
    expect(screen.getByText('5,000 droplets')).toBeTruthy()
    expect(screen.getByText('$30,000.00/mo')).toBeTruthy()
    const rendered = table.querySelectorAll('tbody tr.dtable-row')
    expect(rendered.length).toBeGreaterThan(10)
    expect(rendered.length).toBeLessThan(60)
    expect(table.getAttribute('aria-rowcount')).toBe('5001')
    expect(rowNames()[0]).toBe('node-0000')

    const scroller = table.closest('.dtable-scroll')!
    await act(async () => {
      scroller.scrollTop = 30 * 2500
      fireEvent.scroll(scroller)
    })
    await waitFor(() => expect(rowNames()).toContain('node-2500'))
    expect(table.querySelectorAll('tbody tr.dtable-row').length).toBeLessThan(60)
  })

  it('keeps the last good list, marked stale, when a refresh fails', async () => {
    const { fake } = renderApp(withDroplets())
    await screen.findByText('odoo-erp-prod')
    fake.fail('droplets.list', new DropdeckError('UPSTREAM', 'DigitalOcean answered 503 for page 2 of 3 after 3 tries.'))
    fireEvent.click(screen.getByRole('button', { name: 'Refresh droplets' }))

    expect(await screen.findByText('stale — last refresh failed: DigitalOcean answered 503 for page 2 of 3 after 3 tries.')).toBeTruthy()
    expect(screen.getByText('odoo-erp-prod')).toBeTruthy()
    expect(fake.calls.filter((call) => call.method === 'droplets.list').at(-1)!.params).toEqual({ refresh: true })

    fake.succeed('droplets.list')
    fireEvent.click(screen.getByRole('button', { name: 'Refresh droplets' }))
    await waitFor(() => expect(screen.queryByText(/stale — last refresh failed/)).toBeNull())
  })

  it('says what to do when the token is refused and there is nothing to show', async () => {
    const { fake } = renderApp({ tokens: { digitalocean: true }, handlers: {} })
    fake.fail('droplets.list', new DropdeckError('AUTH_FAILED', 'DigitalOcean refused the token (401 Unable to authenticate you).'))
    expect(await screen.findByText('Droplets could not be loaded')).toBeTruthy()
    expect(screen.getByText(/Replace the token in Settings\./)).toBeTruthy()
    expect(screen.getByRole('link', { name: 'Open Settings' }).getAttribute('href')).toBe('#/settings')
  })

  it('opens a droplet with Enter and shows what droplets.get tells', async () => {
    const detail = {
      networks: [{ version: 'v4' as const, type: 'public', ipAddress: '159.223.75.148', netmask: '255.255.240.0', gateway: '159.223.64.1' }],
      features: ['monitoring', 'private_networking'],
      volumeIds: ['vol-odoo-filestore'],
      snapshots: [{ id: 's1', name: 'odoo-erp-prod-20251120-0315', createdAt: '2025-11-20T03:15:00Z', sizeGb: 21.4, minDiskSize: 80, regions: ['sgp1'], dropletId: 3164444 }],
      backupIds: [11, 12],
      firewalls: [{ id: 'fw', name: 'web-22-80-443', status: 'succeeded', rules: [{ direction: 'inbound' as const, protocol: 'tcp' as const, ports: '22', peers: ['0.0.0.0/0'] }], dropletIds: [3164444], tags: [], createdAt: '2025-01-01T00:00:00Z' }],
      recentActions: [{ id: 5, type: 'power_cycle', status: 'completed' as const, startedAt: '2025-11-01T00:00:00Z', completedAt: '2025-11-01T00:01:00Z', dropletId: 3164444 }]
    }
    renderApp({ tokens: { digitalocean: true }, handlers: { 'droplets.list': () => seedDroplets, 'droplets.get': ({ id }) => makeDetail(seedDroplets.find((d) => d.id === id)!, detail) } })
    // Arrow keys move between rows (one tab stop for the table); Enter opens.
    const first = (await screen.findByText('ocr-service-droplet')).closest('tr')!
    expect(first.tabIndex).toBe(0)
    first.focus()
    fireEvent.keyDown(first, { key: 'ArrowDown' })
    const row = screen.getByText('odoo-erp-prod').closest('tr')!
    await waitFor(() => expect(document.activeElement).toBe(row))
    expect(first.tabIndex).toBe(-1)
    fireEvent.keyDown(row, { key: 'Enter' })

    const sheet = await screen.findByRole('complementary', { name: 'odoo-erp-prod' })
    await waitFor(() => expect(window.location.hash).toBe('#/droplets/3164444'))
    expect(await within(sheet).findByText('web-22-80-443')).toBeTruthy()
    expect(within(sheet).getByText('vol-odoo-filestore')).toBeTruthy()
    expect(within(sheet).getByText('odoo-erp-prod-20251120-0315')).toBeTruthy()
    expect(within(sheet).getByText('private_networking')).toBeTruthy()
    expect(within(sheet).getByText('2 backups')).toBeTruthy()
    // Once as the action button, once in recent actions.
    expect(within(sheet).getAllByText('Power cycle')).toHaveLength(2)

    fireEvent.keyDown(sheet, { key: 'Escape' })
    await waitFor(() => expect(screen.queryByRole('complementary', { name: 'odoo-erp-prod' })).toBeNull())
  })
})
