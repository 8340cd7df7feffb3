/**
 * The tunnels as a table: local port, where it forwards to, state (with the error), connections and
 * bytes each way, the start-on-launch switch, and Open / Stop (Remove once a host disconnect stopped it).
 */
import * as Switch from '@radix-ui/react-switch'
import { ExternalLink, Square } from 'lucide-react'
import { ConnectionState } from '../ssh/ConnectionState'
import { openUrl, type Tunnel } from '../ssh/ssh-queries'
import { formatBytes } from '../ui/format'

export function TunnelsTable({ list, launchBusy, onStop, onStartOnLaunch }: { list: Tunnel[]; launchBusy: string | null; onStop: (tunnel: Tunnel) => void; onStartOnLaunch: (tunnel: Tunnel, startOnLaunch: boolean) => void }) {
  return (
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
                  onCheckedChange={(checked) => onStartOnLaunch(tunnel, checked)}
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
                  <button type="button" className="button button-small" onClick={() => onStop(tunnel)} aria-label={`Stop tunnel on port ${tunnel.localPort}`}>
                    <Square size={11} aria-hidden="true" />
                    Stop
                  </button>
                ) : (
                  // stopped by a host disconnect: it starts again when the host is connected, or leaves the list here
                  <button type="button" className="button button-small" onClick={() => onStop(tunnel)} aria-label={`Remove tunnel on port ${tunnel.localPort}`}>
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
