// @vitest-environment jsdom
import './setup-dom'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Params } from '../../src/shared/contract'
import { DropdeckError } from '../../src/shared/errors'
import { cfZone, doZone, makeRecord } from './provider-fixtures'
import type { FakeOptions } from './fake-api'
import { renderApp } from './render-app'

const records = [
  makeRecord({ id: '372e67954025e0ba6aaa6d586b9e0b59', name: 'erp.insightpulseai.net', content: '159.223.75.148', proxied: true, droplet: { id: 3164444, name: 'odoo-erp-prod' } }),
  makeRecord({ id: '372e67954025e0ba6aaa6d586b9e0b5a', name: 'legacy.insightpulseai.net', content: '167.99.12.40', dangling: true, danglingReason: '167.99.12.40 is no droplet’s address' }),
  makeRecord({ id: '372e67954025e0ba6aaa6d586b9e0b5b', type: 'CNAME', name: 'docs.insightpulseai.net', content: 'docs-old.insightpulseai.net', dangling: true, danglingReason: 'docs-old.insightpulseai.net has no record in any zone' }),
  makeRecord({ id: '372e67954025e0ba6aaa6d586b9e0b5c', type: 'MX', name: 'insightpulseai.net', content: 'mx1.mail.example.com', proxied: null, priority: 10, ttl: 3600 })
]

function setup(extra: FakeOptions['handlers'] = {}) {
  const created: Array<Params<'dns.records.create'>> = []
  const view = renderApp(
    {
      tokens: { cloudflare: true, digitalocean: true },
      handlers: {
        'dns.zones.list': () => ({ items: [cfZone, doZone], errors: [] }),
        'dns.records.list': ({ zoneId }) => (zoneId === cfZone.id ? records : []),
        'dns.missing': () => [{ hostname: 'ipa.insightpulseai.net', zone: cfZone, usedBy: 'watched host name in Settings' }],
        'dns.records.create': (params) => {
          created.push(params)
          return makeRecord({ id: '372e67954025e0ba6aaa6d586b9e0b5d', name: `${params.record.name}.insightpulseai.net`, content: params.record.content, dangling: false })
        },
        ...extra
      }
    },
    `#/dns/cloudflare/${cfZone.id}`
  )
  return { ...view, created }
}

describe('DNS', () => {
  it('one provider failing: the other provider\'s zones and records stay, with a notice naming the provider that failed', async () => {
    setup({
      'dns.zones.list': () => ({
        items: [cfZone],
        errors: [{ provider: 'digitalocean', team: 'default', code: 'AUTH_FAILED', message: 'The DigitalOcean token may not GET /v2/domains (page 1): DigitalOcean answered 403.' }]
      })
    })
    const zones = await screen.findByRole('navigation', { name: 'Zones' })
    expect(within(zones).getByRole('link', { name: 'insightpulseai.net (Cloudflare)' })).toBeTruthy()
    expect(within(zones).queryByRole('link', { name: 'dropdeck.dev (DigitalOcean)' })).toBeNull()
    const notice = screen.getByText('DigitalOcean: zones could not be loaded').closest('[role="alert"]')!
    expect(notice.textContent).toContain('answered 403')
    expect(await screen.findByRole('table', { name: 'Records in insightpulseai.net' })).toBeTruthy()
    expect(screen.queryByText('Zones could not be loaded')).toBeNull()
  })

  it('every provider failing: a notice per provider, not "No zones yet"', async () => {
    setup({
      'dns.zones.list': () => ({
        items: [],
        errors: [
          { provider: 'cloudflare', code: 'AUTH_FAILED', message: 'The Cloudflare token was refused (401: Invalid API Token).' },
          { provider: 'digitalocean', team: 'default', code: 'UPSTREAM', message: 'DigitalOcean failed on GET /v2/domains (503).' }
        ]
      })
    })
    expect(await screen.findByText('Cloudflare: zones could not be loaded')).toBeTruthy()
    expect(screen.getByText('DigitalOcean: zones could not be loaded')).toBeTruthy()
    expect(screen.queryByText('No zones yet')).toBeNull()
  })

  it('lists zones from both providers and flags dangling records with the reason, summarised and filterable', async () => {
    setup()
    const zones = await screen.findByRole('navigation', { name: 'Zones' })
    expect(within(zones).getByRole('link', { name: 'insightpulseai.net (Cloudflare)' }).getAttribute('aria-current')).toBe('true')
    expect(within(zones).getByRole('link', { name: 'dropdeck.dev (DigitalOcean)' })).toBeTruthy()

    const table = await screen.findByRole('table', { name: 'Records in insightpulseai.net' })
    const legacy = within(table).getByText('legacy').closest('tr')!
    expect(within(legacy).getByText('dangling')).toBeTruthy()
    expect(within(legacy).getByText('167.99.12.40 is no droplet’s address')).toBeTruthy()
    expect(within(within(table).getByText('erp').closest('tr')!).getByRole('link', { name: 'odoo-erp-prod' }).getAttribute('href')).toBe('#/droplets/3164444')

    const summary = screen.getByRole('button', { name: /2 dangling records/ })
    fireEvent.click(summary)
    expect(summary.getAttribute('aria-pressed')).toBe('true')
    expect(within(table).getAllByText('dangling')).toHaveLength(2)
    expect(within(table).queryByText('erp')).toBeNull()

    fireEvent.click(summary)
    fireEvent.change(screen.getByRole('textbox', { name: 'Search records' }), { target: { value: 'mx1' } })
    await waitFor(() => expect(within(table).queryByText('legacy')).toBeNull())
    expect(within(table).getByText('mx1.mail.example.com')).toBeTruthy()
  })

  it('calls out a host name with no record and creates it from a prefilled form', async () => {
    const { created } = setup()
    const callout = await screen.findByText('1 host name has no DNS record')
    const box = callout.closest('[role="alert"]') as HTMLElement
    expect(box.textContent).toContain('ipa.insightpulseai.net is used but has no DNS record')

    fireEvent.click(within(box).getByRole('button', { name: 'Create a record for ipa.insightpulseai.net' }))
    const dialog = await screen.findByRole('dialog', { name: 'Add a record' })
    expect((within(dialog).getByLabelText('Name') as HTMLInputElement).value).toBe('ipa')
    expect((within(dialog).getByLabelText('Type') as HTMLSelectElement).value).toBe('A')
    fireEvent.change(within(dialog).getByLabelText('IPv4 address'), { target: { value: '159.223.75.148' } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add record' }))

    await waitFor(() => expect(created).toHaveLength(1))
    expect(created[0]).toEqual({ provider: 'cloudflare', zoneId: cfZone.id, record: { type: 'A', name: 'ipa', content: '159.223.75.148', ttl: 1, proxied: false } })
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
  })

  it('shows a BAD_REQUEST from the service under the field it is about', async () => {
    setup({
      'dns.records.create': () => {
        throw new DropdeckError('BAD_REQUEST', 'Invalid params for dns.records.create: record.content: an IPv4 address', { data: { issues: [{ path: 'record.content', message: 'an IPv4 address like 203.0.113.7' }] } })
      }
    })
    fireEvent.click(await screen.findByRole('button', { name: 'Add record' }))
    const dialog = await screen.findByRole('dialog', { name: 'Add a record' })
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'api' } })
    const content = within(dialog).getByLabelText('IPv4 address')
    fireEvent.change(content, { target: { value: '999.1.1.1' } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add record' }))

    const error = await within(dialog).findByText('An IPv4 address like 203.0.113.7')
    expect(content.getAttribute('aria-invalid')).toBe('true')
    expect(content.getAttribute('aria-describedby')).toBe(error.id)
  })

  it('reads the field out of a service’s validation message that carries no issue list', async () => {
    setup({
      'dns.records.create': () => {
        // What the router makes of a ZodError thrown inside the DNS service.
        throw new DropdeckError('BAD_REQUEST', 'ttl: Cloudflare takes a TTL of 60 to 86400 seconds, or 1 for automatic')
      }
    })
    fireEvent.click(await screen.findByRole('button', { name: 'Add record' }))
    const dialog = await screen.findByRole('dialog', { name: 'Add a record' })
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'api' } })
    fireEvent.change(within(dialog).getByLabelText('IPv4 address'), { target: { value: '203.0.113.7' } })
    const ttl = within(dialog).getByLabelText(/TTL/)
    fireEvent.change(ttl, { target: { value: '5' } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add record' }))
    expect(await within(dialog).findByText('Cloudflare takes a TTL of 60 to 86400 seconds, or 1 for automatic')).toBeTruthy()
    expect(ttl.getAttribute('aria-invalid')).toBe('true')
  })

  it('maps the router’s own validation (an invalid name) to the Name field', async () => {
    setup()
    fireEvent.click(await screen.findByRole('button', { name: 'Add record' }))
    const dialog = await screen.findByRole('dialog', { name: 'Add a record' })
    const name = within(dialog).getByLabelText('Name')
    fireEvent.change(name, { target: { value: 'bad name!' } })
    fireEvent.change(within(dialog).getByLabelText('IPv4 address'), { target: { value: '203.0.113.7' } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add record' }))
    expect(await within(dialog).findByText(/^A host name: letters, digits/)).toBeTruthy()
    expect(name.getAttribute('aria-invalid')).toBe('true')
  })

  it('deletes a record only after its name is typed', async () => {
    const deleted: Array<Params<'dns.records.delete'>> = []
    setup({ 'dns.records.delete': (params) => (deleted.push(params), { deleted: true as const }) })
    fireEvent.click(await screen.findByRole('button', { name: 'Delete A legacy.insightpulseai.net' }))
    const dialog = await screen.findByRole('dialog', { name: 'Delete the A record legacy.insightpulseai.net?' })
    const button = within(dialog).getByRole('button', { name: 'Delete record' }) as HTMLButtonElement
    expect(button.disabled).toBe(true)
    fireEvent.change(within(dialog).getByLabelText(/to confirm/), { target: { value: 'legacy.insightpulseai.net' } })
    fireEvent.click(button)
    await waitFor(() => expect(deleted).toEqual([{ provider: 'cloudflare', zoneId: cfZone.id, id: '372e67954025e0ba6aaa6d586b9e0b5a', confirm: 'legacy.insightpulseai.net' }]))
  })

  it('toggles Cloudflare’s proxy through dns.records.update only after asking, and shows the TTL Cloudflare answers', async () => {
    const updated: Array<Params<'dns.records.update'>> = []
    // As Cloudflare answers: a proxied record's TTL is automatic (1) whatever was sent.
    const answer = (params: Params<'dns.records.update'>) => makeRecord({ id: params.id, name: params.record.name, content: params.record.content, proxied: params.record.proxied ?? null, ttl: params.record.proxied ? 1 : params.record.ttl })
    let www = makeRecord({ id: '372e67954025e0ba6aaa6d586b9e0b5e', name: 'www.insightpulseai.net', content: '159.223.75.149', proxied: false, ttl: 3600 })
    setup({
      'dns.records.list': ({ zoneId }) => (zoneId === cfZone.id ? [...records, www] : []),
      'dns.records.update': (params) => (updated.push(params), (www = answer(params)))
    })
    // One click only asks; Cancel leaves production DNS alone.
    fireEvent.click(await screen.findByRole('switch', { name: 'Proxied: erp.insightpulseai.net' }))
    const ask = await screen.findByRole('dialog', { name: 'Stop proxying erp.insightpulseai.net?' })
    fireEvent.click(within(ask).getByRole('button', { name: 'Cancel' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(updated).toEqual([])
    // Confirmed: the change goes out.
    fireEvent.click(screen.getByRole('switch', { name: 'Proxied: www.insightpulseai.net' }))
    const on = await screen.findByRole('dialog', { name: 'Proxy www.insightpulseai.net?' })
    fireEvent.click(within(on).getByRole('button', { name: 'Proxy through Cloudflare' }))
    await waitFor(() => expect(updated).toHaveLength(1))
    expect(updated[0]).toMatchObject({ id: '372e67954025e0ba6aaa6d586b9e0b5e', record: { type: 'A', name: 'www.insightpulseai.net', content: '159.223.75.149', proxied: true, ttl: 1 } })
    // The row shows what Cloudflare now serves: TTL auto, not the 3600 it had.
    const row = (await screen.findByRole('switch', { name: 'Proxied: www.insightpulseai.net' })).closest('tr')!
    await waitFor(() => expect(within(row).getByText('auto')).toBeTruthy())
    expect(row.textContent).not.toContain('3600')
  })

  it('lists the zone apex ("@") first', async () => {
    setup()
    const table = await screen.findByRole('table', { name: /Records in/ })
    await waitFor(() => expect(within(table).getAllByRole('row').length).toBeGreaterThan(2))
    const firstRow = within(table).getAllByRole('row')[1]
    expect(firstRow.textContent).toMatch(/^MX@/)
  })
})
