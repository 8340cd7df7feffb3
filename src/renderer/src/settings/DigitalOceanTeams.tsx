/**
 * DigitalOcean teams (doctl's "contexts"): which one Dropdeck uses, and adding another. A team is a
 * name in settings plus its own token in the keychain (`secrets.set` with `context`).
 */
import { useQueryClient } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { ContextNameSchema } from '../../../shared/contract'
import { errorMessage, fieldErrors } from '../rpc/errors'
import { providerKeys, useContexts, useSwitchContext, useVerifyAccount } from '../rpc/provider-queries'
import { useSetSecret, useSettings, useUpdateSettings } from '../rpc/queries'
import { FieldError } from './FieldError'
import { StoreUncheckedButton } from './StoreUncheckedButton'
import { SettingRow } from './SettingRow'

export function DigitalOceanTeams({ canStore }: { canStore: boolean }) {
  const contexts = useContexts()
  const switchTo = useSwitchContext()
  const verify = useVerifyAccount()

  const list = contexts.data?.contexts ?? []
  const active = contexts.data?.active
  const switchError = switchTo.error ? errorMessage(switchTo.error) : undefined

  return (
    <>
      <SettingRow
        label="Team"
        htmlFor="do-context"
        description={contexts.isError ? `Teams could not be read: ${errorMessage(contexts.error)}` : 'Droplets and DigitalOcean DNS come from this team. Each team has its own token.'}
      >
        <select
          id="do-context"
          className="input"
          value={active ?? ''}
          disabled={!contexts.data || switchTo.isPending}
          onChange={(event) => switchTo.mutate(event.target.value, { onSuccess: () => verify.mutate('digitalocean') })}
        >
          {!contexts.data && <option value="">{contexts.isError ? 'Unavailable' : 'Loading…'}</option>}
          {list.map((context) => (
            <option key={context.name} value={context.name}>
              {context.name}
              {context.hasToken ? '' : ' (no token)'}
            </option>
          ))}
        </select>
        <FieldError id="do-context-error" message={switchError} />
      </SettingRow>
      <AddTeam canStore={canStore} existing={list.map((context) => context.name)} />
    </>
  )
}

function AddTeam({ canStore, existing }: { canStore: boolean; existing: string[] }) {
  const client = useQueryClient()
  const settings = useSettings().data
  const updateSettings = useUpdateSettings()
  const setSecret = useSetSecret()
  const [name, setName] = useState('')
  const [token, setToken] = useState('')
  const [nameError, setNameError] = useState<string>()
  const id = useId()
  const busy = updateSettings.isPending || setSecret.isPending
  const tokenErrors = setSecret.error ? fieldErrors(setSecret.error) : {}
  const tokenError = tokenErrors.value ?? (setSecret.error && !tokenErrors.context ? Object.values(tokenErrors)[0] : undefined)
  const settingsError = updateSettings.error ? Object.values(fieldErrors(updateSettings.error))[0] : undefined

  const onSubmit = async (event: FormEvent | undefined, verify?: false) => {
    event?.preventDefault()
    const trimmed = name.trim()
    const parsed = ContextNameSchema.safeParse(trimmed)
    if (!parsed.success) {
      setNameError(`A team name uses ${parsed.error.issues[0]?.message ?? 'lower-case letters, digits and "-"'}.`)
      return
    }
    if (!token) return
    try {
      const known = settings?.digitaloceanContexts ?? existing
      if (!known.includes(trimmed)) await updateSettings.mutateAsync({ digitaloceanContexts: [...known, trimmed] })
      await setSecret.mutateAsync({ key: 'digitalocean', value: token, context: trimmed, verify })
      setName('')
      setToken('')
      void client.invalidateQueries({ queryKey: providerKeys.contexts })
    } catch {
      // Shown under the fields from the mutations' errors.
    }
  }

  return (
    <form className="add-team" onSubmit={(event) => void onSubmit(event)} noValidate aria-label="Add a DigitalOcean team">
      <div className="setting-row-text">
        <span className="setting-row-label">Add a team</span>
        <p className="setting-row-description">A name for the team and a token created in that team.</p>
      </div>
      <div className="add-team-controls">
        <input
          id={`${id}-name`}
          className="input input-mono"
          placeholder="team-name"
          aria-label="Team name"
          value={name}
          disabled={!canStore}
          aria-invalid={nameError || settingsError ? true : undefined}
          onChange={(event) => {
            setName(event.target.value)
            setNameError(undefined)
            updateSettings.reset()
          }}
        />
        <input
          id={`${id}-token`}
          className="input input-mono"
          type="password"
          autoComplete="off"
          placeholder="dop_v1_…"
          aria-label="Team token"
          value={token}
          disabled={!canStore}
          aria-invalid={tokenError ? true : undefined}
          onChange={(event) => {
            setToken(event.target.value)
            setSecret.reset()
          }}
        />
        <button type="submit" className="button" disabled={!canStore || !name.trim() || !token || busy}>
          {busy ? 'Adding…' : 'Add team'}
        </button>
      </div>
      <FieldError id={`${id}-name-error`} message={nameError ?? settingsError} />
      <FieldError id={`${id}-token-error`} message={tokenError} />
      <StoreUncheckedButton error={setSecret.error} busy={busy} onStore={() => void onSubmit(undefined, false)} />
    </form>
  )
}
