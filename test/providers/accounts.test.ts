/**
 * Accounts against the real stubs and a real Secret Service: tokens verified with the providers,
 * each outcome a state with a message that says what to do; DigitalOcean teams switched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { requestsTo, startWorld, type World } from './harness'

let keyring: SecretService
let w: World

beforeAll(async () => {
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  w = await startWorld()
})

afterAll(async () => {
  await w?.stop()
  await keyring?.stop()
})

describe('accounts', () => {
  it('verifies a good DigitalOcean token with GET /v2/account and shows whose it is', async () => {
    const from = w.dos.requests.length
    const state = await w.call('accounts.verify', { provider: 'digitalocean' })
    expect(state).toMatchObject({ provider: 'digitalocean', state: 'valid', name: 'ops@insightpulseai.net', email: 'ops@insightpulseai.net', team: 'InsightPulse AI', tokenStatus: 'active' })
    expect(state.message).toBeUndefined()
    expect(requestsTo(w.dos, 'GET', '/v2/account', from)).toEqual([expect.objectContaining({ status: 200, authorization: `Bearer ${w.dos.token}` })])
    const changed = w.eventsOf('accounts.changed').at(-1)!
    expect(changed.find((s) => s.provider === 'digitalocean')!.state).toBe('valid')
  })

  it('verifies a good Cloudflare token with GET /user/tokens/verify', async () => {
    const from = w.cf.requests.length
    const state = await w.call('accounts.verify', { provider: 'cloudflare' })
    expect(state).toMatchObject({ provider: 'cloudflare', state: 'valid', tokenStatus: 'active', expiresOn: '2027-01-01T00:00:00Z' })
    expect(state.name).toMatch(/^[0-9a-f]{32}$/)
    expect(requestsTo(w.cf, 'GET', '/client/v4/user/tokens/verify', from)).toHaveLength(1)
  })

  it('a refused DigitalOcean token never replaces the working one: not stored, the old one still works', async () => {
    const from = w.dos.requests.length
    const eventsFrom = w.events.length
    const err = await w.fail('secrets.set', { key: 'digitalocean', value: 'dop_v1_expired' })
    expect(err.code).toBe('AUTH_FAILED')
    expect(err.data).toMatchObject({ reason: 'token-refused', provider: 'digitalocean', state: { state: 'invalid' } })
    expect(err.message).toContain('DigitalOcean refused this token, so it was not stored. The token stored before is kept.')
    expect(err.message).toContain('Store without checking')
    // the candidate was sent to the provider; the stored token is untouched and still accepted
    expect(requestsTo(w.dos, 'GET', '/v2/account', from)).toEqual([expect.objectContaining({ status: 401, authorization: 'Bearer dop_v1_expired' })])
    expect(await w.secrets.token('digitalocean')).toBe(w.dos.token)
    expect(w.events.slice(eventsFrom).filter((e) => e.event === 'secrets.changed')).toEqual([])
    expect((await w.call('accounts.verify', { provider: 'digitalocean' })).state).toBe('valid')
  })

  it('a refused Cloudflare token is not stored either', async () => {
    const err = await w.fail('secrets.set', { key: 'cloudflare', value: 'not-the-token' })
    expect(err.code).toBe('AUTH_FAILED')
    expect(err.message).toContain('Cloudflare refused this token')
    expect(err.message).toContain('Invalid API Token')
    expect(await w.secrets.token('cloudflare')).toBe(w.cf.token)
  })

  it('a token that cannot be checked (provider down) is not stored, and says it can be retried', async () => {
    // the stub knows one good token: a stand-in stored before shows what is kept
    await w.call('secrets.set', { key: 'digitalocean', value: 'dop_v1_storedbefore', verify: false })
    w.dos.setFault({ kind: 'server-error', status: 503, match: { path: '/v2/account' } })
    try {
      const err = await w.fail('secrets.set', { key: 'digitalocean', value: w.dos.token })
      expect(err.code).toBe('UPSTREAM')
      expect(err.retryable).toBe(true)
      expect(err.data).toMatchObject({ reason: 'token-unverified', provider: 'digitalocean' })
      expect(err.message).toContain('could not be asked whether this token is good, so it was not stored')
      expect(await w.secrets.token('digitalocean')).toBe('dop_v1_storedbefore')
    } finally {
      w.dos.setFault(null)
      await w.call('secrets.set', { key: 'digitalocean', value: w.dos.token })
    }
  })

  it('a good new token is stored, and its verification answers accounts.status without asking again', async () => {
    await w.call('secrets.set', { key: 'digitalocean', value: w.dos.token })
    const from = w.dos.requests.length
    const states = await w.call('accounts.status', {})
    expect(states.find((s) => s.provider === 'digitalocean')).toMatchObject({ state: 'valid', email: 'ops@insightpulseai.net' })
    expect(w.dos.requests.length).toBe(from)
  })

  it('a refused token is invalid, with the provider\'s words and what to do (stored without checking, as the operator chose)', async () => {
    await w.call('secrets.set', { key: 'digitalocean', value: 'dop_v1_expired', verify: false })
    await w.call('secrets.set', { key: 'cloudflare', value: 'not-the-token', verify: false })
    expect(await w.secrets.token('digitalocean')).toBe('dop_v1_expired')
    try {
      const d = await w.call('accounts.verify', { provider: 'digitalocean' })
      expect(d.state).toBe('invalid')
      expect(d.message).toContain('Replace it in Settings')
      expect(d.message).toContain('Unable to authenticate you')
      const c = await w.call('accounts.verify', { provider: 'cloudflare' })
      expect(c.state).toBe('invalid')
      expect(c.message).toContain('Invalid API Token')
      expect(w.cf.requests.at(-1)).toMatchObject({ path: '/client/v4/user/tokens/verify', status: 401 })
    } finally {
      await w.call('secrets.set', { key: 'digitalocean', value: w.dos.token })
      await w.call('secrets.set', { key: 'cloudflare', value: w.cf.token })
    }
  })

  it('an unreachable provider is "unreachable", not "invalid"', async () => {
    w.dos.setFault({ kind: 'server-error', status: 503, match: { path: '/v2/account' } })
    try {
      const d = await w.call('accounts.verify', { provider: 'digitalocean' })
      expect(d.state).toBe('unreachable')
      expect(d.message).toContain('503')
    } finally {
      w.dos.setFault(null)
    }
  })

  it('a missing token is "missing" without asking the provider', async () => {
    await w.call('secrets.delete', { key: 'cloudflare' })
    const from = w.cf.requests.length
    try {
      const states = await w.call('accounts.status', {})
      expect(states.find((s) => s.provider === 'cloudflare')).toMatchObject({ state: 'missing', message: expect.stringContaining('Add one in Settings') })
      expect(w.cf.requests.length).toBe(from)
    } finally {
      await w.call('secrets.set', { key: 'cloudflare', value: w.cf.token })
    }
  })

  it('switches DigitalOcean teams: adds the context, reports its token, emits secrets.changed and accounts.changed', async () => {
    const before = await w.call('accounts.contexts', {})
    expect(before).toEqual({ active: 'default', contexts: [{ name: 'default', hasToken: true }] })
    const eventsFrom = w.events.length
    expect(await w.call('accounts.useContext', { name: 'staging-team' })).toEqual({ active: 'staging-team' })
    expect(await w.call('accounts.contexts', {})).toEqual({ active: 'staging-team', contexts: [{ name: 'default', hasToken: true }, { name: 'staging-team', hasToken: false }] })
    const after = w.events.slice(eventsFrom)
    expect(after.find((e) => e.event === 'secrets.changed')?.payload).toEqual({ digitalocean: false, cloudflare: true })
    // the new team has no token: its verification says "missing" (earlier events all said otherwise)
    const accounts = await w.waitForEvent('accounts.changed', (states) => states.some((s) => s.provider === 'digitalocean' && s.state === 'missing'))
    expect(accounts.find((s) => s.provider === 'cloudflare')!.state).not.toBe('missing')
    // the new team has no token: DigitalOcean calls say so, without a request
    const from = w.dos.requests.length
    const err = await w.fail('droplets.list', {})
    expect(err.code).toBe('AUTH_FAILED')
    expect(err.message).toContain('No DigitalOcean token is stored')
    expect(w.dos.requests.length).toBe(from)
    // its own token, then back to default
    await w.call('secrets.set', { key: 'digitalocean', value: w.dos.token, context: 'staging-team' })
    expect((await w.call('droplets.list', {})).length).toBeGreaterThan(0)
    await w.call('accounts.useContext', { name: 'default' })
    expect((await w.call('settings.get', {})).digitaloceanContexts).toEqual(['default', 'staging-team'])
    await w.call('secrets.delete', { key: 'digitalocean', context: 'staging-team' })
  })
})
