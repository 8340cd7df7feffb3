/**
 * Firewalls: the team's cloud firewalls with their rules in a line, the droplets and tags they
 * cover; create one from seed 002's template, attach one to more droplets or tags. A drawer over
 * the current screen, opened from the Droplets header or the palette.
 */
import { Link2, Plus } from 'lucide-react'
import { useMemo, useState } from 'react'
import { formatDateTime } from '../fleet/format'
import { StaleBadge } from '../fleet/StaleBadge'
import { goTo } from '../navigation/use-hash-path'
import { useDroplets, useFirewalls, type Firewall } from '../rpc/provider-queries'
import { Drawer } from '../ui/Drawer'
import { QueryState } from '../ui/QueryState'
import { describeRules, summarizeRules } from './firewall-rules'
import { AttachFirewallDialog, CreateFirewallDialog } from './FirewallDialogs'
import { RefreshButton } from '../ui/RefreshButton'

export function FirewallsDrawer({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Drawer open={open} onOpenChange={onOpenChange} title="Firewalls" wide>
      <FirewallList
        onOpenDroplet={(id) => {
          onOpenChange(false)
          goTo('droplets', [id])
        }}
      />
    </Drawer>
  )
}

function FirewallList({ onOpenDroplet }: { onOpenDroplet: (id: number) => void }) {
  const firewalls = useFirewalls()
  const droplets = useDroplets()
  const [creating, setCreating] = useState(false)
  const [attaching, setAttaching] = useState<Firewall | null>(null)
  const names = useMemo(() => new Map((droplets.data ?? []).map((droplet) => [droplet.id, droplet.name])), [droplets.data])
  const list = useMemo(() => [...(firewalls.data ?? [])].sort((a, b) => a.name.localeCompare(b.name)), [firewalls.data])
  const covered = new Set(list.flatMap((firewall) => firewall.dropletIds))
  const taggedCover = new Set(list.flatMap((firewall) => firewall.tags))
  const uncovered = (droplets.data ?? []).filter((droplet) => !covered.has(droplet.id) && !droplet.tags.some((tag) => taggedCover.has(tag))).sort((a, b) => a.name.localeCompare(b.name))

  return (
    <div className="drawer-pane">
      <div className="drawer-toolbar">
        <button type="button" className="button button-small button-primary" onClick={() => setCreating(true)}>
          <Plus size={13} aria-hidden="true" />
          Create from template
        </button>
        {firewalls.data && (
          <span className="summary">
            {list.length} firewall{list.length === 1 ? '' : 's'}
            {droplets.data && (
              <>
                <span className="summary-sep" aria-hidden="true">
                  ·
                </span>
                <span className={uncovered.length > 0 ? 'text-warn' : undefined}>
                  {uncovered.length === 0 ? 'every droplet covered' : `${uncovered.length} droplet${uncovered.length === 1 ? '' : 's'} without one`}
                </span>
              </>
            )}
          </span>
        )}
        {firewalls.isError && firewalls.data && <StaleBadge error={firewalls.error} />}
        <div className="toolbar-spacer" />
        <RefreshButton label="Refresh firewalls" busy={firewalls.isFetching} onRefresh={() => void firewalls.refetch()} />
      </div>
      <div className="drawer-body">
        <QueryState
          query={firewalls}
          layout="drawer"
          loading="Loading…"
          failed="Firewalls could not be loaded"
          isEmpty={() => list.length === 0}
          empty={
            <div className="drawer-empty">
              <p className="strong">No cloud firewalls in this team.</p>
              <p className="faint">Without one, every port a droplet listens on is reachable from the internet. The template allows SSH, HTTP and HTTPS in and everything out.</p>
            </div>
          }
        >
          {() => (
          <table className="audit-table list-table" aria-label="Firewalls">
            <thead>
              <tr>
                <th>Name</th>
                <th>Rules</th>
                <th>Attached to</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((firewall) => (
                <tr key={firewall.id}>
                  <td>
                    <div className="strong">{firewall.name}</div>
                    <div className="faint small nowrap">
                      <span className={`fw-status fw-status-${firewall.status}`}>{firewall.status}</span> · {formatDateTime(firewall.createdAt)}
                    </div>
                  </td>
                  <td className="mono nowrap" title={describeRules(firewall.rules)}>
                    {summarizeRules(firewall.rules)}
                  </td>
                  <td>
                    {firewall.dropletIds.length === 0 && firewall.tags.length === 0 ? (
                      <span className="text-warn small">Nothing: it protects no droplet</span>
                    ) : (
                      <div className="chips chips-wrap">
                        {firewall.dropletIds.map((id) => {
                          const name = names.get(id)
                          return name ? (
                            <button key={id} type="button" className="chip chip-link" onClick={() => onOpenDroplet(id)} title={`Open ${name}`}>
                              {name}
                            </button>
                          ) : (
                            <span key={id} className="chip">
                              #{id}
                            </span>
                          )
                        })}
                        {firewall.tags.map((tag) => (
                          <span key={`tag-${tag}`} className="chip chip-tag" title={`Droplets tagged ${tag}`}>
                            tag: {tag}
                          </span>
                        ))}
                      </div>
                    )}
                  </td>
                  <td className="row-actions">
                    <button type="button" className="button button-small" aria-label={`Attach ${firewall.name}`} onClick={() => setAttaching(firewall)}>
                      <Link2 size={12} aria-hidden="true" />
                      Attach
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          )}
        </QueryState>
        {uncovered.length > 0 && list.length > 0 && (
          <p className="faint small drawer-note">
            Without a firewall: {uncovered.slice(0, 12).map((droplet) => droplet.name).join(', ')}
            {uncovered.length > 12 ? ` and ${uncovered.length - 12} more` : ''}.
          </p>
        )}
      </div>
      <CreateFirewallDialog open={creating} onOpenChange={setCreating} />
      <AttachFirewallDialog open={attaching !== null} onOpenChange={(open) => !open && setAttaching(null)} firewall={attaching ?? undefined} />
    </div>
  )
}
