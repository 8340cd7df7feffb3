/**
 * The Droplets area: a filterable, sortable, virtualized table of the team's droplets with the
 * count and monthly cost, and a side sheet for the one opened. The last good list stays on screen,
 * marked stale, when a refresh fails.
 */
import { useQueryClient } from '@tanstack/react-query'
import type { SortingState } from '@tanstack/react-table'
import { Camera, Droplet as DropletIcon, History, Search, Shield } from 'lucide-react'
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react'
import { EmptyState } from '../areas/EmptyState'
import { ApiBudget } from '../fleet/ApiBudget'
import { formatInteger, formatMoney } from '../fleet/format'
import { StaleBadge } from '../fleet/StaleBadge'
import { useHashPath } from '../navigation/use-hash-path'
import { useApi } from '../rpc/api-context'
import { refreshDroplets, useDroplets, type Droplet } from '../rpc/provider-queries'
import { useShellUi } from '../shell/shell-ui'
import { ErrorNotice } from '../ui/ErrorNotice'
import { DropletDetailPanel } from './DropletDetailPanel'
import { dropletMatches } from './droplet-columns'
import { DropletTable } from './DropletTable'
import { RefreshButton } from '../ui/RefreshButton'

export const DROPLET_FILTER_ID = 'droplet-filter'

export function DropletsView() {
  const api = useApi()
  const client = useQueryClient()
  const droplets = useDroplets()
  const { openActivity, openSnapshots, openFirewalls } = useShellUi()
  const [path, setPath] = useHashPath('droplets')
  const [query, setQuery] = useState('')
  const deferredQuery = useDeferredValue(query)
  const [sorting, setSorting] = useState<SortingState>([{ id: 'name', desc: false }])
  const [refreshing, setRefreshing] = useState(false)
  const filterRef = useRef<HTMLInputElement>(null)

  const all = useMemo(() => droplets.data ?? [], [droplets.data])
  const shown = useMemo(() => all.filter((droplet) => dropletMatches(droplet, deferredQuery)), [all, deferredQuery])
  const selectedId = path[0] && /^\d+$/.test(path[0]) ? Number(path[0]) : undefined
  const selected = selectedId === undefined ? undefined : all.find((droplet) => droplet.id === selectedId)

  useSlashToFocus(filterRef)

  const refresh = () => {
    setRefreshing(true)
    void refreshDroplets(client, api).finally(() => setRefreshing(false))
  }
  const busy = refreshing || droplets.isFetching

  return (
    <div className="fleet-view">
      <div className="toolbar">
        <div className="filter">
          <Search size={13} className="filter-icon" aria-hidden="true" />
          <input
            id={DROPLET_FILTER_ID}
            ref={filterRef}
            className="input filter-input"
            placeholder="Filter by name, IP, tag or region"
            aria-label="Filter droplets"
            aria-keyshortcuts="/"
            value={query}
            spellCheck={false}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape' && query) {
                event.preventDefault()
                setQuery('')
              }
            }}
          />
          {!query && <kbd className="filter-kbd">/</kbd>}
        </div>
        {droplets.data && <Summary all={all} shown={shown} />}
        {droplets.isError && droplets.data && <StaleBadge error={droplets.error} />}
        <div className="toolbar-spacer" />
        <ApiBudget providers={['digitalocean']} />
        <button type="button" className="button button-small" onClick={openSnapshots}>
          <Camera size={13} aria-hidden="true" />
          Snapshots
        </button>
        <button type="button" className="button button-small" onClick={openFirewalls}>
          <Shield size={13} aria-hidden="true" />
          Firewalls
        </button>
        <button type="button" className="button button-small" onClick={openActivity}>
          <History size={13} aria-hidden="true" />
          Activity
        </button>
        <RefreshButton label="Refresh droplets" busy={busy} onRefresh={refresh} />
      </div>

      {droplets.data ? (
        all.length === 0 ? (
          <EmptyState icon={DropletIcon} title="No droplets in this team">
            DigitalOcean lists no droplets for this token. Switch team in Settings if you expected some.
          </EmptyState>
        ) : (
          <div className="fleet-body">
            <div className="fleet-main">
              {shown.length === 0 ? (
                <p className="table-empty">No droplet matches “{deferredQuery}”.</p>
              ) : (
                <DropletTable droplets={shown} selectedId={selectedId} sorting={sorting} onSortingChange={setSorting} onOpen={(droplet: Droplet) => setPath([droplet.id])} />
              )}
            </div>
            {selected && <DropletDetailPanel key={selected.id} droplet={selected} onClose={() => setPath([])} />}
          </div>
        )
      ) : droplets.isError ? (
        <div className="fleet-message">
          <ErrorNotice error={droplets.error} title="Droplets could not be loaded" />
          <button type="button" className="button" onClick={refresh} disabled={busy}>
            Try again
          </button>
        </div>
      ) : (
        <p className="fleet-loading" role="status">
          Loading droplets…
        </p>
      )}
    </div>
  )
}

function Summary({ all, shown }: { all: Droplet[]; shown: Droplet[] }) {
  const total = (list: Droplet[]) => list.reduce((sum, droplet) => sum + droplet.priceMonthly, 0)
  const filtered = shown.length !== all.length
  return (
    <span className="summary" aria-live="polite">
      <span className="summary-count">{filtered ? `${formatInteger(shown.length)} of ${formatInteger(all.length)} droplets` : `${formatInteger(all.length)} droplet${all.length === 1 ? '' : 's'}`}</span>
      <span className="summary-sep" aria-hidden="true">
        ·
      </span>
      <span className="summary-cost" title={filtered ? `All droplets: ${formatMoney(total(all))}/mo` : undefined}>
        {formatMoney(total(shown))}/mo
      </span>
    </span>
  )
}

/** `/` focuses the filter unless the operator is typing somewhere. */
function useSlashToFocus(ref: React.RefObject<HTMLInputElement | null>) {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return
      const target = event.target as HTMLElement | null
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return
      if (document.querySelector('[role="dialog"]')) return
      event.preventDefault()
      ref.current?.focus()
      ref.current?.select()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [ref])
}
