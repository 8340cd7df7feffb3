/**
 * The side sheet for one droplet: actions and their progress first, then what droplets.get tells:
 * networks, features, volumes, snapshots, backups, firewalls, recent actions. Shows the list's
 * copy at once and fills in the rest when the detail arrives.
 */
import { Link2, Lock, Plus, ShieldAlert, Trash2, X } from 'lucide-react'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { useActionActivity } from '../activity/action-activity'
import { actionLabel, formatDateTime, formatGb, formatMoney, formatSize } from '../fleet/format'
import { StaleBadge } from '../fleet/StaleBadge'
import { describeRules, summarizeRules } from '../firewalls/firewall-rules'
import { AttachFirewallDialog, CreateFirewallDialog } from '../firewalls/FirewallDialogs'
import { useDroplet, type Droplet, type DropletDetail, type Snapshot } from '../rpc/provider-queries'
import { DeleteSnapshotDialog } from '../snapshots/DeleteSnapshotDialog'
import { HostLinks } from '../ssh/HostLinks'
import { useHosts } from '../ssh/ssh-queries'
import { ErrorNotice } from '../ui/ErrorNotice'
import { ActionProgressList } from './ActionProgressList'
import { DropletActions } from './DropletActions'
import { DropletStatus } from './DropletStatus'
import { DropletTags } from './DropletTags'

export function DropletDetailPanel({ droplet: listed, onClose }: { droplet: Droplet; onClose: () => void }) {
  const detail = useDroplet(listed.id)
  // A droplet the operator can reach over SSH is a host of the same name: link to its terminal, containers...
  const hosts = useHosts()
  // The list refreshes more often than the detail; prefer whichever is newer for the shared fields.
  // The list is refreshed on a schedule and after every change; its copy of the shared fields is the one to show.
  const droplet = listed
  const activity = useActionActivity().filter((action) => action.dropletId === listed.id).slice(0, 5)
  const [unlocked, setUnlocked] = useState(false)
  const headingRef = useRef<HTMLHeadingElement>(null)

  // The parent keys this panel by droplet, so the unlock never carries over to another droplet.
  useEffect(() => {
    headingRef.current?.focus()
  }, [])

  return (
    <aside
      className="sheet"
      aria-labelledby="droplet-sheet-title"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !event.defaultPrevented) {
          event.preventDefault()
          onClose()
        }
      }}
    >
      <header className="sheet-header">
        <div className="sheet-title-row">
          <h2 className="sheet-title" id="droplet-sheet-title" tabIndex={-1} ref={headingRef}>
            {droplet.name}
          </h2>
          {droplet.readOnly && <Lock size={13} className="faint" aria-label="read-only" />}
          <button type="button" className="icon-button" onClick={onClose} aria-label="Close details">
            <X size={15} aria-hidden="true" />
          </button>
        </div>
        <div className="sheet-subtitle">
          <DropletStatus status={droplet.status} />
          <span>{droplet.regionName}</span>
          <span>{formatSize(droplet)}</span>
          <span>{formatMoney(droplet.priceMonthly)}/mo</span>
        </div>
        {detail.isError && detail.data && <StaleBadge error={detail.error} />}
      </header>
      <div className="sheet-body">
        {hosts.data?.some((host) => host.id === droplet.name) && <HostLinks hostId={droplet.name} />}
        <DropletActions droplet={droplet} unlocked={unlocked} onUnlockedChange={setUnlocked} />
        <ActionProgressList actions={activity} label={`Actions on ${droplet.name}`} />

        <Section title="Overview">
          <dl className="facts">
            <Fact label="ID">{droplet.id}</Fact>
            <Fact label="Public IPv4">{droplet.publicIpv4 ?? '—'}</Fact>
            <Fact label="Private IPv4">{droplet.privateIpv4 ?? '—'}</Fact>
            {droplet.publicIpv6 && <Fact label="Public IPv6">{droplet.publicIpv6}</Fact>}
            <Fact label="Image">{droplet.image}</Fact>
            <Fact label="Size">{droplet.sizeSlug}</Fact>
            <Fact label="Created">{formatDateTime(droplet.createdAt)}</Fact>
            <Fact label="Monitoring">{droplet.monitoring ? 'Agent installed' : 'No agent'}</Fact>
          </dl>
        </Section>
        <Section title="Tags">
          <DropletTags droplet={droplet} locked={droplet.readOnly && !unlocked} unlock={droplet.readOnly && unlocked} onUsedUnlock={() => setUnlocked(false)} />
        </Section>

        {detail.data ? (
          <DetailSections detail={detail.data} />
        ) : detail.isError ? (
          <ErrorNotice error={detail.error} title="Details could not be loaded" />
        ) : (
          <p className="faint sheet-loading">Loading details…</p>
        )}
      </div>
    </aside>
  )
}

function DetailSections({ detail }: { detail: DropletDetail }) {
  const [deleting, setDeleting] = useState<Snapshot | null>(null)
  const [firewallDialog, setFirewallDialog] = useState<'attach' | 'create' | null>(null)
  return (
    <>
      <Section title="Networks" count={detail.networks.length}>
        {detail.networks.length === 0 ? (
          <Empty>No networks</Empty>
        ) : (
          <table className="mini-table">
            <thead>
              <tr>
                <th>Type</th>
                <th>Address</th>
                <th>Gateway</th>
              </tr>
            </thead>
            <tbody>
              {detail.networks.map((net) => (
                <tr key={`${net.version}-${net.ipAddress}`}>
                  <td>
                    {net.type} {net.version}
                  </td>
                  <td className="mono">
                    {net.ipAddress}
                    <span className="faint">/{net.netmask}</span>
                  </td>
                  <td className="mono faint-mono">{net.gateway || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {detail.vpcUuid && <p className="faint small">VPC {detail.vpcUuid}</p>}
      </Section>
      <Section title="Features" count={detail.features.length}>
        {detail.features.length === 0 ? (
          <Empty>None</Empty>
        ) : (
          <div className="chips chips-wrap">
            {detail.features.map((feature) => (
              <span key={feature} className="chip">
                {feature}
              </span>
            ))}
          </div>
        )}
      </Section>
      <Section title="Volumes" count={detail.volumeIds.length}>
        {detail.volumeIds.length === 0 ? <Empty>No volumes attached</Empty> : <List items={detail.volumeIds} mono />}
      </Section>
      <Section title="Snapshots" count={detail.snapshots.length}>
        {detail.snapshots.length === 0 ? (
          <Empty>No snapshots</Empty>
        ) : (
          <ul className="rows snapshot-rows">
            {detail.snapshots.map((snapshot) => (
              <li key={snapshot.id}>
                <div className="snapshot-row-text">
                  <span className="mono truncate-block" title={snapshot.name}>
                    {snapshot.name}
                  </span>
                  <span className="faint small">
                    {formatGb(snapshot.sizeGb)} · {formatDateTime(snapshot.createdAt)}
                  </span>
                </div>
                <button type="button" className="icon-button icon-button-danger" aria-label={`Delete snapshot ${snapshot.name}`} onClick={() => setDeleting(snapshot)}>
                  <Trash2 size={13} aria-hidden="true" />
                </button>
              </li>
            ))}
          </ul>
        )}
        <DeleteSnapshotDialog snapshot={deleting} dropletName={detail.name} onClose={() => setDeleting(null)} />
      </Section>
      <Section title="Backups" count={detail.backupIds.length}>
        {detail.backupIds.length === 0 && !detail.nextBackupWindow ? (
          <Empty>Backups are off</Empty>
        ) : (
          <p>
            {detail.backupIds.length} backup{detail.backupIds.length === 1 ? '' : 's'}
            {detail.nextBackupWindow && <span className="faint"> · next window {formatDateTime(detail.nextBackupWindow.start)}</span>}
          </p>
        )}
      </Section>
      <Section title="Firewalls" count={detail.firewalls.length}>
        {detail.firewalls.length === 0 ? (
          <div className="finding" role="note">
            <ShieldAlert size={14} className="finding-icon" aria-hidden="true" />
            <div className="finding-body">
              <p>No cloud firewall: every port the droplet listens on is reachable.</p>
              <div className="finding-actions">
                <button type="button" className="button button-small" onClick={() => setFirewallDialog('attach')}>
                  <Link2 size={12} aria-hidden="true" />
                  Attach a firewall…
                </button>
                <button type="button" className="button button-small" onClick={() => setFirewallDialog('create')}>
                  <Plus size={12} aria-hidden="true" />
                  Create from template…
                </button>
              </div>
            </div>
          </div>
        ) : (
          <ul className="rows rows-stacked">
            {detail.firewalls.map((firewall) => (
              <li key={firewall.id}>
                <div className="rows-line">
                  <span className="strong">{firewall.name}</span>
                  <span className="faint">{firewall.status}</span>
                </div>
                <div className="faint small mono" title={describeRules(firewall.rules)}>
                  {summarizeRules(firewall.rules)}
                </div>
              </li>
            ))}
          </ul>
        )}
        <AttachFirewallDialog open={firewallDialog === 'attach'} onOpenChange={(open) => !open && setFirewallDialog(null)} initialDropletIds={[detail.id]} onCreateInstead={() => setFirewallDialog('create')} />
        <CreateFirewallDialog open={firewallDialog === 'create'} onOpenChange={(open) => !open && setFirewallDialog(null)} initialDropletIds={[detail.id]} nameBase={detail.name} />
      </Section>
      <Section title="Recent actions" count={detail.recentActions.length}>
        {detail.recentActions.length === 0 ? (
          <Empty>No actions yet</Empty>
        ) : (
          <ul className="rows">
            {detail.recentActions.map((action) => (
              <li key={action.id}>
                <span>{actionLabel(action.type)}</span>
                <span className={`action-status action-${action.status}`}>{action.status}</span>
                <span className="faint">{formatDateTime(action.completedAt ?? action.startedAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </>
  )
}

function Section({ title, count, children }: { title: string; count?: number; children: ReactNode }) {
  return (
    <section className="sheet-section">
      <h3 className="sheet-section-title">
        {title}
        {count !== undefined && count > 0 && <span className="count">{count}</span>}
      </h3>
      {children}
    </section>
  )
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  )
}

function Empty({ children }: { children: ReactNode }) {
  return <p className="faint">{children}</p>
}

function List({ items, mono }: { items: string[]; mono?: boolean }) {
  return (
    <ul className="rows">
      {items.map((item) => (
        <li key={item} className={mono ? 'mono' : undefined}>
          {item}
        </li>
      ))}
    </ul>
  )
}
