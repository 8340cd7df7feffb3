/**
 * One provider token. Write-only: the field never holds a stored value, is cleared after a save,
 * and the status says only where the token is kept. The provider checks a new token before it
 * replaces the stored one; after a refusal the field keeps it, and the operator may store it anyway.
 */
import { useState, type FormEvent, type ReactNode } from 'react'
import type { SecretKey } from '../../../shared/contract'
import { fieldErrors } from '../rpc/errors'
import { useDeleteSecret, useSetSecret } from '../rpc/queries'
import { ConfirmDialog } from '../ui/ConfirmDialog'
import { FieldError } from './FieldError'
import { StoreUncheckedButton } from './StoreUncheckedButton'

interface TokenFieldProps {
  secretKey: SecretKey
  name: string
  description: string
  placeholder: string
  stored: boolean | undefined
  backend: string | undefined
  /** False when the keychain cannot store anything; saving is disabled then. */
  canStore: boolean
  /** Called after a token is saved (the account is verified again then). */
  onSaved?: () => void
  /** What the provider says about the stored token, under the field. */
  children?: ReactNode
}

export function TokenField({ secretKey, name, description, placeholder, stored, backend, canStore, onSaved, children }: TokenFieldProps) {
  const [value, setValue] = useState('')
  const [confirming, setConfirming] = useState(false)
  const save = useSetSecret()
  const remove = useDeleteSecret()
  const inputId = `token-input-${secretKey}`
  const errorId = `${inputId}-error`
  const error = save.error ? (fieldErrors(save.error).value ?? Object.values(fieldErrors(save.error))[0]) : remove.error ? Object.values(fieldErrors(remove.error))[0] : undefined

  const store = (verify?: false) => {
    if (!value || !canStore) return
    remove.reset()
    save.mutate(
      { key: secretKey, value, verify },
      {
        onSuccess: () => {
          setValue('')
          onSaved?.()
        }
      }
    )
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    store()
  }

  return (
    <form className="token-field" onSubmit={onSubmit} aria-label={`${name} token`} noValidate>
      <div className="token-field-head">
        <label className="setting-row-label" htmlFor={inputId}>
          {name}
        </label>
        <TokenStatus stored={stored} backend={backend} />
      </div>
      <p className="setting-row-description">{description}</p>
      <div className="token-field-controls">
        <input
          id={inputId}
          className="input input-mono"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder={stored ? 'Paste a new token to replace the stored one' : placeholder}
          value={value}
          disabled={!canStore}
          aria-invalid={error ? true : undefined}
          aria-describedby={errorId}
          onChange={(event) => {
            setValue(event.target.value)
            if (save.error) save.reset()
          }}
        />
        <button type="submit" className="button button-primary" disabled={!canStore || !value || save.isPending}>
          {save.isPending ? 'Saving…' : stored ? 'Replace' : 'Save'}
        </button>
        {stored && (
          <button type="button" className="button" onClick={() => setConfirming(true)} disabled={remove.isPending}>
            Remove
          </button>
        )}
      </div>
      <FieldError id={errorId} message={error} />
      <StoreUncheckedButton error={save.error} busy={save.isPending} onStore={() => store(false)} />
      {children}
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Remove the ${name} token?`}
        description={`Dropdeck deletes it from ${backend ?? 'the OS keychain'}. Everything that uses ${name} stops working until you add a token again.`}
        confirmLabel="Remove token"
        busy={remove.isPending}
        onConfirm={() => {
          save.reset()
          remove.mutate({ key: secretKey }, { onSettled: () => setConfirming(false) })
        }}
      />
    </form>
  )
}

function TokenStatus({ stored, backend }: { stored: boolean | undefined; backend: string | undefined }) {
  if (stored === undefined) return <span className="status status-unknown">Status unknown</span>
  if (!stored) return <span className="status status-off">Not set</span>
  return <span className="status status-on">Stored in {backend ?? 'the OS keychain'}</span>
}
