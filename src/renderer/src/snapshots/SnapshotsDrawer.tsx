/**
 * Snapshots: every droplet snapshot in the team (`snapshots.list {}`), with the droplet it came
 * from, its size and date, the total size (DigitalOcean bills snapshots by it), and delete with the
 * name typed. A drawer over the current screen, opened from the Droplets header or the palette.
 */
import { Search, Trash2 } from 'lucide-react'
import { useMemo, useState } from 'react'
import { formatDateTime, formatGb } from '../fleet/format'
import { StaleBadge } from '../fleet/StaleBadge'
import { goTo } from '../navigation/use-hash-path'
import { useDroplets, useSnapshots, type Snapshot } from '../rpc/provider-queries'
import { Drawer } from '../ui/Drawer'
import { QueryState } from '../ui/QueryState'
import { DeleteSnapshotDialog } from './DeleteSnapshotDialog'
import { RefreshButton } from '../ui/RefreshButton'

export function SnapshotsDrawer({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Drawer open={open} onOpenChange={onOpenChange} title="Snapshots" wide>
      <SnapshotList
        onOpenDroplet={(id) => {
          onOpenChange(false)
          goTo('droplets', [id])
        }}
      />
    </Drawer>
  )
}

function SnapshotList({ onOpenDroplet }: { onOpenDroplet: (id: number) => void }) {
  const snapshots = useSnapshots()
  const droplets = useDroplets()
  const [query, setQuery] = useState('')
  const [deleting, setDeleting] = useState<Snapshot | null>(null)

  const names = useMemo(() => new Map((droplets.data ?? []).map((droplet) => [droplet.id, droplet.name])), [droplets.data])
  const all = useMemo(() => [...(snapshots.data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt)), [snapshots.data])
  const term = query.trim().toLowerCase()
  const shown = term ? all.filter((s) => s.name.toLowerCase().includes(term) || (s.dropletId !== null && (names.get(s.dropletId) ?? '').toLowerCase().includes(term))) : all
  const total = all.reduce((sum, s) => sum + s.sizeGb, 0)
  const dropletName = (snapshot: Snapshot) => (snapshot.dropletId === null ? undefined : names.get(snapshot.dropletId))

  return (
    <div className="drawer-pane">
      <div className="drawer-toolbar">
        <div className="filter drawer-filter">
          <Search size={13} className="filter-icon" aria-hidden="true" />
          <input className="input filter-input input-small" placeholder="Filter by name or droplet" aria-label="Filter snapshots" value={query} spellCheck={false} onChange={(e) => setQuery(e.target.value)} />
        </div>
        {snapshots.data && (
          <span className="summary" aria-live="polite">
            <span>
              {shown.length === all.length ? `${all.length} snapshot${all.length === 1 ? '' : 's'}` : `${shown.length} of ${all.length} snapshots`}
            </span>
            <span className="summary-sep" aria-hidden="true">
              ·
            </span>
            <span className="summary-cost">{formatGb(total)}</span>
            <span className="faint">total</span>
          </span>
        )}
        {snapshots.isError && snapshots.data && <StaleBadge error={snapshots.error} />}
        <div className="toolbar-spacer" />
        <RefreshButton label="Refresh snapshots" busy={snapshots.isFetching} onRefresh={() => void snapshots.refetch()} />
      </div>
      <div className="drawer-body">
        <QueryState
          query={snapshots}
          layout="drawer"
          loading="Loading…"
          failed="Snapshots could not be loaded"
          isEmpty={() => shown.length === 0}
          empty={<p className="faint drawer-empty">{all.length === 0 ? 'No snapshots in this team. Take one from a droplet’s details with Snapshot….' : `No snapshot matches “${query}”.`}</p>}
        >
          {() => (
          <table className="audit-table list-table" aria-label="Snapshots">
            <thead>
              <tr>
                <th>Name</th>
                <th>Droplet</th>
                <th>Regions</th>
                <th className="num">Size</th>
                <th>Taken</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((snapshot) => {
                const name = dropletName(snapshot)
                return (
                  <tr key={snapshot.id}>
                    <td className="mono list-name">{snapshot.name}</td>
                    <td>
                      {snapshot.dropletId === null ? (
                        <span className="faint">—</span>
                      ) : name ? (
                        <button type="button" className="link-button" onClick={() => onOpenDroplet(snapshot.dropletId!)}>
                          {name}
                        </button>
                      ) : (
                        <span className="faint" title="No droplet with this id in the list: it was probably destroyed.">
                          #{snapshot.dropletId} (gone)
                        </span>
                      )}
                    </td>
                    <td className="faint">{snapshot.regions.join(', ') || '—'}</td>
                    <td className="num nowrap">{formatGb(snapshot.sizeGb)}</td>
                    <td className="nowrap faint">{formatDateTime(snapshot.createdAt)}</td>
                    <td className="row-actions">
                      <button type="button" className="icon-button icon-button-danger" aria-label={`Delete snapshot ${snapshot.name}`} onClick={() => setDeleting(snapshot)}>
                        <Trash2 size={13} aria-hidden="true" />
                      </button>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
          )}
        </QueryState>
      </div>
      <DeleteSnapshotDialog snapshot={deleting} dropletName={deleting ? dropletName(deleting) : undefined} onClose={() => setDeleting(null)} />
    </div>
  )
}
