/** Live CPU and memory of a running container: one Engine API reading every few seconds while shown. */
import { useContractQuery } from '../rpc/contract-queries'
import { formatBytes } from '../ui/format'

export function ContainerStats({ hostId, containerId }: { hostId: string; containerId: string }) {
  // read again every few seconds while shown (method-options.ts)
  const stats = useContractQuery('containers.stats', { hostId, id: containerId })
  const s = stats.data
  if (!s) return <>{stats.isError ? <span className="faint">not readable</span> : <span className="faint">reading…</span>}</>
  const memPct = s.memoryLimitBytes > 0 ? (s.memoryBytes / s.memoryLimitBytes) * 100 : 0
  return (
    <span className="cstats" aria-label="CPU and memory">
      <span>CPU {s.cpuPercent === null ? '—' : `${s.cpuPercent.toFixed(1)} %`}</span>
      <span>
        Memory {formatBytes(s.memoryBytes, 'iec')} <span className="faint">of {formatBytes(s.memoryLimitBytes, 'iec')} ({memPct.toFixed(1)} %)</span>
      </span>
    </span>
  )
}
