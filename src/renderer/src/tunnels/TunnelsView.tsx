/**
 * Tunnels: every local forward with its state and counters, live through tunnels.changed; presets
 * for the usual internal UIs (and each LocalForward) one click away once a host is picked. The table is
 * ./TunnelsTable.tsx, the presets ./PresetsPanel.tsx.
 */
import { useQueryClient } from '@tanstack/react-query'
import { Cable, Plus } from 'lucide-react'
import { useMemo, useState } from 'react'
import { EmptyState } from '../areas/EmptyState'
import { useHashPath, useHashQuery } from '../navigation/use-hash-path'
import { useContractMutation } from '../rpc/contract-queries'
import { ErrorNotice } from '../ui/ErrorNotice'
import { QueryState } from '../ui/QueryState'
import { sshKeys, useHosts, useTunnelPresets, useTunnels, type Tunnel, type TunnelPreset } from '../ssh/ssh-queries'
import { useSshFlow } from '../ssh/use-ssh-flow'
import { NewTunnelDialog, portInUse, type TunnelDraft } from './NewTunnelDialog'
import { PresetsPanel } from './PresetsPanel'
import { TunnelsTable } from './TunnelsTable'

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
            {() => <TunnelsTable list={list} launchBusy={launchBusy} onStop={stop} onStartOnLaunch={setStartOnLaunch} />}
          </QueryState>
        </div>
        <PresetsPanel
          presets={presets.data ?? []}
          hostList={hostList}
          chosenHost={chosenHost}
          onHostChange={setPresetHost}
          starting={starting}
          onStart={startPreset}
          onEdit={(preset, hostId) => setDialog({ initial: draftFor(preset, hostId), title: `Start ${preset.label}` })}
        />
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
