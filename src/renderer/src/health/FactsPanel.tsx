/** A host's facts: memory, swap and disk bars against the threshold, load per CPU, uptime, OS. */
import type { HostFacts } from './health-queries'
import { formatDuration } from '../ui/format'
import { UsageBar } from './UsageBar'

export function FactsSummary({ facts }: { facts: HostFacts }) {
  const perCpu = facts.load.one / Math.max(1, facts.cpu.count)
  return (
    <dl className="hfacts">
      <div>
        <dt>Load</dt>
        <dd className={perCpu >= 1 ? 'hload-high' : undefined} title={`1, 5 and 15 minute load averages on ${facts.cpu.count} CPUs`}>
          <span className="num">{facts.load.one.toFixed(2)}</span> <span className="faint num">{facts.load.five.toFixed(2)} {facts.load.fifteen.toFixed(2)}</span>
        </dd>
      </div>
      <div>
        <dt>CPU</dt>
        <dd className="truncate" title={facts.cpu.model ?? undefined}>
          {facts.cpu.count} × {facts.cpu.model ?? 'unknown model'}
        </dd>
      </div>
      <div>
        <dt>Up</dt>
        <dd className="num">{formatDuration(facts.uptimeSeconds)}</dd>
      </div>
      <div>
        <dt>OS</dt>
        <dd className="truncate" title={facts.kernel}>
          {facts.os.name}
        </dd>
      </div>
    </dl>
  )
}

export function FactsBars({ facts, threshold }: { facts: HostFacts; threshold: number }) {
  return (
    <div className="hbars" role="group" aria-label={`Memory and disks on ${facts.hostId}`}>
      <UsageBar label="Memory" used={facts.memory.used} total={facts.memory.total} percent={facts.memory.usedPercent} threshold={threshold} />
      <UsageBar label="Swap" used={facts.swap.used} total={facts.swap.total} percent={facts.swap.usedPercent} threshold={threshold} emptyText="no swap" />
      {facts.disks.map((d) => (
        <UsageBar key={d.mount} label={d.mount} used={d.used} total={d.used + d.available} percent={d.usedPercent} threshold={threshold} />
      ))}
    </div>
  )
}
