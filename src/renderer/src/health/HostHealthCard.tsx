/**
 * One connected host: its facts (flagged amber or red with the reason when over the threshold), a
 * container summary and its picked units.
 */
import { QueryState } from '../ui/QueryState'
import type { Host } from '../ssh/ssh-queries'
import { ContainerSummary } from './ContainerSummary'
import { FactsBars, FactsSummary } from './FactsPanel'
import { useFacts } from './health-queries'
import { UnitsPanel } from './UnitsPanel'
import { HostCharts, Sparkline } from './HostCharts'

export function HostHealthCard({ host, threshold }: { host: Host; threshold: number }) {
  const facts = useFacts(host.id)
  const flags = facts.data?.flags ?? []
  const level = flags.some((f) => f.severity === 'critical') ? 'critical' : flags.length ? 'warning' : 'ok'
  return (
    <article className={`hcard hcard-${level}`} aria-label={`Health of ${host.id}`} data-health-host={host.id}>
      <header className="hcard-head">
        <h3>{host.id}</h3>
        <span className="faint small mono">
          {host.user}@{host.hostname}
        </span>
        <Sparkline hostId={host.id} title={host.id} />
        {facts.data && <span className={`hchip hchip-${level === 'ok' ? 'ok' : level === 'critical' ? 'danger' : 'warn'}`}>{level === 'ok' ? 'ok' : `${flags.length} flagged`}</span>}
      </header>
      {flags.length > 0 && (
        <ul className="hflags" aria-label={`Flags on ${host.id}`}>
          {flags.map((f) => (
            <li key={`${f.kind}:${f.subject}`} className={`hflag hflag-${f.severity}`}>
              {f.message}
            </li>
          ))}
        </ul>
      )}
      <QueryState query={facts} loading="Reading facts…" failed={`Facts from ${host.id} could not be read`}>
        {(data) => (
          <div className="hcard-facts">
            <FactsSummary facts={data} />
            <FactsBars facts={data} threshold={threshold} />
          </div>
        )}
      </QueryState>
      <HostCharts hostId={host.id} threshold={threshold} />
      <ContainerSummary hostId={host.id} />
      <UnitsPanel hostId={host.id} />
    </article>
  )
}
