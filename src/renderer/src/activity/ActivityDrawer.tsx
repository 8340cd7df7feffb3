/**
 * Activity: droplet actions this window has seen, and the local audit log (every mutation: who,
 * what, when, result, request id), live through `audit.appended`. A drawer over the current screen,
 * opened from the Droplets header or the palette.
 */
import * as Tabs from '@radix-ui/react-tabs'
import { useMemo } from 'react'
import { ActionProgressList } from '../droplets/ActionProgressList'
import { formatDateTime } from '../fleet/format'
import { useAudit } from '../rpc/provider-queries'
import { Drawer } from '../ui/Drawer'
import { QueryState } from '../ui/QueryState'
import { useActionActivity } from './action-activity'

export function ActivityDrawer({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Drawer open={open} onOpenChange={onOpenChange} title="Activity">
      <ActivityTabs />
    </Drawer>
  )
}

function ActivityTabs() {
  const actions = useActionActivity()
  const running = actions.filter((action) => action.status === 'in-progress').length
  return (
    <Tabs.Root className="drawer-tabs" defaultValue="audit">
      <Tabs.List className="tabs-list" aria-label="Activity">
        <Tabs.Trigger className="tabs-trigger" value="audit">
          Audit log
        </Tabs.Trigger>
        <Tabs.Trigger className="tabs-trigger" value="actions">
          Droplet actions{running > 0 && <span className="count count-accent">{running}</span>}
        </Tabs.Trigger>
      </Tabs.List>
      <Tabs.Content className="drawer-body" value="audit">
        <AuditLog />
      </Tabs.Content>
      <Tabs.Content className="drawer-body" value="actions">
        {actions.length === 0 ? <p className="faint drawer-empty">No droplet actions in this session yet.</p> : <ActionProgressList actions={actions} showDroplet label="Droplet actions" />}
      </Tabs.Content>
    </Tabs.Root>
  )
}

function AuditLog() {
  const audit = useAudit()
  const entries = useMemo(() => [...(audit.data ?? [])].sort((a, b) => b.at.localeCompare(a.at)), [audit.data])
  return (
    <QueryState
      query={audit}
      layout="drawer"
      loading="Loading…"
      failed="The audit log could not be read"
      isEmpty={() => entries.length === 0}
      empty={<p className="faint drawer-empty">Nothing changed yet. Every droplet and DNS change made from Dropdeck is recorded here.</p>}
    >
      {() => (
    <table className="audit-table" aria-label="Audit log">
      <thead>
        <tr>
          <th>Time</th>
          <th>Action</th>
          <th>Target</th>
          <th>Result</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.id}>
            <td className="nowrap faint">{formatDateTime(entry.at)}</td>
            <td>
              <div className="mono">{entry.action}</div>
              <div className="faint small">{entry.actor}</div>
            </td>
            <td>
              <div>{entry.target}</div>
              {entry.message && <div className="faint small">{entry.message}</div>}
              {entry.requestId && <div className="faint small mono">req {entry.requestId}</div>}
            </td>
            <td>
              <span className={`result result-${entry.result}`}>{entry.result}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
      )}
    </QueryState>
  )
}
