// @vitest-environment jsdom
import './setup-dom'
import { act, fireEvent, screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderApp } from './render-app'

describe('App shell', () => {
  it('asks for the DigitalOcean token on Droplets until one is stored, then lists droplets', async () => {
    const { fake } = renderApp({ handlers: { 'droplets.list': () => [] } })
    expect(await screen.findByRole('heading', { name: 'Add your DigitalOcean token' })).toBeTruthy()

    fireEvent.click(screen.getByRole('button', { name: 'Open Settings' }))
    await waitFor(() => expect(window.location.hash).toBe('#/settings'))

    act(() => {
      fake.tokens.digitalocean = true
      fake.emit('secrets.changed', { digitalocean: true, cloudflare: false })
      window.location.hash = '#/droplets'
    })
    expect(await screen.findByRole('heading', { name: 'No droplets in this team' })).toBeTruthy()
    expect(screen.getByRole('textbox', { name: 'Filter droplets' })).toBeTruthy()
  })

  it('marks the current area in the rail and moves with Alt+digit and Ctrl+,', async () => {
    renderApp()
    const rail = await screen.findByRole('navigation', { name: 'Areas' })
    expect(rail.querySelector('[aria-current="page"]')!.textContent).toContain('Droplets')

    fireEvent.keyDown(window, { key: '2', code: 'Digit2', altKey: true })
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('DNS'))
    expect(rail.querySelector('[aria-current="page"]')!.textContent).toContain('DNS')

    fireEvent.keyDown(window, { key: ',', code: 'Comma', ctrlKey: true })
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Settings'))
    expect(screen.getByRole('link', { name: /Settings/ }).getAttribute('aria-current')).toBe('page')
  })
})
