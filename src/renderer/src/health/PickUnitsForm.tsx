/**
 * Edits the host's picked units: a chip per unit name, saved with units.pick. Offers the service
 * units the host has (units.available), failed ones first, then running ones, filtered by what is
 * typed; a name the host lacks can still be typed (a unit installed later) and is marked as such.
 */
import { useQueryClient } from '@tanstack/react-query'
import { useId, useMemo, useState, type FormEvent } from 'react'
import { UnitNameSchema, type AvailableUnit } from '../../../shared/contract/units'
import { contractKey, useContractMutation, useContractQuery } from '../rpc/contract-queries'
import { ChipInput } from '../ui/ChipInput'
import { ErrorNotice } from '../ui/ErrorNotice'
import { healthKeys, usePickedUnits } from './health-queries'

/** Offers shown at once; typing narrows the rest down. */
const SHOWN_OFFERS = 40

/** The name a pick stores: `nginx` for nginx.service, as operators say it. */
const pickName = (id: string) => id.replace(/\.service$/, '')
/** The id a picked name refers to: a name without a type suffix means `.service` (as systemctl reads it). */
const unitId = (name: string) => (/\.[a-z]+$/.test(name) ? name : `${name}.service`)

/** failed first, then running (active), then the rest; by name within each. */
function rank(u: AvailableUnit): number {
  if (u.activeState === 'failed') return 0
  if (u.activeState === 'active' || u.activeState === 'reloading' || u.activeState === 'activating') return 1
  return 2
}

function stateChip(u: AvailableUnit): { label: string; tone: string } {
  if (u.activeState === 'failed') return { label: 'failed', tone: 'danger' }
  if (u.activeState === 'active') return { label: u.subState === 'running' ? 'running' : u.subState, tone: 'ok' }
  if (u.activeState === 'inactive') return { label: u.unitFileState === 'enabled' ? 'inactive, enabled' : 'inactive', tone: 'muted' }
  return { label: u.activeState, tone: 'warn' }
}

export function PickUnitsForm({ hostId, onDone }: { hostId: string; onDone: () => void }) {
  const client = useQueryClient()
  const id = useId()
  const picked = usePickedUnits(hostId, true)
  const available = useContractQuery('units.available', { hostId })
  // the operator's edit once there is one, else the stored pick
  const [edited, setValues] = useState<string[] | null>(null)
  const [draft, setDraft] = useState('')
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

  const hostIds = useMemo(() => (available.data ? new Set(available.data.map((u) => u.id)) : null), [available.data])
  const offers = useMemo(() => {
    if (!available.data || !values) return []
    const taken = new Set(values.map(unitId))
    const needle = draft.trim().toLowerCase()
    return available.data
      .filter((u) => !taken.has(u.id) && (!needle || u.id.toLowerCase().includes(needle) || u.description.toLowerCase().includes(needle)))
      .sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id))
  }, [available.data, values, draft])

  const save = (e: FormEvent) => {
    e.preventDefault()
    if (!values) return
    pick.mutate({ hostId, units: values })
  }

  const offer = (u: AvailableUnit) => {
    if (!values) return
    setValues([...values, pickName(u.id)])
    setDraft('')
  }

  const noSystemd = available.isError && /does not run systemd|systemd is not running|has no systemctl/.test(available.error.message)

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
          placeholder={available.data?.length ? 'Type to filter the host’s units, or a unit name…' : 'nginx, e2i-api.service…'}
          addOnBlur
          draft={draft}
          onDraftChange={setDraft}
          chipNote={(v) => (hostIds && !hostIds.has(unitId(v)) ? 'not on this host' : undefined)}
          normalize={(raw) => (UnitNameSchema.safeParse(raw).success ? { value: raw } : { error: `${raw} is not a systemd unit name` })}
        />
      )}
      {available.isPending ? (
        <p className="faint small" role="status">Reading the units on {hostId}…</p>
      ) : noSystemd ? (
        <p className="faint small">{hostId} does not run systemd: no units to offer.</p>
      ) : available.isError ? (
        <p className="faint small">The units on {hostId} could not be listed ({available.error.message}); type unit names instead.</p>
      ) : values !== null && offers.length > 0 ? (
        <ul className="hpick-offers" aria-label={`Units on ${hostId}`}>
          {offers.slice(0, SHOWN_OFFERS).map((u) => {
            const c = stateChip(u)
            return (
              <li key={u.id}>
                <button type="button" className="hpick-offer" onClick={() => offer(u)} aria-label={`Pick ${pickName(u.id)} (${c.label})`} title={u.description || u.id}>
                  <span className="mono">{pickName(u.id)}</span>
                  <span className={`hchip hchip-${c.tone}`}>{c.label}</span>
                  {u.description && <span className="faint small hpick-desc">{u.description}</span>}
                </button>
              </li>
            )
          })}
          {offers.length > SHOWN_OFFERS && <li className="faint small">{offers.length - SHOWN_OFFERS} more: type to narrow them down.</li>}
        </ul>
      ) : values !== null && available.data ? (
        <p className="faint small">{draft.trim() ? `No unit on ${hostId} matches “${draft.trim()}”; Enter adds it anyway.` : `Every service unit on ${hostId} is picked.`}</p>
      ) : null}
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
