/**
 * A text or number setting with its own Save: the draft is local until saved, so a settings.changed
 * event from elsewhere updates the field only while the operator is not editing it. The service
 * validates; its BAD_REQUEST message is shown under the field.
 */
import { useState, type FormEvent } from 'react'
import type { Settings } from '../../../shared/contract'
import { fieldErrors } from '../rpc/errors'
import { useUpdateSettings } from '../rpc/queries'
import { FieldError } from './FieldError'
import { SettingRow } from './SettingRow'

type TextKey = 'managedTag' | 'defaultSshUser' | 'alertThresholdPercent' | 'proxyAutoConfigUrl'

interface SettingTextFieldProps<K extends TextKey> {
  field: K
  label: string
  description: string
  value: Settings[K]
  /** A suffix shown inside the input, e.g. "%". */
  unit?: string
  numeric?: boolean
}

export function SettingTextField<K extends TextKey>({ field, label, description, value, unit, numeric }: SettingTextFieldProps<K>) {
  const [draft, setDraft] = useState<string | null>(null)
  const [localError, setLocalError] = useState<string>()
  const update = useUpdateSettings()
  const shown = draft ?? String(value)
  const dirty = draft !== null && draft !== String(value)
  const id = `setting-${field}`
  const serverErrors = update.error ? fieldErrors(update.error) : {}
  const error = localError ?? serverErrors[field] ?? serverErrors['']

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    if (!dirty) return
    const trimmed = shown.trim()
    // Only what JSON cannot carry is checked here (NaN would arrive as null); the service checks the rest.
    if (numeric && !/^-?\d+(\.\d+)?$/.test(trimmed)) {
      setLocalError('Enter a whole number.')
      return
    }
    const patch = { [field]: numeric ? Number(trimmed) : trimmed } as Partial<Settings>
    update.mutate(patch, { onSuccess: () => setDraft(null) })
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <SettingRow label={label} htmlFor={id} description={description} descriptionId={`${id}-description`}>
        <div className="inline-form">
          <span className={`input-wrap${unit ? ' has-unit' : ''}`}>
            <input
              id={id}
              className={`input${numeric ? ' input-number' : ''}`}
              inputMode={numeric ? 'numeric' : undefined}
              spellCheck={false}
              autoComplete="off"
              value={shown}
              aria-invalid={error ? true : undefined}
              aria-describedby={`${id}-description ${id}-error`}
              onChange={(event) => {
                setDraft(event.target.value)
                setLocalError(undefined)
                if (update.error) update.reset()
              }}
              onKeyDown={(event) => {
                if (event.key === 'Escape' && dirty) {
                  event.preventDefault()
                  setDraft(null)
                  setLocalError(undefined)
                  update.reset()
                }
              }}
            />
            {unit && <span className="input-unit">{unit}</span>}
          </span>
          <button type="submit" className="button" disabled={!dirty || update.isPending}>
            {update.isPending ? 'Saving…' : 'Save'}
          </button>
        </div>
        <FieldError id={`${id}-error`} message={error} />
      </SettingRow>
    </form>
  )
}
