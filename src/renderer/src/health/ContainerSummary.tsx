/** Counts from containers.list: running, unhealthy, exited; a link to the Containers area for the rest. */
import { useHostContainers } from './health-queries'

export function ContainerSummary({ hostId }: { hostId: string }) {
  const list = useHostContainers(hostId)
  if (!list.data) {
    return (
      <p className="hcontainers faint" role="status">
        Containers: {list.isError ? <span title={list.error instanceof Error ? list.error.message : undefined}>Docker not reachable</span> : 'loading…'}
      </p>
    )
  }
  const running = list.data.filter((c) => c.state === 'running').length
  // One state per container: an exited container whose last health check failed is exited, not unhealthy.
  const unhealthy = list.data.filter((c) => c.state === 'running' && c.health === 'unhealthy').length
  const exited = list.data.filter((c) => c.state === 'exited' || c.state === 'dead').length
  return (
    <p className="hcontainers" aria-label={`Containers on ${hostId}`}>
      <a href="#/containers">Containers</a>
      <span className="hcount hcount-ok">{running} running</span>
      <span className={`hcount ${unhealthy ? 'hcount-danger' : 'hcount-none'}`}>{unhealthy} unhealthy</span>
      <span className={`hcount ${exited ? 'hcount-warn' : 'hcount-none'}`}>{exited} exited</span>
      <span className="faint">of {list.data.length}</span>
    </p>
  )
}
