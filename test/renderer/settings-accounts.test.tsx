// @vitest-environment jsdom
import './setup-dom'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Result } from '../../src/shared/contract'
import { DropdeckError } from '../../src/shared/errors'
import { renderApp } from './render-app'

type Account = Result<'accounts.status'>[number]

const valid: Account = { provider: 'digitalocean', state: 'valid', email: 'jake@insightpulseai.net', team: 'InsightPulse', tokenStatus: 'active', checkedAt: '2025-11-28T10:00:00Z' }
const expired: Account = { provider: 'cloudflare', state: 'invalid', tokenStatus: 'expired', message: 'Cloudflare says this token expired. Create a new API token and paste it above.', checkedAt: '2025-11-28T10:00:00Z' }

function setup(secretsSet?: NonNullable<Parameters<typeof renderApp>[0]>['handlers']) {
  const verified: string[] = []
  const switched: string[] = []
  let active = 'default'
  const contexts = [
    { name: 'default', hasToken: true },
    { name: 'data-team', hasToken: false }
  ]
  const view = renderApp(
    {
      tokens: { digitalocean: true, cloudflare: true },
      settings: { digitaloceanContexts: ['default', 'data-team'] },
      handlers: {
        'accounts.status': () => [valid, expired],
        'accounts.verify': ({ provider }) => {
          verified.push(provider)
          return provider === 'digitalocean' ? { ...valid, checkedAt: '2025-11-28T11:00:00Z' } : expired
        },
        'accounts.contexts': () => ({ active, contexts }),
        'accounts.useContext': ({ name }) => {
          switched.push(name)
          active = name
          return { active }
        },
        ...secretsSet
      }
    },
    '#/settings'
  )
  return { ...view, verified, switched }
}

describe('Settings: accounts and teams', () => {
  it('shows what each provider says about its token, and what to do when refused', async () => {
    setup()
    const digitalocean = screen.getByRole('form', { name: 'DigitalOcean token' })
    expect(await within(digitalocean).findByText('Valid')).toBeTruthy()
    expect(within(digitalocean).getByText(/jake@insightpulseai\.net · team InsightPulse/)).toBeTruthy()
    expect(within(digitalocean).getByText(/token active/)).toBeTruthy()

    const cloudflare = screen.getByRole('form', { name: 'Cloudflare token' })
    expect(await within(cloudflare).findByText('Refused')).toBeTruthy()
    expect(within(cloudflare).getByText(/Create a new API token and paste it above\./)).toBeTruthy()
  })

  it('verifies on request and again after a token is saved', async () => {
    const { verified } = setup()
    const cloudflare = screen.getByRole('form', { name: 'Cloudflare token' })
    fireEvent.click(await within(cloudflare).findByRole('button', { name: 'Verify' }))
    await waitFor(() => expect(verified).toEqual(['cloudflare']))

    const digitalocean = screen.getByRole('form', { name: 'DigitalOcean token' })
    const input = within(digitalocean).getByLabelText('DigitalOcean') as HTMLInputElement
    await waitFor(() => expect(input.disabled).toBe(false))
    fireEvent.change(input, { target: { value: 'dop_v1_new' } })
    fireEvent.submit(digitalocean)
    await waitFor(() => expect(verified).toEqual(['cloudflare', 'digitalocean']))
  })

  it('a token the provider refuses is not stored: the field keeps it, says why, and offers to store it anyway', async () => {
    const stored: Array<{ value: string; verify?: boolean }> = []
    const { fake } = setup({
      // what main answers: the provider refused the new token, the stored one is kept
      'secrets.set': ({ value, verify }) => {
        if (verify !== false) {
          throw new DropdeckError('AUTH_FAILED', 'DigitalOcean refused this token, so it was not stored. The token stored before is kept.', { data: { reason: 'token-refused', provider: 'digitalocean' } })
        }
        stored.push({ value, verify })
        return { digitalocean: true, cloudflare: true }
      }
    })
    const digitalocean = screen.getByRole('form', { name: 'DigitalOcean token' })
    const input = within(digitalocean).getByLabelText('DigitalOcean') as HTMLInputElement
    await waitFor(() => expect(input.disabled).toBe(false))
    fireEvent.change(input, { target: { value: 'dop_v1_typo' } })
    fireEvent.submit(digitalocean)
    expect(await within(digitalocean).findByText(/refused this token, so it was not stored\. The token stored before is kept\./)).toBeTruthy()
    expect(input.value).toBe('dop_v1_typo')
    expect(within(digitalocean).getByText(/Stored in/)).toBeTruthy()
    expect(stored).toEqual([])

    fireEvent.click(within(digitalocean).getByRole('button', { name: 'Store without checking' }))
    await waitFor(() => expect(stored).toEqual([{ value: 'dop_v1_typo', verify: false }]))
    await waitFor(() => expect(input.value).toBe(''))
    expect(within(digitalocean).queryByRole('button', { name: 'Store without checking' })).toBeNull()
    expect(fake.calls.filter((call) => call.method === 'secrets.set').map((call) => call.params)).toEqual([
      { key: 'digitalocean', value: 'dop_v1_typo' },
      { key: 'digitalocean', value: 'dop_v1_typo', verify: false }
    ])
  })

  it('switches team through accounts.useContext and adds a team with its own token', async () => {
    const { switched, fake } = setup()
    const select = (await screen.findByLabelText('Team')) as HTMLSelectElement
    await waitFor(() => expect(select.disabled).toBe(false))
    expect(within(select).getByRole('option', { name: 'data-team (no token)' })).toBeTruthy()
    fireEvent.change(select, { target: { value: 'data-team' } })
    await waitFor(() => expect(switched).toEqual(['data-team']))

    const form = screen.getByRole('form', { name: 'Add a DigitalOcean team' })
    fireEvent.change(within(form).getByLabelText('Team name'), { target: { value: 'Ops Team' } })
    fireEvent.change(within(form).getByLabelText('Team token'), { target: { value: 'dop_v1_ops' } })
    fireEvent.submit(form)
    expect(await within(form).findByText(/A team name uses lower-case letters/)).toBeTruthy()

    fireEvent.change(within(form).getByLabelText('Team name'), { target: { value: 'ops' } })
    fireEvent.submit(form)
    await waitFor(() => expect(fake.settings.digitaloceanContexts).toEqual(['default', 'data-team', 'ops']))
    await waitFor(() => expect(fake.calls.find((call) => call.method === 'secrets.set')?.params).toEqual({ key: 'digitalocean', value: 'dop_v1_ops', context: 'ops' }))
    await waitFor(() => expect((within(form).getByLabelText('Team token') as HTMLInputElement).value).toBe(''))
  })
})
