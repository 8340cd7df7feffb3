/**
 * One container: an expand toggle (Overview: state, live CPU and memory, health or last log lines;
 * Inspect), name, image, ports, state and health chips, and its links (a shell inside it in
 * Terminals, its logs in Logs, Deploys) and start/stop/restart/remove; a port published on the host
 * links to a New tunnel to it. While an action runs the row says so ("restarting…"); the live watch
 * then shows the state Docker reports.
 */
import { ChevronDown, ChevronRight, Play, Rocket, RotateCw, ScrollText, Square, SquareTerminal, Trash2 } from 'lucide-react'
import { Fragment, useState } from 'react'
import { hashFor } from '../navigation/use-hash-path'
import { publishedTcpPort } from '../tunnels/host-ports'
import type { Container } from './containers-queries'
import { HealthDetail } from './HealthDetail'
import { InspectPanel } from './InspectPanel'

export type RowAction = 'start' | 'stop' | 'restart' | 'remove'

const PENDING: Record<RowAction, string> = { start: 'starting…', stop: 'stopping…', restart: 'restarting…', remove: 'removing…' }

interface ContainerRowProps {
  hostId: string
  container: Container
  expanded: boolean
  onToggle: () => void
  pending: RowAction | null
  onAction: (action: RowAction) => void
  /** Opens a shell inside it in Terminals. */
  onShell: () => void
  /** Follows its log in Logs. */
  onLogs: () => void
}

export function ContainerRow({ hostId, container: c, expanded, onToggle, pending, onAction, onShell, onLogs }: ContainerRowProps) {
  const running = c.state === 'running' || c.state === 'restarting' || c.state === 'paused'
  const detailId = `cdetail-${hostId}-${c.id.slice(0, 12)}`
  const [tab, setTab] = useState<'overview' | 'inspect'>('overview')
  return (
    <Fragment>
      <tr className={`crow${c.health === 'unhealthy' || (c.exitCode !== null && c.exitCode !== 0) ? ' is-error' : ''}`} data-container={c.name}>
        <td className="crow-name">
          <button type="button" className="crow-toggle" aria-expanded={expanded} aria-controls={detailId} onClick={onToggle} aria-label={`${expanded ? 'Hide' : 'Show'} details of ${c.name}`}>
            {expanded ? <ChevronDown size={14} aria-hidden="true" /> : <ChevronRight size={14} aria-hidden="true" />}
          </button>
          <span className="truncate">{c.name}</span>
        </td>
        <td className="faint crow-image truncate" title={c.image}>{c.image}</td>
        <td className="faint crow-ports mono truncate" title={c.ports.join(', ')}>
          {c.ports.length ? c.ports.map((entry, i) => <Fragment key={`${i}:${entry}`}>{i > 0 && ', '}<PortEntry hostId={hostId} name={c.name} entry={entry} /></Fragment>) : '—'}
        </td>
        <td className="crow-state">
          {pending ? (
            <span className="sstate sstate-c-restarting" role="status">
              {PENDING[pending]}
            </span>
          ) : (
            <span className={`sstate sstate-c-${c.state}`}>
              {c.state}
              {c.exitCode !== null && !running ? ` (${c.exitCode})` : ''}
            </span>
          )}
          {/* Docker keeps a stopped container's last health status; only a running one's means anything. */}
          {c.health && running && !pending && <> <span className={`sstate sstate-h-${c.health}`}>{c.health}</span></>}
        </td>
        <td className="row-actions">
          <button type="button" className="icon-button" aria-label={`Shell in ${c.name}`} title={c.state === 'running' ? `Open a shell inside ${c.name}` : `${c.name} is not running`} disabled={c.state !== 'running'} onClick={onShell}>
            <SquareTerminal size={14} aria-hidden="true" />
          </button>
          <button type="button" className="icon-button" aria-label={`Logs of ${c.name}`} title={`Follow ${c.name}'s log in Logs`} onClick={onLogs}>
            <ScrollText size={14} aria-hidden="true" />
          </button>
          {running ? (
            <>
              <button type="button" className="button button-small" aria-label={`Restart ${c.name}`} disabled={pending !== null} onClick={() => onAction('restart')}>
                <RotateCw size={13} aria-hidden="true" />
                Restart
              </button>
              <button type="button" className="button button-small" aria-label={`Stop ${c.name}`} disabled={pending !== null} onClick={() => onAction('stop')}>
                <Square size={12} aria-hidden="true" />
                Stop
              </button>
            </>
          ) : (
            <button type="button" className="button button-small" aria-label={`Start ${c.name}`} disabled={pending !== null} onClick={() => onAction('start')}>
              <Play size={13} aria-hidden="true" />
              Start
            </button>
          )}
          <a className="icon-button" href={hashFor('deploys', c.project ? [hostId] : [hostId, `container:${c.name}`])} aria-label={`Deploy ${c.name}`} title={`Deploy a version of ${c.name} (Deploys)`}>
            <Rocket size={14} aria-hidden="true" />
          </a>
          <button type="button" className="icon-button icon-button-danger" aria-label={`Remove ${c.name}`} title={`Remove ${c.name}`} disabled={pending !== null} onClick={() => onAction('remove')}>
            <Trash2 size={14} aria-hidden="true" />
          </button>
        </td>
      </tr>
      {expanded && (
        <tr className="crow-detail" id={detailId}>
          <td colSpan={5}>
            <div className="cdetail-tabs" role="tablist" aria-label={`${c.name} details`}>
              <button type="button" role="tab" aria-selected={tab === 'overview'} className={`cdetail-tab${tab === 'overview' ? ' is-active' : ''}`} onClick={() => setTab('overview')}>
                Overview
              </button>
              <button type="button" role="tab" aria-selected={tab === 'inspect'} className={`cdetail-tab${tab === 'inspect' ? ' is-active' : ''}`} onClick={() => setTab('inspect')}>
                Inspect
              </button>
            </div>
            {tab === 'overview' ? <HealthDetail hostId={hostId} container={c} /> : <InspectPanel hostId={hostId} containerId={c.id} name={c.name} />}
          </td>
        </tr>
      )}
    </Fragment>
  )
}

/** A published TCP port opens New tunnel set to the host's 127.0.0.1:<port>; others are plain text. */
function PortEntry({ hostId, name, entry }: { hostId: string; name: string; entry: string }) {
  const port = publishedTcpPort(entry)
  if (port === undefined) return <>{entry}</>
  return (
    <a className="crow-port-link" href={hashFor('tunnels', ['new'], { host: hostId, port })} aria-label={`Tunnel to ${name} port ${port}`} title={`Tunnel to this port (${hostId} 127.0.0.1:${port})`}>
      {entry}
    </a>
  )
}
