/**
 * The host's picked systemd units: state chips, since when, PID, memory, and restart/reload/stop
 * (stop asks first) run with sudo -n; start for a stopped unit. "Edit units" changes the pick.
 */
import { useQueryClient } from '@tanstack/react-query'
import { Pencil, Play, RefreshCw, RotateCw, Square } from 'lucide-react'
import { useState } from 'react'
import type { UnitAction } from '../../../shared/contract/units'
import { useContractCall } from '../rpc/contract-queries'
import { ConfirmDialog } from '../ui/ConfirmDialog'
import { ErrorNotice } from '../ui/ErrorNotice'
import { formatDateTime } from '../fleet/format'
import { formatBytes, formatSince } from '../ui/format'
import { healthKeys, useUnits, type Unit } from './health-queries'
import { PickUnitsForm } from './PickUnitsForm'

function chip(u: Unit): { label: string; tone: string } {
  if (!u.exists) return { label: 'not-found', tone: 'muted' }
  if (u.activeState === 'active') return { label: u.subState === 'running' ? 'active' : `active (${u.subState})`, tone: 'ok' }
  if (u.activeState === 'failed') return { label: 'failed', tone: 'danger' }
  if (u.activeState === 'activating' || u.activeState === 'deactivating' || u.activeState === 'reloading') return { label: u.activeState, tone: 'warn' }
  return { label: u.activeState, tone: 'muted' }
}

export function UnitsPanel({ hostId }: { hostId: string }) {
  const client = useQueryClient()
  const unitAction = useContractCall('units.action')
  const units = useUnits(hostId)
  const [busy, setBusy] = useState<string | null>(null)
  const [failure, setFailure] = useState<{ title: string; error: unknown } | null>(null)
  const [stopping, setStopping] = useState<Unit | null>(null)
  const [editing, setEditing] = useState(false)

  const act = (u: Unit, action: UnitAction) => {
    setBusy(u.name)
    setFailure(null)
    unitAction({ hostId, unit: u.name, action })
      .then(
        (after) => client.setQueryData<Unit[]>(healthKeys.units(hostId), (old) => old?.map((x) => (x.name === after.name ? after : x))),
        (error: unknown) => setFailure({ title: `${u.name} did not ${action}`, error })
      )
      .finally(() => {
        setBusy(null)
        setStopping(null)
      })
  }

  return (
    <section className="hunits" aria-label={`Units on ${hostId}`}>
      <div className="hsection-head">
        <h4>Units</h4>
        <button type="button" className="button button-small" onClick={() => setEditing((e) => !e)} aria-expanded={editing}>
          <Pencil size={13} aria-hidden="true" />
          Edit units
        </button>
      </div>
      {editing && <PickUnitsForm hostId={hostId} onDone={() => setEditing(false)} />}
      {failure && <ErrorNotice error={failure.error} title={failure.title} onDismiss={() => setFailure(null)} />}
      {!units.data ? (
        units.isError ? (
          // A host without systemd has no units: one quiet line, not an error box on every card.
          /does not run systemd|systemd is not running/.test(units.error.message) ? (
            <p className="faint small">{hostId} does not run systemd: no units to show.</p>
          ) : (
            <ErrorNotice error={units.error} title={`Units on ${hostId} could not be read`} />
          )
        ) : (
          <p className="fleet-loading" role="status">Reading units…</p>
        )
      ) : units.data.length === 0 ? (
        <p className="faint small">No units picked for {hostId}. Use Edit units to pick the ones that matter.</p>
      ) : (
        <table className="rtable htable" aria-label={`Picked units on ${hostId}`}>
          <colgroup>
            <col className="hcol-name" />
            <col className="hcol-state" />
            <col className="hcol-since" />
            <col className="hcol-pid" />
            <col className="hcol-mem" />
            <col className="hcol-actions" />
          </colgroup>
          <thead>
            <tr>
              <th>Unit</th>
              <th>State</th>
              <th>Since</th>
              <th className="num">PID</th>
              <th className="num">Memory</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {units.data.map((u) => {
              const c = chip(u)
              const running = u.activeState === 'active' || u.activeState === 'reloading'
              return (
                <tr key={u.name} className={u.activeState === 'failed' ? 'is-failed' : undefined}>
                  <td title={u.description || u.id}>
                    <span className="mono">{u.name}</span> {u.description && <span className="faint small">{u.description}</span>}
                  </td>
                  <td>
                    <span className={`hchip hchip-${c.tone}`}>{c.label}</span>
                  </td>
                  <td className="num" title={u.since ? formatDateTime(u.since) : undefined}>
                    {u.since ? formatSince(u.since) : '—'}
                  </td>
                  <td className="num">{u.mainPid ?? '—'}</td>
                  <td className="num">{u.memoryBytes === null ? '—' : formatBytes(u.memoryBytes, 'iec')}</td>
                  <td className="hactions">
                    {u.exists && running && (
                      <>
                        <button type="button" className="button button-small" disabled={busy !== null} onClick={() => act(u, 'restart')} aria-label={`Restart ${u.name}`}>
                          <RotateCw size={13} aria-hidden="true" />
                          Restart
                        </button>
                        <button type="button" className="button button-small" disabled={busy !== null} onClick={() => act(u, 'reload')} aria-label={`Reload ${u.name}`}>
                          <RefreshCw size={13} aria-hidden="true" />
                          Reload
                        </button>
                        <button type="button" className="button button-small" disabled={busy !== null} onClick={() => setStopping(u)} aria-label={`Stop ${u.name}`}>
                          <Square size={12} aria-hidden="true" />
                          Stop
                        </button>
                      </>
                    )}
                    {u.exists && !running && (
                      <button type="button" className="button button-small" disabled={busy !== null} onClick={() => act(u, 'start')} aria-label={`Start ${u.name}`}>
                        <Play size={13} aria-hidden="true" />
                        Start
                      </button>
                    )}
                    {busy === u.name && <span className="faint small" role="status"> working…</span>}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={stopping !== null}
        onOpenChange={(open) => !open && setStopping(null)}
        title={`Stop ${stopping?.name ?? ''} on ${hostId}?`}
        description={`systemctl stop ${stopping?.id ?? ''} runs with sudo on ${hostId}. Whatever it serves stops answering until it is started again.`}
        confirmLabel="Stop unit"
        busy={busy !== null}
        onConfirm={() => stopping && act(stopping, 'stop')}
      />
    </section>
  )
}
