/** Marks data that is still the last good copy because the latest refresh failed. */
import { TriangleAlert } from 'lucide-react'
import { providerErrorLine } from '../rpc/provider-errors'

export function StaleBadge({ error }: { error: unknown }) {
  const line = providerErrorLine(error)
  return (
    <span className="stale-badge" role="status" title={`Showing the last good data. The latest refresh failed: ${line}`}>
      <TriangleAlert size={12} aria-hidden="true" />
      <span>stale — last refresh failed: {line}</span>
    </span>
  )
}
