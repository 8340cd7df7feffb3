/** Edits the host's picked units: a chip per unit name, saved with units.pick. */
import { useQueryClient } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { UnitNameSchema } from '../../../shared/contract/units'
import { useApi } from '../rpc/api-context'
import { ChipInput } from '../ui/ChipInput'
import { ErrorNotice } from '../ui/ErrorNotice'
import { healthKeys, usePickedUnits } from './health-queries'

export function PickUnitsForm({ hostId, onDone }: { hostId: string; onDone: () => void }) {
  const api = useApi()
  const client = useQueryClient()
  const id = useId()
  const picked = usePickedUnits(hostId, true)
  // the operator's edit once there is one, else the stored pick
  const [edited, setValues] = useState<string[] | null>(null)
  const values = edited ?? picked.data?.units ?? null
  const [saving, setSaving] = useState(false)
  const [failure, setFailure] = useState<unknown>(null)

  const save = (e: FormEvent) => {
    e.preventDefault()
    if (!values) return
    setSaving(true)
    setFailure(null)
    api
      .call('units.pick', { hostId, units: values })
      .then(
        async (r) => {
          client.setQueryData(healthKeys.picked(hostId), r)
          await client.invalidateQueries({ queryKey: healthKeys.units(hostId) })
          onDone()
        },
        (error: unknown) => setFailure(error)
      )
      .finally(() => setSaving(false))
  }

  return (
    <form className="hpick" onSubmit={save} aria-label={`Pick units on ${hostId}`}>
      <label htmlFor={id} className="small">
        Units that matter on {hostId}
      </label>
      {values === null ? (
        <p className="fleet-loading" role="status">Loading the pick…</p>
      ) : (
        <ChipInput
          id={id}
          values={values}
          onChange={setValues}
          noun="unit"
          placeholder="nginx, e2i-api.service…"
          addOnBlur
          normalize={(raw) => (UnitNameSchema.safeParse(raw).success ? { value: raw } : { error: `${raw} is not a systemd unit name` })}
        />
      )}
      {failure !== null && <ErrorNotice error={failure} title="The pick was not saved" />}
      <div className="hpick-actions">
        <button type="button" className="button button-small" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button button-small button-primary" disabled={saving || values === null}>
          {saving ? 'Saving…' : 'Save units'}
        </button>
      </div>
    </form>
  )
}
