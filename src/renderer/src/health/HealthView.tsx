/**
 * Health, in four views. Hosts: every SSH host; connected hosts get a card with facts, flags, charts
 * over time, containers and units, refreshed every 30 s while shown and by the Refresh button; others
 * are listed with their state and a Connect button (nothing connects on its own, so a host with an
 * unknown key waits for the operator to check its fingerprint). Checks, Alerts, and the audit Report.
 * A link from a host (#/health?host=<id>) puts that host's card first and brings it into view.
 */
import { useIsFetching, useQueryClient } from '@tanstack/react-query'
import { HeartPulse, Plug } from 'lucide-react'
import { useEffect, useMemo, useState } from 'react'
import { EmptyState } from '../areas/EmptyState'
import { useHashQuery } from '../navigation/use-hash-path'
import { useContractMutation } from '../rpc/contract-queries'
import { useSettings } from '../rpc/queries'
import { ConnectionState } from '../ssh/ConnectionState'
import { upsertHost, useHosts, type Host } from '../ssh/ssh-queries'
import { useSshFlow } from '../ssh/use-ssh-flow'
import { ErrorNotice } from '../ui/ErrorNotice'
import { QueryState } from '../ui/QueryState'
import { HostHealthCard } from './HostHealthCard'
import { healthKeys, REFRESH_MS, useRefreshHealth } from './health-queries'
import { RefreshButton } from '../ui/RefreshButton'
import { AlertsPanel } from './AlertsPanel'
import { ChecksPanel } from './ChecksPanel'
import { useAlerts } from './checks-queries'
import { ReportPanel } from './ReportPanel'
import { Segmented } from './Segmented'

type Tab = 'hosts' | 'checks' | 'alerts' | 'report'

export function HealthView() {
  const hosts = useHosts()
  const settings = useSettings()
  const threshold = settings.data?.alertThresholdPercent ?? 85
  const refresh = useRefreshHealth()
  const fetching = useIsFetching({ queryKey: healthKeys.all })
  const focus = useHashQuery().get('host')
  const sorted = useMemo(() => [...(hosts.data ?? [])].sort((a, b) => Number(b.id === focus) - Number(a.id === focus) || a.id.localeCompare(b.id)), [hosts.data, focus])
  const connected = sorted.filter((h) => h.state === 'connected')
  const others = sorted.filter((h) => h.state !== 'connected')
  const [tab, setTab] = useState<Tab>('hosts')
  // A link to one host's health shows the Hosts tab with that host's card (or its Connect row) in view.
  const [linkedFocus, setLinkedFocus] = useState(focus)
  if (focus !== linkedFocus) {
    setLinkedFocus(focus)
    if (focus) setTab('hosts')
  }
  const focusShown = sorted.some((h) => h.id === focus)
  useEffect(() => {
    if (!focus || !focusShown) return
    const target = [...document.querySelectorAll<HTMLElement>('[data-health-host]')].find((el) => el.dataset.healthHost === focus)
    target?.scrollIntoView?.({ block: 'start' })
  }, [focus, focusShown])
  const firing = (useAlerts().data ?? []).filter((a) => a.state === 'firing').length
  const tabs = [
    { value: 'hosts' as const, label: 'Hosts' },
    { value: 'checks' as const, label: 'Checks' },
    { value: 'alerts' as const, label: firing ? `Alerts (${firing})` : 'Alerts' },
    { value: 'report' as const, label: 'Report' }
  ]

  return (
    <div className="fleet-view health-view">
      <div className="toolbar">
        <h2 className="zone-title">Health</h2>
        <Segmented name="health-view" label="Health view" value={tab} options={tabs} onChange={setTab} />
        <span className="faint small">
          Flags disk and memory at {threshold}% · refreshes every {REFRESH_MS / 1000} s
        </span>
        <span className="toolbar-spacer" />
        <RefreshButton busy={fetching > 0} onRefresh={() => void refresh()} />
      </div>
      <div className="fleet-body">
        <div className="fleet-main health-main">
          {tab === 'checks' ? (
            <ChecksPanel />
          ) : tab === 'alerts' ? (
            <AlertsPanel />
          ) : tab === 'report' ? (
            <ReportPanel />
          ) : (
            <QueryState
              query={hosts}
              layout="view"
              loading="Loading hosts…"
              failed="Hosts could not be loaded"
              isEmpty={() => sorted.length === 0}
              empty={
                <EmptyState icon={HeartPulse} title="No SSH hosts">
                  Add a host in Hosts (or list it in ~/.ssh/config) to see its memory, disks, units and containers here.
                </EmptyState>
              }
            >
              {() => (
                <>
                  {connected.length === 0 && <p className="faint health-hint">No host is connected. Connect one below to read its health.</p>}
                  <div className="hcards">
                    {connected.map((h) => (
                      <HostHealthCard key={h.id} host={h} threshold={threshold} />
                    ))}
                  </div>
                  {others.length > 0 && <NotConnected hosts={others} />}
                </>
              )}
            </QueryState>
          )}
        </div>
      </div>
    </div>
  )
}

function NotConnected({ hosts }: { hosts: Host[] }) {
  const client = useQueryClient()
  const hostsConnect = useContractMutation('hosts.connect')
  const [busy, setBusy] = useState<string | null>(null)
  const [failure, setFailure] = useState<{ hostId: string; error: unknown } | null>(null)
  const flow = useSshFlow((error, hostId) => setFailure({ hostId, error }))
  const connect = (h: Host) => {
    setFailure(null)
    setBusy(h.id)
    void flow.run(h.id, async () => upsertHost(client, await hostsConnect.mutateAsync({ hostId: h.id }))).finally(() => setBusy(null))
  }
  return (
    <section className="hidle" aria-label="Hosts not connected">
      <h3>Not connected</h3>
      {failure && <ErrorNotice error={failure.error} title={`${failure.hostId} did not connect`} onDismiss={() => setFailure(null)} />}
      <ul>
        {hosts.map((h) => (
          <li key={h.id} data-health-host={h.id}>
            <span className="mono nowrap">{h.id}</span>
            <ConnectionState state={h.state} error={h.error} />
            {h.error && <span className="faint small truncate">{h.error.message}</span>}
            <span className="toolbar-spacer" />
            <button type="button" className="button button-small" disabled={busy === h.id || h.state === 'connecting'} onClick={() => connect(h)} aria-label={`Connect ${h.id}`}>
              <Plug size={13} aria-hidden="true" />
              Connect
            </button>
          </li>
        ))}
      </ul>
      {flow.dialog}
    </section>
  )
}
