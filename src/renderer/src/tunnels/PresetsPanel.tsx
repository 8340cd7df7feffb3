/**
 * The presets beside the tunnels: the usual internal UIs on a host picked here, and each LocalForward
 * of ~/.ssh/config on its own host. One click starts one; the pencil opens it in New tunnel.
 */
import { Pencil, Play } from 'lucide-react'
import type { Host, TunnelPreset } from '../ssh/ssh-queries'

export function PresetsPanel({ presets, hostList, chosenHost, onHostChange, starting, onStart, onEdit }: { presets: TunnelPreset[]; hostList: Host[]; chosenHost: string; onHostChange: (hostId: string) => void; starting: string | null; onStart: (preset: TunnelPreset) => void; onEdit: (preset: TunnelPreset, hostId: string) => void }) {
  const seedPresets = presets.filter((p) => !p.hostId)
  const forwardPresets = presets.filter((p) => p.hostId)
  return (
    <aside className="presets-panel" aria-label="Presets">
      <p className="zone-list-title">Presets</p>
      <label className="presets-host">
        <span className="faint small">On host</span>
        <select className="input input-small" value={chosenHost} onChange={(e) => onHostChange(e.target.value)} aria-label="Host for presets" disabled={hostList.length === 0}>
          {hostList.map((h) => (
            <option key={h.id} value={h.id}>
              {h.id}
            </option>
          ))}
        </select>
      </label>
      <ul className="presets-list">
        {seedPresets.map((preset) => (
          <PresetRow key={preset.id} preset={preset} disabled={!chosenHost || starting !== null} busy={starting === preset.id} onStart={() => onStart(preset)} onEdit={() => onEdit(preset, chosenHost)} />
        ))}
      </ul>
      {forwardPresets.length > 0 && (
        <>
          <p className="zone-list-title">From LocalForward</p>
          <ul className="presets-list">
            {forwardPresets.map((preset) => (
              <PresetRow key={preset.id} preset={preset} disabled={starting !== null} busy={starting === preset.id} onStart={() => onStart(preset)} onEdit={() => onEdit(preset, preset.hostId ?? chosenHost)} />
            ))}
          </ul>
        </>
      )}
      {hostList.length === 0 && <p className="faint small presets-note">Add a host first (Hosts area).</p>}
    </aside>
  )
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
