/**
 * The expanded part of a container row: why it is in its state. A running container: live CPU and
 * memory, and the health check's last results (when, exit code, output), newest first, so an
 * unhealthy container shows what its check printed. A stopped one: that it exited, with which code
 * and when, and its last log lines (what it said before it stopped).
 */
import { useContractQuery } from '../rpc/contract-queries'
import { QueryState } from '../ui/QueryState'
import { ContainerStats } from './ContainerStats'
import type { Container } from './containers-queries'
import { formatAgo } from '../ui/format'

export function HealthDetail({ hostId, container }: { hostId: string; container: Container }) {
  const running = container.state === 'running' || container.state === 'restarting' || container.state === 'paused'
  const health = useContractQuery('containers.health', { hostId, id: container.id }, { enabled: container.health !== null && running })
  const tail = useContractQuery('containers.tail', { hostId, id: container.id, lines: 20 }, { enabled: !running })
  return (
    <div className="cdetail">
      <dl className="cdetail-facts">
        <dt>Image</dt>
        <dd className="mono">{container.image}</dd>
        {running && (
          <>
            <dt>Now</dt>
            <dd>
              <ContainerStats hostId={hostId} containerId={container.id} />
            </dd>
          </>
        )}
        <dt>Started</dt>
        <dd>{container.startedAt ? `${formatAgo(container.startedAt)} (${new Date(container.startedAt).toLocaleString()})` : 'never'}</dd>
        {!running && container.state !== 'created' && (
          <>
            <dt>Stopped</dt>
            <dd className={container.exitCode ? 'cdetail-bad' : ''}>
              {container.state === 'dead' ? 'Dead' : 'Exited'}
              {container.exitCode !== null ? ` with code ${container.exitCode}` : ''}
              {container.finishedAt ? `, ${formatAgo(container.finishedAt)} (${new Date(container.finishedAt).toLocaleString()})` : ''}
            </dd>
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
      {!running ? (
        <QueryState
          query={tail}
          layout="detail"
          loading="Reading its last log lines…"
          failed="Its last log lines could not be read"
          isEmpty={(t) => t.lines.length === 0}
          empty={<p className="faint small">It printed nothing before it stopped.</p>}
        >
          {(t) => (
            <div>
              <h5>Last log lines</h5>
              <pre className="cdetail-output cdetail-tail" aria-label={`Last log lines of ${container.name}`}>
                {t.lines.map((l, n) => (
                  <span key={n} className={l.stream === 'stderr' ? 'cdetail-stderr' : undefined}>
                    {l.text}
                    {'\n'}
                  </span>
                ))}
              </pre>
            </div>
          )}
        </QueryState>
      ) : container.health === null ? (
        <p className="faint small">No health check is configured for this container.</p>
      ) : (
        <QueryState
          query={health}
          layout="detail"
          loading="Reading health check results…"
          failed="The health check results could not be read"
          isEmpty={(results) => results.length === 0}
          empty={<p className="faint small">The health check has not run yet.</p>}
        >
          {(results) => (
        <table className="cdetail-checks" aria-label={`Health check results for ${container.name}`}>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Exit</th>
              <th scope="col">Output</th>
            </tr>
          </thead>
          <tbody>
            {[...results].reverse().map((r) => (
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
        </QueryState>
      )}
    </div>
  )
}
