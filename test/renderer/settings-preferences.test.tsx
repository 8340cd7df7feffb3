// @vitest-environment jsdom
import './setup-dom'
import { act, fireEvent, screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { defaultSettings } from '../../src/shared/contract'
import { DropdeckError } from '../../src/shared/errors'
import { renderApp } from './render-app'

describe('Settings: preferences', () => {
  it('shows a validation error from settings.update under the field it is about', async () => {
    const { fake } = renderApp({}, '#/settings')
    const input = await screen.findByLabelText('Managed tag')
    fireEvent.change(input, { target: { value: 'not a tag!' } })
    fireEvent.submit(input.closest('form')!)

    expect(await screen.findByText('Letters, digits, "_", "-" and ":" only')).toBeTruthy()
    expect(input.getAttribute('aria-invalid')).toBe('true')
    expect(fake.settings.managedTag).toBe('deployed-via-api')
  })

  it('saves a valid change and follows settings.changed from elsewhere while not editing', async () => {
    const { fake } = renderApp({}, '#/settings')
    const user = (await screen.findByLabelText('Default SSH user')) as HTMLInputElement
    fireEvent.change(user, { target: { value: 'deploy' } })
    fireEvent.submit(user.closest('form')!)
    await waitFor(() => expect(fake.settings.defaultSshUser).toBe('deploy'))

    act(() => fake.emit('settings.changed', { ...fake.settings, alertThresholdPercent: 90 }))
    expect(((await screen.findByLabelText('Alert threshold')) as HTMLInputElement).value).toBe('90')
  })

  it('keeps an SSH user for the active team’s droplets; emptying it falls back to the default', async () => {
    const { fake } = renderApp({ settings: { digitaloceanContexts: ['default', 'ops'], digitaloceanContext: 'ops', sshUserByTeam: { default: 'admin' } } }, '#/settings')
    const field = (await screen.findByLabelText('SSH user for team “ops”')) as HTMLInputElement
    expect(field.value).toBe('')
    expect(field.placeholder).toBe('root')
    fireEvent.change(field, { target: { value: 'deploy' } })
    fireEvent.submit(field.closest('form')!)
    await waitFor(() => expect(fake.settings.sshUserByTeam).toEqual({ default: 'admin', ops: 'deploy' }))
    fireEvent.change(field, { target: { value: 'Not A User' } })
    fireEvent.submit(field.closest('form')!)
    expect(await screen.findByText(/POSIX user name/i)).toBeTruthy()
    expect(fake.settings.sshUserByTeam).toEqual({ default: 'admin', ops: 'deploy' })
    fireEvent.change(field, { target: { value: '' } })
    fireEvent.submit(field.closest('form')!)
    await waitFor(() => expect(fake.settings.sshUserByTeam).toEqual({ default: 'admin' }))
  })

  it('shows no SSH user for a team named "constructor" until one is set (own keys only)', async () => {
    const { fake } = renderApp({ settings: { digitaloceanContexts: ['default', 'constructor'], digitaloceanContext: 'constructor' } }, '#/settings')
    const field = (await screen.findByLabelText('SSH user for team “constructor”')) as HTMLInputElement
    expect(field.value).toBe('')
    fireEvent.change(field, { target: { value: 'ops' } })
    fireEvent.submit(field.closest('form')!)
    await waitFor(() => expect(fake.settings.sshUserByTeam).toEqual({ constructor: 'ops' }))
  })

  it('saves the theme and the enforcement switch as soon as they change', async () => {
    const { fake } = renderApp({}, '#/settings')
    fireEvent.click(await screen.findByRole('radio', { name: 'Dark' }))
    await waitFor(() => expect(fake.settings.theme).toBe('dark'))
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'))

    fireEvent.click(screen.getByRole('switch', { name: 'Enforce the managed tag' }))
    await waitFor(() => expect(fake.settings.managedTagEnforced).toBe(true))
  })

  it('shows a service failure that is not about one field', async () => {
    const { fake } = renderApp({}, '#/settings')
    fake.fail('settings.update', new DropdeckError('INTERNAL', 'The settings file could not be written.'))
    fireEvent.click(await screen.findByRole('switch', { name: 'Enforce the managed tag' }))
    expect(await screen.findByText('The settings file could not be written.')).toBeTruthy()
    expect(fake.settings).toEqual(defaultSettings)
  })
})
