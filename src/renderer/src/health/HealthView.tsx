/** The health area. */
import { findArea } from '../navigation/areas'
import { EmptyState } from '../areas/EmptyState'

export function HealthView() {
  const area = findArea('health')!
  return (
    <EmptyState icon={area.icon} title={area.label}>
      {area.summary}
    </EmptyState>
  )
}
