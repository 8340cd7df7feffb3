/** Edits the host's picked units: a chip per unit name, saved with units.pick. */
import { useQueryClient } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { UnitNameSchema } from '../../../shared/contract/units'
import { contractKey, useContractMutation } from '../rpc/contract-queries'
import { ChipInput } from '../ui/ChipInput'
import { ErrorNotice } from '../ui/ErrorNotice'
import { healthKeys, usePickedUnits } from './health-queries'

export function PickUnitsForm({ hostId, onDone }: { hostId: string; onDone: () => void }) {
  const client = useQueryClient()
  const id = useId()
  const picked = usePickedUnits(hostId, true)
  // the operator's edit once there is one, else the stored pick
  const [edited, setValues] = useState<string[] | null>(null)
  const values = edited ?? picked.data?.units ?? null
  const pick = useContractMutation('units.pick', {
    onSuccess: async (r) => {
      client.setQueryData(contractKey('units.picked', { hostId }), r)
      // the units' states are read for the new pick
      await client.invalidateQueries({ queryKey: healthKeys.units(hostId) })
      onDone()
    }
  })
  const saving = pick.isPending
  const failure = pick.isError ? pick.error : null

  const save = (e: FormEvent) => {
    e.preventDefault()
    if (!values) return
    pick.mutate({ hostId, units: values })
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
