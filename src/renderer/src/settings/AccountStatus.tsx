/**
 * What the provider says about a stored token (accounts.status / accounts.verify): the account,
 * the token's status, or what is wrong and what to do. A Verify button asks again.
 */
import { CircleAlert, CircleCheck, CircleDashed, WifiOff } from 'lucide-react'
import type { Provider } from '../../../shared/contract'
import { formatTime, providerNames } from '../fleet/format'
import { errorMessage } from '../rpc/errors'
import { useAccounts, useVerifyAccount, type AccountState } from '../rpc/provider-queries'

export function AccountStatus({ provider, stored }: { provider: Provider; stored: boolean | undefined }) {
  const accounts = useAccounts()
  const verify = useVerifyAccount()
  const state = accounts.data?.find((entry) => entry.provider === provider)
  const busy = verify.isPending && verify.variables === provider

  return (
    <div className="account-status" aria-live="polite">
      <div className="account-status-text">
        {busy ? (
          <span className="account-line faint">
            <CircleDashed size={13} className="spin" aria-hidden="true" />
            Verifying with {providerNames[provider]}…
          </span>
        ) : verify.error && verify.variables === provider ? (
          <span className="account-line account-invalid">
            <CircleAlert size={13} aria-hidden="true" />
            Could not verify: {errorMessage(verify.error)}
          </span>
        ) : state && stored !== false ? (
          <AccountLine state={state} />
        ) : accounts.isError && stored ? (
          <span className="account-line faint">Not verified yet: {errorMessage(accounts.error)}</span>
        ) : stored ? (
          <span className="account-line faint">Not verified yet.</span>
        ) : null}
      </div>
      {stored && (
        <button type="button" className="button button-small" disabled={busy} onClick={() => verify.mutate(provider)}>
          Verify
        </button>
      )}
    </div>
  )
}

function AccountLine({ state }: { state: AccountState }) {
  const checked = <span className="faint"> · checked {formatTime(state.checkedAt)}</span>
  if (state.state === 'valid') {
    const who = [state.email ?? state.name, state.team && `team ${state.team}`].filter(Boolean).join(' · ')
    return (
      <span className="account-line account-valid">
        <CircleCheck size={13} aria-hidden="true" />
        <span>
          <strong>Valid</strong>
          {who && <span> · {who}</span>}
          {state.tokenStatus && <span className="faint"> · token {state.tokenStatus}</span>}
          {state.expiresOn && <span className="faint"> · expires {state.expiresOn.slice(0, 10)}</span>}
          {checked}
        </span>
      </span>
    )
  }
  if (state.state === 'missing') return null
  const Icon = state.state === 'invalid' ? CircleAlert : WifiOff
  const fallback =
    state.state === 'invalid'
      ? `${providerNames[state.provider]} refused this token. Create a new one and paste it above.`
      : `${providerNames[state.provider]} did not answer. Check the network or proxy, then Verify again.`
  return (
    <span className={`account-line ${state.state === 'invalid' ? 'account-invalid' : 'account-unreachable'}`}>
      <Icon size={13} aria-hidden="true" />
      <span>
        <strong>{state.state === 'invalid' ? 'Refused' : 'Unreachable'}</strong>
        {state.tokenStatus && <span> · token {state.tokenStatus}</span>}
        <span> — {state.message ?? fallback}</span>
        {checked}
      </span>
    </span>
  )
}
