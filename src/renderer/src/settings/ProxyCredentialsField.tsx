/**
 * Settings, Network: Basic credentials for a proxy that a PAC file or the system settings choose (an
 * HTTPS_PROXY carries its own). Kept in the keychain; never shown again once saved.
 */
import { useState, type FormEvent } from 'react'
import { errorMessage, fieldErrors } from '../rpc/errors'
import { FieldError } from './FieldError'
import { SettingRow } from './SettingRow'
import { useDeleteProxyCredentials, useSetProxyCredentials } from './network-queries'

export function ProxyCredentialsField({ canStore }: { canStore: boolean }) {
  const [proxy, setProxy] = useState('')
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const save = useSetProxyCredentials()
  const remove = useDeleteProxyCredentials()
  const failure = save.error ?? remove.error
  const error = failure ? (Object.values(fieldErrors(failure))[0] ?? errorMessage(failure)) : undefined
  const done = save.data ? `Stored for ${save.data.proxy}.` : remove.data ? `Removed for ${remove.data.proxy}.` : undefined

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    remove.reset()
    save.mutate({ proxy: proxy.trim(), username, password }, { onSuccess: () => setPassword('') })
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <SettingRow
        label="Proxy credentials"
        description="For a proxy your PAC file or system settings choose that asks for a user and password (Basic). NTLM and Negotiate need a local helper such as cntlm or px."
        descriptionId="proxy-credentials-description"
      >
        <div className="network-credentials">
          <input className="input network-credentials-proxy" aria-label="Proxy (host:port)" placeholder="proxy.corp:3128" value={proxy} onChange={(e) => setProxy(e.target.value)} spellCheck={false} autoComplete="off" />
          <input className="input" aria-label="Proxy user" placeholder="user" value={username} onChange={(e) => setUsername(e.target.value)} spellCheck={false} autoComplete="off" />
          <input className="input" aria-label="Proxy password" placeholder="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" />
          <div className="network-credentials-actions">
            <button type="submit" className="button button-primary" disabled={!canStore || !proxy || !username || save.isPending}>
              Save
            </button>
            <button
              type="button"
              className="button"
              disabled={!proxy || remove.isPending}
              onClick={() => {
                save.reset()
                remove.mutate({ proxy: proxy.trim() })
              }}
            >
              Remove
            </button>
          </div>
        </div>
        {done && !error && <p className="setting-row-description">{done}</p>}
        <FieldError id="proxy-credentials-error" message={error} />
      </SettingRow>
    </form>
  )
}
