/**
 * Live CPU and memory of a running container: one Engine API reading every few seconds while shown,
 * each beside a small line of its last hour (metrics.container: sampled every 15 s while the host is
 * connected, so it fills in from the moment Dropdeck connected).
 */
import { useMemo } from 'react'
import { Area, AreaChart, YAxis } from 'recharts'
import type { ContainerMetricPoint } from '../../../shared/contract/metrics'
import { useContractQuery } from '../rpc/contract-queries'
import { formatBytes } from '../ui/format'

const SPARK_W = 96
const SPARK_H = 20
const SPARK_MARGIN = { top: 2, right: 0, bottom: 0, left: 0 }
/** A new sample every 15 s: reading more often would show nothing new. */
const HISTORY_EVERY_MS = 15_000

export function ContainerStats({ hostId, containerId }: { hostId: string; containerId: string }) {
  // read again every few seconds while shown (method-options.ts)
  const stats = useContractQuery('containers.stats', { hostId, id: containerId })
  const history = useContractQuery('metrics.container', { hostId, containerId, range: '1h' }, { refetchInterval: HISTORY_EVERY_MS })
  const points = history.data?.points
  const s = stats.data
  if (!s) return <>{stats.isError ? <span className="faint">not readable</span> : <span className="faint">reading…</span>}</>
  const memPct = s.memoryLimitBytes > 0 ? (s.memoryBytes / s.memoryLimitBytes) * 100 : 0
  return (
    <span className="cstats" aria-label="CPU and memory">
      <span style={ROW}>
        CPU {s.cpuPercent === null ? '—' : `${s.cpuPercent.toFixed(1)} %`}
        <Spark points={points} field="cpu" label="CPU over the last hour" />
      </span>
      <span style={ROW}>
        Memory {formatBytes(s.memoryBytes, 'iec')} <span className="faint">of {formatBytes(s.memoryLimitBytes, 'iec')} ({memPct.toFixed(1)} %)</span>
        <Spark points={points} field="mem" label="Memory over the last hour" />
      </span>
    </span>
  )
}

const ROW = { display: 'inline-flex', alignItems: 'center', gap: 6 } as const
/** The accent colour on a faint baseline, so a line near zero still reads as a chart. */
const SPARK_BOX = { display: 'inline-flex', color: 'var(--accent)', borderBottom: '1px solid var(--border)' } as const

/** One field's last hour as a line without axes; nothing until there are two samples to join. */
function Spark({ points, field, label }: { points: ContainerMetricPoint[] | undefined; field: 'cpu' | 'mem'; label: string }) {
  const data = useMemo(() => (points ?? []).filter((p) => p[field] !== null), [points, field])
  if (data.length < 2) return null
  const max = Math.max(...data.map((p) => p[field] as number))
  const last = data[data.length - 1][field] as number
  const now = field === 'cpu' ? `${last.toFixed(1)} %` : formatBytes(last, 'iec')
  return (
    <span role="img" aria-label={`${label}: ${data.length} samples, now ${now}`} title={`${label} (${data.length} samples)`} style={SPARK_BOX}>
      <AreaChart width={SPARK_W} height={SPARK_H} data={data} margin={SPARK_MARGIN}>
        {/* CPU from 0 to at least 100 % of a core; memory from 0 to a little over its peak, so a leak shows as a climb */}
        <YAxis hide domain={[0, field === 'cpu' ? Math.max(100, max) : Math.max(1, max * 1.25)]} />
        <Area type="linear" dataKey={field} stroke="currentColor" strokeWidth={1.25} fill="currentColor" fillOpacity={0.15} dot={false} isAnimationActive={false} />
      </AreaChart>
    </span>
  )
}
