// @vitest-environment jsdom
import './setup-dom'
import { fireEvent, screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderApp } from './render-app'

describe('Command palette', () => {
  it('opens on Ctrl+K and closes on Escape', async () => {
    renderApp()
    await screen.findByRole('heading', { level: 1 })
    fireEvent.keyDown(window, { key: 'k', code: 'KeyK', ctrlKey: true })
    const dialog = await screen.findByRole('dialog', { name: 'Command palette' })
    expect(document.activeElement).toBe(screen.getByRole('combobox'))

    fireEvent.keyDown(dialog, { key: 'Escape' })
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
  })

  it('goes to an area chosen by typing and Enter', async () => {
    renderApp()
    await screen.findByRole('heading', { level: 1 })
    fireEvent.click(screen.getByRole('button', { name: /Search or jump to/ }))
    const input = await screen.findByRole('combobox')
    fireEvent.change(input, { target: { value: 'Tunnels' } })
    fireEvent.keyDown(input, { key: 'Enter' })

    await waitFor(() => expect(window.location.hash).toBe('#/tunnels'))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Tunnels')
  })

  it('toggles the theme through settings.update', async () => {
    const { fake } = renderApp({ settings: { theme: 'light' } })
    await screen.findByRole('heading', { level: 1 })
    fireEvent.keyDown(window, { key: 'k', code: 'KeyK', ctrlKey: true })
    fireEvent.click(await screen.findByRole('option', { name: 'Switch to dark theme' }))
    await waitFor(() => expect(fake.settings.theme).toBe('dark'))
  })
})
