// @vitest-environment jsdom
import './setup-dom'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderApp } from './render-app'

function setup(watchedHostnames: string[] = []) {
  return renderApp({ settings: { watchedHostnames } }, '#/settings')
}

const updates = (fake: ReturnType<typeof setup>['fake']) => fake.calls.filter((c) => c.method === 'settings.update').map((c) => c.params)

describe('Settings: watched host names', () => {
  it('explains itself and saves each host name added or removed', async () => {
    const { fake } = setup(['n8n.insightpulseai.net'])
    const input = await screen.findByLabelText('Watched host names')
    expect(screen.getByText(/Host names you rely on; DNS flags those with no record\./)).toBeTruthy()
    const list = screen.getByRole('list', { name: 'Host names' })
    expect(within(list).getByText('n8n.insightpulseai.net')).toBeTruthy()

    // Pasted as a URL with capitals and a trailing dot: the host name is what is kept.
    fireEvent.change(input, { target: { value: 'https://IPA.insightpulseai.net./' } })
    fireEvent.keyDown(input, { key: 'Enter' })
    await waitFor(() => expect(updates(fake)).toEqual([{ watchedHostnames: ['n8n.insightpulseai.net', 'ipa.insightpulseai.net'] }]))
    expect(fake.settings.watchedHostnames).toEqual(['n8n.insightpulseai.net', 'ipa.insightpulseai.net'])
    expect(await within(list).findByText('ipa.insightpulseai.net')).toBeTruthy()
    expect((input as HTMLInputElement).value).toBe('')

    fireEvent.click(screen.getByRole('button', { name: 'Remove host name n8n.insightpulseai.net' }))
    await waitFor(() => expect(fake.settings.watchedHostnames).toEqual(['ipa.insightpulseai.net']))
    expect(updates(fake)[1]).toEqual({ watchedHostnames: ['ipa.insightpulseai.net'] })
  })

  it('refuses what is not a host name without saving, and ignores duplicates', async () => {
    const { fake } = setup(['ipa.insightpulseai.net'])
    const input = await screen.findByLabelText('Watched host names')
    fireEvent.change(input, { target: { value: 'not a host' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add' }))
    expect((await screen.findByRole('alert')).textContent).toMatch(/is not a host name/)
    expect(input.getAttribute('aria-invalid')).toBe('true')

    fireEvent.change(input, { target: { value: 'ipa.insightpulseai.net' } })
    fireEvent.keyDown(input, { key: 'Enter' })
    expect(screen.queryByRole('alert')).toBeNull()
    expect(updates(fake)).toEqual([])
  })

  it('asks DNS again for missing host names once saved', async () => {
    const { fake } = renderApp({ tokens: { cloudflare: true }, settings: { watchedHostnames: [] }, handlers: { 'dns.zones.list': () => ({ items: [], errors: [] }), 'dns.missing': () => [] } }, '#/dns')
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'dns.missing')).toBe(true))
    window.location.hash = '#/settings'
    const input = await screen.findByLabelText('Watched host names')
    const before = fake.calls.filter((c) => c.method === 'dns.missing').length
    fireEvent.change(input, { target: { value: 'ipa.insightpulseai.net' } })
    fireEvent.keyDown(input, { key: 'Enter' })
    window.location.hash = '#/dns'
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'dns.missing').length).toBeGreaterThan(before))
  })
})
