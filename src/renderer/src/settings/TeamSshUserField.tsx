/**
 * The SSH user for the active DigitalOcean team's droplets, when that team's droplets log in as
 * someone other than the default user (one team on `root`, another on `deploy`). Empty falls back to
 * the default. The service validates; its message is shown under the field.
 */
import { useState, type FormEvent } from 'react'
import type { Settings } from '../../../shared/contract'
import { fieldErrors } from '../rpc/errors'
import { useUpdateSettings } from '../rpc/queries'
import { FieldError } from './FieldError'
import { SettingRow } from './SettingRow'

export function TeamSshUserField({ settings }: { settings: Settings }) {
  const team = settings.digitaloceanContext
  const saved = Object.hasOwn(settings.sshUserByTeam, team) ? settings.sshUserByTeam[team] : ''
  const [draft, setDraft] = useState<{ team: string; value: string } | null>(null)
  const update = useUpdateSettings()
  // A draft belongs to the team it was typed for: switching teams shows the other team's value.
  const shown = draft && draft.team === team ? draft.value : saved
  const dirty = shown.trim() !== saved
  const id = 'setting-team-ssh-user'
  const errors = update.error ? fieldErrors(update.error) : {}
  const error = errors.sshUserByTeam ?? errors['']

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    if (!dirty) return
    const value = shown.trim()
    const { [team]: _previous, ...others } = settings.sshUserByTeam
    update.mutate({ sshUserByTeam: value ? { ...others, [team]: value } : others }, { onSuccess: () => setDraft(null) })
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <SettingRow
        label={`SSH user for team “${team}”`}
        htmlFor={id}
        description={`For this team’s droplets; empty uses the default (${settings.defaultSshUser}).`}
        descriptionId={`${id}-description`}
      >
        <div className="inline-form">
          <input
            id={id}
            className="input"
            spellCheck={false}
            autoComplete="off"
            placeholder={settings.defaultSshUser}
            value={shown}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${id}-description ${id}-error`}
            onChange={(event) => {
              setDraft({ team, value: event.target.value })
              if (update.error) update.reset()
            }}
            onKeyDown={(event) => {
              if (event.key === 'Escape' && dirty) {
                event.preventDefault()
                setDraft(null)
                update.reset()
              }
            }}
          />
          <button type="submit" className="button" disabled={!dirty || update.isPending}>
            {update.isPending ? 'Saving…' : 'Save'}
          </button>
        </div>
        <FieldError id={`${id}-error`} message={error} />
      </SettingRow>
    </form>
  )
}
