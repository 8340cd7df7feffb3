/**
 * One host's block in an area that lists every connected host (Containers, Deploys; Health has cards):
 * the host's name as a heading with what the area says about the host beside it (a live chip,
 * counts, a toggle), then the area's content for that host.
 */
import type { ReactNode } from 'react'

export function HostGroup({ hostId, label, className, head, children }: { hostId: string; label: string; className?: string; head?: ReactNode; children: ReactNode }) {
  return (
    <section className={className ? `host-group ${className}` : 'host-group'} aria-label={label}>
      <div className="host-group-head">
        <h3>{hostId}</h3>
        {head}
      </div>
      {children}
    </section>
  )
}
