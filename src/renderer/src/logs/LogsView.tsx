/** The logs area. */
import { findArea } from '../navigation/areas'
import { EmptyState } from '../areas/EmptyState'

export function LogsView() {
  const area = findArea('logs')!
  return (
    <EmptyState icon={area.icon} title={area.label}>
      {area.summary}
    </EmptyState>
  )
}
