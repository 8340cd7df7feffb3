/** A key combination as the operator types it, e.g. Ctrl K. */
import type { KeyCombo } from '../navigation/shortcuts'

export function Kbd({ combo, className }: { combo: KeyCombo; className?: string }) {
  return (
    <span className={`kbd-combo${className ? ` ${className}` : ''}`} aria-label={combo.join(' ')}>
      {combo.map((key) => (
        <kbd key={key} aria-hidden="true">
          {key}
        </kbd>
      ))}
    </span>
  )
}
