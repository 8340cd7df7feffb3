/**
 * A container's Inspect tab: command, environment (secret-looking values masked until the operator
 * shows one, fetched then by name so masked values never reach the window before), mounts, ports,
 * networks, labels and restart policy.
 */
import { Eye, EyeOff } from 'lucide-react'
import { useState } from 'react'
import { useContractCall, useContractQuery } from '../rpc/contract-queries'
import { ErrorNotice } from '../ui/ErrorNotice'
import { OpenInFilesButton } from '../files/OpenInFilesButton'

export function InspectPanel({ hostId, containerId, name }: { hostId: string; containerId: string; name: string }) {
  const inspect = useContractQuery('containers.inspect', { hostId, id: containerId })
  // The value is kept in this panel only, never in a cache, so hiding it forgets it.
  const revealEnv = useContractCall('containers.revealEnv')
  const [shown, setShown] = useState<Record<string, string>>({})
  const [failure, setFailure] = useState<unknown>(null)
  if (!inspect.data) return inspect.isError ? <ErrorNotice error={inspect.error} title={`${name} could not be inspected`} /> : <p className="faint small" role="status">Inspecting {name}…</p>
  const i = inspect.data
  const reveal = (env: string) =>
    revealEnv({ hostId, id: containerId, name: env }).then(
      (r) => setShown((s) => ({ ...s, [env]: r.value })),
      (error: unknown) => setFailure(error)
    )
  const hide = (env: string) =>
    setShown((s) => {
      const { [env]: _, ...rest } = s
      return rest
    })
  const labels = Object.entries(i.labels).sort(([a], [b]) => a.localeCompare(b))
  return (
    <div className="cinspect" aria-label={`Inspect ${name}`}>
      {failure ? <ErrorNotice error={failure} title="The value could not be read" onDismiss={() => setFailure(null)} /> : null}
      <dl className="cdetail-facts">
        <dt>Command</dt>
        <dd className="mono">{i.command.join(' ') || '—'}</dd>
        {i.workingDir && (
          <>
            <dt>Working dir</dt>
            <dd className="mono">{i.workingDir}</dd>
          </>
        )}
        <dt>User</dt>
        <dd className="mono">{i.user || 'image default'}</dd>
        <dt>Restart policy</dt>
        <dd>
          {i.restartPolicy.name}
          {i.restartPolicy.name === 'on-failure' && i.restartPolicy.maximumRetries > 0 ? ` (up to ${i.restartPolicy.maximumRetries} times)` : ''}
          {i.restartCount > 0 ? `, restarted ${i.restartCount} time${i.restartCount === 1 ? '' : 's'}` : ''}
        </dd>
        {i.oomKilled && (
          <>
            <dt>Memory</dt>
            <dd className="cdetail-bad">killed for running out of memory</dd>
          </>
        )}
        {i.error && (
          <>
            <dt>Docker error</dt>
            <dd className="cdetail-bad">{i.error}</dd>
          </>
        )}
      </dl>
      <h5>Environment</h5>
      {i.env.length === 0 ? (
        <p className="faint small">None.</p>
      ) : (
        <table className="cinspect-table" aria-label={`Environment of ${name}`}>
          <tbody>
            {i.env.map((e) => (
              <tr key={e.name} data-env={e.name}>
                <th scope="row" className="mono">{e.name}</th>
                <td className="mono cinspect-value">
                  {!e.secret ? e.value : e.name in shown ? shown[e.name] : <span className="cinspect-masked" aria-label="hidden value">••••••••</span>}
                </td>
                <td className="cinspect-act">
                  {e.secret && (
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={`${e.name in shown ? 'Hide' : 'Show'} ${e.name}`}
                      title={`${e.name in shown ? 'Hide' : 'Show'} the value`}
                      onClick={() => (e.name in shown ? hide(e.name) : void reveal(e.name))}
                    >
                      {e.name in shown ? <EyeOff size={13} aria-hidden="true" /> : <Eye size={13} aria-hidden="true" />}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h5>Mounts</h5>
      {i.mounts.length === 0 ? (
        <p className="faint small">None.</p>
      ) : (
        <ul className="cinspect-list">
          {i.mounts.map((m) => (
            <li key={m.destination} className="mono">
              {m.source || '(anonymous)'} → {m.destination} <span className="faint">({m.type}{m.readOnly ? ', read-only' : ''})</span>
              {m.source.startsWith('/') && <OpenInFilesButton hostId={hostId} path={m.source} what={`${m.source}, mounted at ${m.destination}`} />}
            </li>
          ))}
        </ul>
      )}
      <h5>Ports</h5>
      {i.ports.length === 0 ? <p className="faint small">{i.networkMode === 'host' ? 'Host networking: it listens on the host directly.' : 'None.'}</p> : <p className="mono small">{i.ports.join(', ')}</p>}
      <h5>Networks</h5>
      <ul className="cinspect-list">
        {i.networks.length === 0 ? <li className="faint">{i.networkMode || 'none'}</li> : i.networks.map((n) => (
          <li key={n.name}>
            <span className="mono">{n.name}</span>
            {n.ipAddress ? <span className="mono faint"> {n.ipAddress}</span> : null}
            {n.aliases.length ? <span className="faint"> (aliases {n.aliases.join(', ')})</span> : null}
          </li>
        ))}
      </ul>
      <h5>Labels</h5>
      {labels.length === 0 ? (
        <p className="faint small">None.</p>
      ) : (
        <table className="cinspect-table" aria-label={`Labels of ${name}`}>
          <tbody>
            {labels.map(([k, v]) => (
              <tr key={k}>
                <th scope="row" className="mono">{k}</th>
                <td className="mono cinspect-value" colSpan={2}>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
