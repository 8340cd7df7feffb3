// @vitest-environment jsdom
import './setup-dom'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderApp } from './render-app'

/** The token input once the keychain and status have loaded (it is disabled until then). */
async function tokenInput(name: string): Promise<HTMLInputElement> {
  const input = (await screen.findByLabelText(name)) as HTMLInputElement
  await waitFor(() => expect(input.disabled).toBe(false))
  await waitFor(() => expect(within(input.closest('form')!).queryByText('Status unknown')).toBeNull())
  return input
}

describe('Settings: provider tokens', () => {
  it('shows the service’s BAD_REQUEST message next to the field and keeps the token unsaved', async () => {
    const { fake } = renderApp({}, '#/settings')
    const input = await tokenInput('DigitalOcean')
    fireEvent.change(input, { target: { value: 'dop v1 pasted with spaces' } })
    fireEvent.click(within(input.closest('form')!).getByRole('button', { name: 'Save' }))

    const error = await screen.findByText('A token has no spaces, line breaks or control characters')
    expect(error.id).toBe('token-input-digitalocean-error')
    expect(input.getAttribute('aria-invalid')).toBe('true')
    expect(fake.tokens.digitalocean).toBe(false)
  })

  it('clears the input after a save and shows where the token is stored, never the value', async () => {
    const { fake } = renderApp({}, '#/settings')
    const input = await tokenInput('DigitalOcean')
    expect(input.type).toBe('password')
    fireEvent.change(input, { target: { value: 'dop_v1_secret' } })
    fireEvent.submit(input.closest('form')!)

    await screen.findByText('Stored in Test Keychain')
    expect(input.value).toBe('')
    expect(fake.tokens.digitalocean).toBe(true)
    expect(document.body.textContent).not.toContain('dop_v1_secret')
  })

  it('asks before removing a token, and removes it only when confirmed', async () => {
    const { fake } = renderApp({ tokens: { cloudflare: true } }, '#/settings')
    const form = (await tokenInput('Cloudflare')).closest('form')!
    fireEvent.click(within(form).getByRole('button', { name: 'Remove' }))

    const dialog = await screen.findByRole('dialog', { name: 'Remove the Cloudflare token?' })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(fake.tokens.cloudflare).toBe(true)

    fireEvent.click(within(form).getByRole('button', { name: 'Remove' }))
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Remove token' }))
    await waitFor(() => expect(fake.tokens.cloudflare).toBe(false))
    expect(await within(form).findByText('Not set')).toBeTruthy()
  })

  it('explains an unavailable keychain and disables saving', async () => {
    renderApp({ keychain: { available: false, backend: 'Secret Service (Linux)', message: 'No Secret Service is running. Run `gnome-keyring-daemon`.' } }, '#/settings')
    const alert = await screen.findByText('Secret Service (Linux) is not available — tokens cannot be saved')
    expect(alert.closest('[role="alert"]')!.textContent).toContain('No Secret Service is running.')
    for (const name of ['DigitalOcean', 'Cloudflare']) {
      const input = screen.getByLabelText(name) as HTMLInputElement
      expect(input.disabled).toBe(true)
      expect((within(input.closest('form')!).getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true)
    }
  })
})
