/** A droplet's tags as chips, each removable, and a field to add one (tag/untag through droplets.tag). */
import { Plus, X } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { fieldErrors } from '../rpc/errors'
import type { Droplet } from '../rpc/provider-queries'
import { ErrorNotice } from '../ui/ErrorNotice'
import { useDropletTag } from './use-droplet-mutations'

export function DropletTags({ droplet, locked, unlock, onUsedUnlock }: { droplet: Droplet; locked: boolean; unlock: boolean; onUsedUnlock: () => void }) {
  const tag = useDropletTag(droplet)
  const [draft, setDraft] = useState('')
  const fields = tag.error ? fieldErrors(tag.error) : {}

  const run = (name: string, remove: boolean) => {
    tag.mutate(
      { tag: name, remove, unlock },
      {
        onSuccess: () => {
          if (!remove) setDraft('')
          onUsedUnlock()
        }
      }
    )
  }
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    if (draft.trim()) run(draft.trim(), false)
  }

  return (
    <div className="dtags">
      <div className="chips chips-wrap">
        {droplet.tags.length === 0 && <span className="faint">No tags</span>}
        {droplet.tags.map((name) => (
          <span key={name} className="chip chip-removable">
            {name}
            <button type="button" className="chip-remove" aria-label={`Remove tag ${name}`} disabled={locked || tag.isPending} onClick={() => run(name, true)}>
              <X size={11} aria-hidden="true" />
            </button>
          </span>
        ))}
      </div>
      <form className="dtags-add" onSubmit={onSubmit} noValidate>
        <input
          className="input input-mono input-small"
          placeholder="add-tag"
          aria-label="New tag"
          value={draft}
          disabled={locked}
          aria-invalid={fields.tag ? true : undefined}
          onChange={(event) => {
            setDraft(event.target.value)
            if (tag.error) tag.reset()
          }}
        />
        <button type="submit" className="button button-small" disabled={locked || !draft.trim() || tag.isPending}>
          <Plus size={12} aria-hidden="true" />
          Tag
        </button>
      </form>
      {tag.error && (fields.tag ? <p className="field-error">{fields.tag}</p> : <ErrorNotice error={tag.error} onDismiss={() => tag.reset()} />)}
    </div>
  )
}
