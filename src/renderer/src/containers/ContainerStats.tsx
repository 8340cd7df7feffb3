/** Live CPU and memory of a running container: one Engine API reading every few seconds while shown. */
import { useQuery } from '@tanstack/react-query'
import { useApi } from '../rpc/api-context'
import { formatBytes } from '../ui/format'
import { containersKeys } from './containers-queries'

const EVERY_MS = 5000

export function ContainerStats({ hostId, containerId }: { hostId: string; containerId: string }) {
  const api = useApi()
  const stats = useQuery({ queryKey: containersKeys.stats(hostId, containerId), queryFn: () => api.call('containers.stats', { hostId, id: containerId }), refetchInterval: EVERY_MS })
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
