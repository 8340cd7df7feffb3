/**
 * Tunnels: every local forward with its state and counters, live through tunnels.changed; presets
 * for the usual internal UIs (and each LocalForward) one click away once a host is picked.
 */
import * as Switch from '@radix-ui/react-switch'
import { useQueryClient } from '@tanstack/react-query'
import { Cable, ExternalLink, Pencil, Play, Plus, Square } from 'lucide-react'
import { useMemo, useState } from 'react'
import { EmptyState } from '../areas/EmptyState'
import { useHashPath, useHashQuery } from '../navigation/use-hash-path'
import { useContractMutation } from '../rpc/contract-queries'
import { ErrorNotice } from '../ui/ErrorNotice'
import { QueryState } from '../ui/QueryState'
import { formatBytes } from '../ui/format'
import { openUrl, sshKeys, useHosts, useTunnelPresets, useTunnels, type Tunnel, type TunnelPreset } from '../ssh/ssh-queries'
import { useSshFlow } from '../ssh/use-ssh-flow'
import { NewTunnelDialog, portInUse, type TunnelDraft } from './NewTunnelDialog'
import { ConnectionState } from '../ssh/ConnectionState'

type DialogState = { initial: Partial<TunnelDraft>; error?: unknown; title?: string } | null

export function TunnelsView() {
  const tunnels = useTunnels()
  const hosts = useHosts()
  const presets = useTunnelPresets()
  const client = useQueryClient()
  const startTunnel = useContractMutation('tunnels.start')
  const stopTunnel = useContractMutation('tunnels.stop')
  const setLaunch = useContractMutation('tunnels.setStartOnLaunch', {
    onSuccess: (updated) => client.setQueryData<Tunnel[]>(sshKeys.tunnels, (old) => old?.map((t) => (t.id === updated.id ? updated : t)))
  })
  const [path, setPath] = useHashPath('tunnels')
  const [dialog, setDialog] = useState<DialogState>(null)
  const [failure, setFailure] = useState<unknown>(null)
  const [presetHost, setPresetHost] = useState('')
  const [starting, setStarting] = useState<string | null>(null)
  const flow = useSshFlow((error) => setFailure(error))

  // #/tunnels/new (and #/tunnels/new/<preset>) opens the dialog: the palette's way in. A link from a
  // host or a container adds ?host=<id> (and &port=<n>, a port published on that host's 127.0.0.1).
  const wantNew = path[0] === 'new'
  const query = useHashQuery()
  const presetFromPath = wantNew && path[1] ? presets.data?.find((p) => p.id === path[1]) : undefined
  const openDialog: DialogState = dialog ?? (wantNew ? { initial: presetFromPath ? draftFor(presetFromPath, presetFromPath.hostId ?? '') : draftFromQuery(query), title: presetFromPath ? `Start ${presetFromPath.label}` : undefined } : null)
  const closeDialog = () => {
    setDialog(null)
    if (wantNew) setPath([])
  }

  const list = useMemo(() => [...(tunnels.data ?? [])].sort((a, b) => a.localPort - b.localPort), [tunnels.data])
  const hostList = hosts.data ?? []
  const chosenHost = presetHost || hostList[0]?.id || ''

  const startPreset = (preset: TunnelPreset) => {
    const hostId = preset.hostId ?? chosenHost
    if (!hostId) return
    setFailure(null)
    setStarting(preset.id)
    void flow
      .run(hostId, async () => {
        try {
          await startTunnel.mutateAsync({ hostId, remoteHost: preset.remoteHost, remotePort: preset.remotePort, localPort: preset.localPort })
        } catch (error) {
          if (portInUse(error)) {
            setDialog({ initial: draftFor(preset, hostId), error, title: `Start ${preset.label}` })
            return
          }
          throw error
        }
      })
      .finally(() => setStarting(null))
  }

  const stop = (tunnel: Tunnel) => {
    stopTunnel.mutateAsync({ id: tunnel.id }).catch((error: unknown) => setFailure(error))
  }

  const [launchBusy, setLaunchBusy] = useState<string | null>(null)
  const setStartOnLaunch = (tunnel: Tunnel, startOnLaunch: boolean) => {
    setLaunchBusy(tunnel.id)
    setLaunch
      .mutateAsync({ id: tunnel.id, startOnLaunch })
      .catch((error: unknown) => setFailure(error))
      .finally(() => setLaunchBusy(null))
  }

  const seedPresets = (presets.data ?? []).filter((p) => !p.hostId)
  const forwardPresets = (presets.data ?? []).filter((p) => p.hostId)

  return (
    <div className="fleet-view ssh-view">
      <div className="toolbar">
        <h2 className="zone-title">Tunnels</h2>
        {tunnels.data && (
          <span className="summary faint">
            {list.filter((t) => t.state === 'up').length} up · {list.length} total
          </span>
        )}
        <div className="toolbar-spacer" />
        <button type="button" className="button button-small button-primary" onClick={() => setDialog({ initial: {} })} disabled={hostList.length === 0}>
          <Plus size={13} aria-hidden="true" />
          New tunnel
        </button>
      </div>
      {failure !== null && (
        <div className="inline-notice">
          <ErrorNotice error={failure} title="The tunnel did not start" onDismiss={() => setFailure(null)} />
        </div>
      )}
      <div className="fleet-body">
        <div className="fleet-main">
          <QueryState
            query={tunnels}
            layout="view"
            loading="Loading tunnels…"
            failed="Tunnels could not be loaded"
            isEmpty={(all) => all.length === 0}
            empty={
              <EmptyState icon={Cable} title="No tunnels running">
                Start one from a preset on the right, or with New tunnel: a local port that reaches a port behind one of your hosts, and stays up through reconnects.
              </EmptyState>
            }
          >
            {() => (
            <div className="rtable-scroll">
              <table className="rtable ttable" aria-label="Tunnels">
                <colgroup>
                  <col style={{ width: 90 }} />
                  <col />
                  <col style={{ width: '16%' }} />
                  <col style={{ width: 60 }} />
                  <col style={{ width: 76 }} />
                  <col style={{ width: 76 }} />
                  <col style={{ width: 80 }} />
                  <col style={{ width: 140 }} />
                </colgroup>
                <thead>
                  <tr>
                    <th scope="col" className="num">Local</th>
                    <th scope="col">Forwards to</th>
                    <th scope="col">State</th>
                    <th scope="col" className="num">Conns</th>
                    <th scope="col" className="num">In</th>
                    <th scope="col" className="num">Out</th>
                    <th scope="col" className="nowrap" title="Started again whenever Dropdeck starts; it keeps running when this window closes">
                      On launch
                    </th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((tunnel) => (
                    <tr key={tunnel.id} data-tunnel={tunnel.id} className={tunnel.state === 'error' ? 'is-error' : undefined}>
                      <td className="num mono strong">:{tunnel.localPort}</td>
                      <td className="mono" title={`${tunnel.hostId} → ${tunnel.remoteHost}:${tunnel.remotePort}`}>
                        <span className="truncate-block">
                          <span className="faint-mono">→ </span>
                          {tunnel.hostId}
                          <span className="faint-mono"> : </span>
                          {tunnel.remoteHost}:{tunnel.remotePort}
                        </span>
                      </td>
                      <td title={tunnel.error?.message}>
                        <span className="sstate-cell">
                          <ConnectionState state={tunnel.state} error={tunnel.error} kind="t-" />
                          {tunnel.error && tunnel.state !== 'up' && <span className="sstate-error">{tunnel.error.message}</span>}
                        </span>
                      </td>
                      <td className="num" aria-label="connections">{tunnel.connections}</td>
                      <td className="num faint" aria-label="bytes in">{formatBytes(tunnel.bytesIn, 'si')}</td>
                      <td className="num faint" aria-label="bytes out">{formatBytes(tunnel.bytesOut, 'si')}</td>
                      <td>
                        <Switch.Root
                          className="switch switch-small"
                          checked={tunnel.startOnLaunch}
                          disabled={tunnel.state === 'stopped' || launchBusy === tunnel.id}
                          onCheckedChange={(checked) => setStartOnLaunch(tunnel, checked)}
                          aria-label={`Start on launch: tunnel on port ${tunnel.localPort}`}
                          title={tunnel.startOnLaunch ? 'Starts with Dropdeck; keeps running when this window closes' : 'Stops when this window closes'}
                        >
                          <Switch.Thumb className="switch-thumb" />
                        </Switch.Root>
                      </td>
                      <td className="row-actions">
                        {tunnel.url && (
                          <button type="button" className="button button-small" onClick={() => openUrl(tunnel.url!)} disabled={tunnel.state === 'stopped'} aria-label={`Open ${tunnel.url}`} title={tunnel.url}>
                            <ExternalLink size={12} aria-hidden="true" />
                            Open
                          </button>
                        )}
                        {tunnel.state !== 'stopped' ? (
                          <button type="button" className="button button-small" onClick={() => stop(tunnel)} aria-label={`Stop tunnel on port ${tunnel.localPort}`}>
                            <Square size={11} aria-hidden="true" />
                            Stop
                          </button>
                        ) : (
                          // stopped by a host disconnect: it starts again when the host is connected, or leaves the list here
                          <button type="button" className="button button-small" onClick={() => stop(tunnel)} aria-label={`Remove tunnel on port ${tunnel.localPort}`}>
                            Remove
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            )}
          </QueryState>
        </div>
        <aside className="presets-panel" aria-label="Presets">
          <p className="zone-list-title">Presets</p>
          <label className="presets-host">
            <span className="faint small">On host</span>
            <select className="input input-small" value={chosenHost} onChange={(e) => setPresetHost(e.target.value)} aria-label="Host for presets" disabled={hostList.length === 0}>
              {hostList.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.id}
                </option>
              ))}
            </select>
          </label>
          <ul className="presets-list">
            {seedPresets.map((preset) => (
              <PresetRow key={preset.id} preset={preset} disabled={!chosenHost || starting !== null} busy={starting === preset.id} onStart={() => startPreset(preset)} onEdit={() => setDialog({ initial: draftFor(preset, chosenHost), title: `Start ${preset.label}` })} />
            ))}
          </ul>
          {forwardPresets.length > 0 && (
            <>
              <p className="zone-list-title">From LocalForward</p>
              <ul className="presets-list">
                {forwardPresets.map((preset) => (
                  <PresetRow key={preset.id} preset={preset} disabled={starting !== null} busy={starting === preset.id} onStart={() => startPreset(preset)} onEdit={() => setDialog({ initial: draftFor(preset, preset.hostId ?? chosenHost), title: `Start ${preset.label}` })} />
                ))}
              </ul>
            </>
          )}
          {hostList.length === 0 && <p className="faint small presets-note">Add a host first (Hosts area).</p>}
        </aside>
      </div>
      {openDialog && <NewTunnelDialog initial={openDialog.initial} initialError={openDialog.error} title={openDialog.title} onClose={closeDialog} />}
      {flow.dialog}
    </div>
  )
}

function draftFromQuery(query: URLSearchParams): Partial<TunnelDraft> {
  const hostId = query.get('host')
  const port = query.get('port')
  return { ...(hostId ? { hostId } : {}), ...(port && /^\d+$/.test(port) ? { remoteHost: '127.0.0.1', remotePort: port } : {}) }
}

function draftFor(preset: TunnelPreset, hostId: string): Partial<TunnelDraft> {
  return { hostId, remoteHost: preset.remoteHost, remotePort: String(preset.remotePort), localPort: String(preset.localPort) }
}

/** One click starts it on its ports; the pencil opens it in the New tunnel form with every port editable. */
function PresetRow({ preset, onStart, onEdit, disabled, busy }: { preset: TunnelPreset; onStart: () => void; onEdit: () => void; disabled: boolean; busy: boolean }) {
  return (
    <li className="preset-row">
      <button type="button" className="preset-item" onClick={onStart} disabled={disabled} aria-label={`Start ${preset.label}${preset.hostId ? ` on ${preset.hostId}` : ''}`}>
        <Play size={11} aria-hidden="true" className="preset-play" />
        <span className="truncate">{preset.label}</span>
        <span className="preset-port mono">{busy ? '…' : `${preset.localPort}${preset.hostId ? ` · ${preset.hostId}` : ''}`}</span>
      </button>
      <button type="button" className="icon-button preset-edit" onClick={onEdit} disabled={disabled} aria-label={`Edit ports and start ${preset.label}${preset.hostId ? ` on ${preset.hostId}` : ''}`} title="Edit the ports, then start">
        <Pencil size={12} aria-hidden="true" />
      </button>
    </li>
  )
}
