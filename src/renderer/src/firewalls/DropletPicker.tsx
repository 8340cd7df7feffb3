/**
 * Choose droplets by name from the cached droplet list: a filter, a checkbox per droplet, the
 * chosen ones as removable chips. Droplets already attached show as such and cannot be chosen.
 */
import { Search, X } from 'lucide-react'
import { useMemo, useState } from 'react'
import { dropletMatches } from '../droplets/droplet-columns'
import type { Droplet } from '../rpc/provider-queries'

/** A dialog lists at most this many at once; the filter finds the rest. */
const MAX_SHOWN = 150

interface DropletPickerProps {
  id: string
  droplets: Droplet[]
  selected: number[]
  onChange: (ids: number[]) => void
  /** Already attached: shown checked and disabled. */
  attached?: ReadonlySet<number>
  invalid?: boolean
  describedBy?: string
}

export function DropletPicker({ id, droplets, selected, onChange, attached, invalid, describedBy }: DropletPickerProps) {
  const [query, setQuery] = useState('')
  const sorted = useMemo(() => [...droplets].sort((a, b) => a.name.localeCompare(b.name)), [droplets])
  const matching = useMemo(() => sorted.filter((droplet) => dropletMatches(droplet, query)), [sorted, query])
  const shown = matching.slice(0, MAX_SHOWN)
  const chosen = new Set(selected)
  const byId = useMemo(() => new Map(droplets.map((droplet) => [droplet.id, droplet])), [droplets])
  const selectable = matching.filter((droplet) => !attached?.has(droplet.id) && !chosen.has(droplet.id))

  const toggle = (dropletId: number, on: boolean) => onChange(on ? [...selected, dropletId] : selected.filter((entry) => entry !== dropletId))

  return (
    <div className={`picker${invalid ? ' is-invalid' : ''}`}>
      <div className="picker-head">
        <div className="filter picker-filter">
          <Search size={12} className="filter-icon" aria-hidden="true" />
          <input
            id={id}
            className="input input-small filter-input"
            placeholder={`Filter ${droplets.length} droplets by name, IP, tag or region`}
            value={query}
            spellCheck={false}
            autoComplete="off"
            aria-describedby={describedBy}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              // Enter in the filter picks the only match instead of submitting the form.
              if (event.key === 'Enter') {
                event.preventDefault()
                if (selectable.length === 1) {
                  toggle(selectable[0].id, true)
                  setQuery('')
                }
              }
            }}
          />
        </div>
        {query.trim() && selectable.length > 1 && (
          <button type="button" className="button button-small" onClick={() => onChange([...selected, ...selectable.map((droplet) => droplet.id)])}>
            Select {selectable.length} shown
          </button>
        )}
      </div>
      {selected.some((dropletId) => !attached?.has(dropletId)) && (
        <ul className="chips chips-wrap picker-chosen" aria-label="Chosen droplets">
          {selected.filter((dropletId) => !attached?.has(dropletId)).map((dropletId) => {
            const name = byId.get(dropletId)?.name ?? `#${dropletId}`
            return (
              <li key={dropletId} className="chip chip-removable chip-chosen">
                {name}
                <button type="button" className="chip-remove" aria-label={`Remove droplet ${name}`} onClick={() => toggle(dropletId, false)}>
                  <X size={11} aria-hidden="true" />
                </button>
              </li>
            )
          })}
        </ul>
      )}
      <ul className="picker-list" aria-label="Droplets to choose from">
        {shown.length === 0 && <li className="picker-empty faint">{droplets.length === 0 ? 'No droplets loaded.' : `No droplet matches “${query}”.`}</li>}
        {shown.map((droplet) => {
          const isAttached = attached?.has(droplet.id) ?? false
          return (
            <li key={droplet.id}>
              <label className={`picker-row${isAttached ? ' is-attached' : ''}`}>
                <input type="checkbox" checked={isAttached || chosen.has(droplet.id)} disabled={isAttached} onChange={(event) => toggle(droplet.id, event.target.checked)} />
                <span className="picker-name">{droplet.name}</span>
                <span className="picker-meta">
                  {isAttached ? 'attached' : [droplet.region, droplet.publicIpv4].filter(Boolean).join(' · ')}
                </span>
              </label>
            </li>
          )
        })}
        {matching.length > shown.length && <li className="picker-empty faint">{matching.length - shown.length} more: filter to find them.</li>}
      </ul>
    </div>
  )
}
