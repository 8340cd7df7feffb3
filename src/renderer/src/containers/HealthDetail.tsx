/**
 * The expanded part of a container row: why it is in its state. The health check's last results
 * (when, exit code, output), newest first, so an unhealthy container shows what its check printed;
 * for a stopped container, its exit code.
 */
import { useQuery } from '@tanstack/react-query'
import { useApi } from '../rpc/api-context'
import { ErrorNotice } from '../ui/ErrorNotice'
import { containersKeys, type Container } from './containers-queries'
import { formatAgo } from '../ui/format'

export function HealthDetail({ hostId, container }: { hostId: string; container: Container }) {
  const api = useApi()
  const health = useQuery({
    queryKey: containersKeys.health(hostId, container.id),
    queryFn: () => api.call('containers.health', { hostId, id: container.id }),
    enabled: container.health !== null
  })
  return (
    <div className="cdetail">
      <dl className="cdetail-facts">
        <dt>Image</dt>
        <dd className="mono">{container.image}</dd>
        <dt>Started</dt>
        <dd>{container.startedAt ? `${formatAgo(container.startedAt)} (${new Date(container.startedAt).toLocaleString()})` : 'never'}</dd>
        {container.exitCode !== null && (
          <>
            <dt>Exit code</dt>
            <dd className={container.exitCode === 0 ? '' : 'cdetail-bad'}>{container.exitCode}</dd>
          </>
        )}
        {container.ports.length > 0 && (
          <>
            <dt>Ports</dt>
            <dd className="mono">{container.ports.join(', ')}</dd>
          </>
        )}
        <dt>Id</dt>
        <dd className="mono">{container.id.slice(0, 12)}</dd>
      </dl>
      {container.health === null ? (
        <p className="faint small">No health check is configured for this container.</p>
      ) : !health.data ? (
        health.isError ? <ErrorNotice error={health.error} title="The health check results could not be read" /> : <p className="faint small" role="status">Reading health check results…</p>
      ) : health.data.length === 0 ? (
        <p className="faint small">The health check has not run yet.</p>
      ) : (
        <table className="cdetail-checks" aria-label={`Health check results for ${container.name}`}>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Exit</th>
              <th scope="col">Output</th>
            </tr>
          </thead>
          <tbody>
            {[...health.data].reverse().map((r) => (
              <tr key={r.start} className={r.exitCode === 0 ? '' : 'is-failed'}>
                <td className="nowrap" title={new Date(r.end).toLocaleString()}>
                  {formatAgo(r.end)}
                </td>
                <td className="num">{r.exitCode}</td>
                <td>
                  <pre className="cdetail-output">{r.output.trim() || '(no output)'}</pre>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
