/**
 * Provider accounts: is each token there, accepted, and whose is it; DigitalOcean teams (contexts).
 * Verification asks the provider (GET /v2/account, GET /user/tokens/verify) and turns every outcome
 * into a state with a message that says what to do. A new token is verified the same way before it
 * is stored, so a mistyped or revoked one never replaces a token that works.
 */
import type { z } from 'zod'
import { AccountStateSchema, type Params, type Provider, type Result } from '../../../shared/contract'
import { DropdeckError } from '../../../shared/errors'
import type { EventBus } from '../../rpc/event-bus'
import type { SecretsService } from '../../secrets/secrets-service'
import type { SettingsStore } from '../../settings/settings-store'
import type { CfApi } from '../cloudflare/cf-api'
import type { DoApi } from '../digitalocean/do-api'

export type AccountState = z.infer<typeof AccountStateSchema>

const NAMES: Record<Provider, string> = { digitalocean: 'DigitalOcean', cloudflare: 'Cloudflare' }
const WHERE: Record<Provider, string> = {
  digitalocean: 'create one at cloud.digitalocean.com/account/api/tokens',
  cloudflare: 'create one at dash.cloudflare.com/profile/api-tokens'
}
/** How long a verification answers accounts.status before the provider is asked again. */
const FRESH_MS = 5 * 60_000

/** The provider clients a verification asks: the stored token's, or a candidate token's. */
interface ProviderApis {
  digitalocean: DoApi
  cloudflare: CfApi
}

export interface AccountsDeps extends ProviderApis {
  secrets: SecretsService
  settings: SettingsStore
  bus: EventBus
  /** Clients that send `token` instead of the stored one: a new token is asked about before it is kept. */
  withToken: (token: string) => ProviderApis
  log: (line: string) => void
}

export class AccountsService {
  private readonly states = new Map<Provider, AccountState>()

  constructor(private readonly deps: AccountsDeps) {}

  /** Forget verifications (a token or the active team changed). */
  invalidate(): void {
    this.states.clear()
  }

  async status(): Promise<AccountState[]> {
    const providers: Provider[] = ['digitalocean', 'cloudflare']
    return Promise.all(
      providers.map(async (provider) => {
        const known = this.states.get(provider)
        if (known && Date.now() - Date.parse(known.checkedAt) < FRESH_MS) return known
        return this.check(provider)
      })
    )
  }

  async verify(provider: Provider): Promise<AccountState> {
    const state = await this.check(provider)
    await this.emitChanged()
    return state
  }

  /**
   * secrets.set: the provider is asked about the new token first and the stored one is replaced
   * only when it is accepted. A refused token (AUTH_FAILED) or one that could not be checked
   * (UPSTREAM) leaves the stored token as it was; `verify: false` stores it anyway, at the
   * operator's explicit choice.
   */
  async storeToken({ key, value, context, verify }: Params<'secrets.set'>): Promise<Result<'secrets.set'>> {
    const settings = await this.deps.settings.get()
    const team = key === 'digitalocean' ? (context ?? settings.digitaloceanContext) : undefined
    if (verify === false) {
      this.deps.log(`accounts: storing a ${key} token without verifying it, as asked`)
      return this.deps.secrets.set(key, value, team)
    }
    const state = await this.askWith(key, this.deps.withToken(value))
    const name = NAMES[key]
    const whose = team && team !== 'default' ? ` for the team "${team}"` : ''
    const kept = (await this.deps.secrets.hasToken(key, team)) ? `The token stored before${whose} is kept.` : 'Nothing was stored.'
    if (state.state === 'invalid') {
      throw new DropdeckError('AUTH_FAILED', `${name} refused this token, so it was not stored. ${kept} ${state.message ?? ''} To keep it anyway, choose "Store without checking".`.trim(), {
        data: { reason: 'token-refused', provider: key, state }
      })
    }
    if (state.state === 'unreachable') {
      throw new DropdeckError('UPSTREAM', `${name} could not be asked whether this token is good, so it was not stored. ${kept} Try again, or choose "Store without checking". (${state.message ?? ''})`, {
        retryable: true,
        data: { reason: 'token-unverified', provider: key, state }
      })
    }
    const status = await this.deps.secrets.set(key, value, team)
    // The answer just given holds for the token now stored (secrets.changed cleared the cache).
    if (key !== 'digitalocean' || team === (await this.deps.settings.get()).digitaloceanContext) this.states.set(key, state)
    await this.emitChanged()
    return status
  }

  async contexts(): Promise<Result<'accounts.contexts'>> {
    const settings = await this.deps.settings.get()
    const contexts = await Promise.all(settings.digitaloceanContexts.map(async (name) => ({ name, hasToken: await this.deps.secrets.hasToken('digitalocean', name) })))
    return { active: settings.digitaloceanContext, contexts }
  }

  async useContext(name: string): Promise<Result<'accounts.useContext'>> {
    const settings = await this.deps.settings.get()
    const known = settings.digitaloceanContexts.includes(name)
    if (!known && settings.digitaloceanContexts.length >= 20) {
      throw new DropdeckError('BAD_REQUEST', `Dropdeck keeps at most 20 DigitalOcean teams; remove one in Settings before adding "${name}".`)
    }
    await this.deps.settings.update({ digitaloceanContext: name, digitaloceanContexts: known ? settings.digitaloceanContexts : [...settings.digitaloceanContexts, name] })
    this.invalidate()
    // Token presence is per team: tell every client, then re-verify the new team's token.
    await this.deps.secrets.changed()
    // Verifying the new team's token may take a while when DigitalOcean is unreachable: the switch
    // answers now, and accounts.changed follows when the verification does.
    void this.emitChanged().catch((err: unknown) => this.deps.log(`accounts: after switching to ${name}: ${(err as Error).message}`))
    return { active: name }
  }

  private async emitChanged(): Promise<void> {
    this.deps.bus.emit('accounts.changed', await this.status())
  }

  private async check(provider: Provider): Promise<AccountState> {
    const state = await this.ask(provider)
    this.states.set(provider, state)
    return state
  }

  private async ask(provider: Provider): Promise<AccountState> {
    const checkedAt = new Date().toISOString()
    const name = NAMES[provider]
    if (!(await this.deps.secrets.hasToken(provider, provider === 'digitalocean' ? (await this.deps.settings.get()).digitaloceanContext : undefined))) {
      return { provider, state: 'missing', message: `No ${name} token is stored. Add one in Settings (${WHERE[provider]}).`, checkedAt }
    }
    return this.askWith(provider, this.deps)
  }

  /** The provider's answer about the token `apis` send: valid, invalid or unreachable. */
  private async askWith(provider: Provider, apis: ProviderApis): Promise<AccountState> {
    const checkedAt = new Date().toISOString()
    const name = NAMES[provider]
    try {
      if (provider === 'digitalocean') {
        const account = await apis.digitalocean.account()
        const state: AccountState = { provider, state: 'valid', name: account.email, email: account.email, tokenStatus: account.status, checkedAt }
        if (account.team?.name) state.team = account.team.name
        if (account.status !== 'active') {
          state.message = `The DigitalOcean account is ${account.status}${account.status_message ? ` (${account.status_message})` : ''}: actions may be refused until it is active.`
        }
        return state
      }
      const token = await apis.cloudflare.verifyToken()
      const state: AccountState = { provider, state: token.status === 'active' ? 'valid' : 'invalid', name: token.id, tokenStatus: token.status, checkedAt }
      if (token.expires_on) state.expiresOn = token.expires_on
      if (token.status !== 'active') state.message = `The Cloudflare token is ${token.status}: ${WHERE.cloudflare} and replace it in Settings.`
      return state
    } catch (err) {
      const error = err instanceof DropdeckError ? err : new DropdeckError('UPSTREAM', String(err))
      if (error.code === 'AUTH_FAILED') {
        return { provider, state: 'invalid', message: `${name} refused the token: it is wrong, expired or revoked. Replace it in Settings (${WHERE[provider]}). ${error.message}`, checkedAt }
      }
      this.deps.log(`accounts: verifying ${provider} failed: ${error.message}`)
      return { provider, state: 'unreachable', message: `${name} could not be asked whether the token is good: ${error.message}`, checkedAt }
    }
  }
}
