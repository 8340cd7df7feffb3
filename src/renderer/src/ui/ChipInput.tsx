/**
 * A list of words as removable chips with a field to add one: Enter, "," or the Add button adds
 * what is typed (several at once when pasted with spaces or commas); Backspace in the empty field
 * removes the last chip. `normalize` returns the value to add, or an error message to show.
 */
import { Plus, X } from 'lucide-react'
import { useId, useState, type KeyboardEvent } from 'react'

interface ChipInputProps {
  /** The input's id, so a <label htmlFor> names it. */
  id: string
  values: string[]
  onChange: (values: string[]) => void
  /** What a chip is, for the remove buttons' labels: "Remove tag web". */
  noun: string
  placeholder?: string
  /** Offered while typing (a <datalist>). */
  suggestions?: string[]
  normalize?: (raw: string) => { value: string } | { error: string }
  disabled?: boolean
  /** An error from outside (the service), shown like a local one. */
  error?: string
  describedBy?: string
  mono?: boolean
  /** Add what is typed when the field loses focus (for forms submitted as a whole). */
  addOnBlur?: boolean
  /** The typed text, when the parent needs it (to filter its own list of offers) and to clear it. */
  draft?: string
  onDraftChange?: (draft: string) => void
  /** A faint note after a chip's value (e.g. "not on this host"); none when it returns undefined. */
  chipNote?: (value: string) => string | undefined
}

export function ChipInput({ id, values, onChange, noun, placeholder, suggestions, normalize, disabled, error, describedBy, mono = true, addOnBlur = false, draft: givenDraft, onDraftChange, chipNote }: ChipInputProps) {
  const [ownDraft, setOwnDraft] = useState('')
  const draft = givenDraft ?? ownDraft
  const setDraft = (next: string) => {
    setOwnDraft(next)
    onDraftChange?.(next)
  }
  const [localError, setLocalError] = useState<string>()
  const listId = useId()
  const shownError = localError ?? error

  const add = () => {
    const parts = draft.split(/[\s,]+/).filter(Boolean)
    if (parts.length === 0) return
    const next = [...values]
    for (const part of parts) {
      const result = normalize ? normalize(part) : { value: part.trim() }
      if ('error' in result) {
        setLocalError(result.error)
        return
      }
      if (!next.includes(result.value)) next.push(result.value)
    }
    setDraft('')
    setLocalError(undefined)
    if (next.length !== values.length) onChange(next)
  }

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' || event.key === ',') {
      event.preventDefault()
      add()
    } else if (event.key === 'Backspace' && draft === '' && values.length > 0) {
      event.preventDefault()
      onChange(values.slice(0, -1))
    }
  }

  return (
    <div className="chip-input">
      {values.length > 0 && (
        <ul className="chips chips-wrap chip-input-list" aria-label={`${noun[0].toUpperCase()}${noun.slice(1)}s`}>
          {values.map((value) => {
            const note = chipNote?.(value)
            return (
              <li key={value} className={`chip chip-removable${mono ? ' mono-chip' : ''}`}>
                {value}
                {note && <span className="chip-note">{note}</span>}
                <button type="button" className="chip-remove" aria-label={`Remove ${noun} ${value}`} disabled={disabled} onClick={() => onChange(values.filter((v) => v !== value))}>
                  <X size={11} aria-hidden="true" />
                </button>
              </li>
            )
          })}
        </ul>
      )}
      <div className="chip-input-add">
        <input
          id={id}
          className={`input input-small${mono ? ' input-mono' : ''}`}
          placeholder={placeholder}
          value={draft}
          disabled={disabled}
          spellCheck={false}
          autoComplete="off"
          list={suggestions?.length ? listId : undefined}
          aria-invalid={shownError ? true : undefined}
          aria-describedby={[describedBy, shownError ? `${id}-error` : undefined].filter(Boolean).join(' ') || undefined}
          onChange={(event) => {
            setDraft(event.target.value)
            setLocalError(undefined)
          }}
          onKeyDown={onKeyDown}
          onBlur={() => {
            // A typed value left in the field would be silently dropped on submit; keep it instead.
            if (addOnBlur && draft.trim()) add()
          }}
        />
        <button type="button" className="button button-small" disabled={disabled || !draft.trim()} onClick={add}>
          <Plus size={12} aria-hidden="true" />
          Add
        </button>
        {suggestions?.length ? (
          <datalist id={listId}>
            {suggestions
              .filter((s) => !values.includes(s))
              .map((s) => (
                <option key={s} value={s} />
              ))}
          </datalist>
        ) : null}
      </div>
      {shownError && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {shownError}
        </p>
      )}
    </div>
  )
}
