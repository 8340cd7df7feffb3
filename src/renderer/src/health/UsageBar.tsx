/** A labelled bar for memory, swap or a disk: green under the threshold, amber over it, red from 95%. */
import { formatBytes } from '../ui/format'
import { formatPercent, usageLevel } from './health-format'

interface UsageBarProps {
  label: string
  used: number
  total: number
  percent: number
  threshold: number
  /** For swap: a host without swap says so instead of drawing an empty bar. */
  emptyText?: string
}

export function UsageBar({ label, used, total, percent, threshold, emptyText }: UsageBarProps) {
  if (total === 0 && emptyText) {
    return (
      <div className="hbar">
        <span className="hbar-label">{label}</span>
        <span className="hbar-empty faint">{emptyText}</span>
      </div>
    )
  }
  const level = usageLevel(percent, threshold)
  return (
    <div className={`hbar hbar-${level}`}>
      <span className="hbar-label truncate" title={label}>
        {label}
      </span>
      <span
        className="hbar-track"
        role="meter"
        aria-label={`${label} used`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${formatPercent(percent)} of ${formatBytes(total, 'iec')}`}
      >
        <span className="hbar-fill" style={{ width: `${Math.min(100, percent)}%` }} />
        <span className="hbar-mark" style={{ left: `${threshold}%` }} aria-hidden="true" />
      </span>
      <span className="hbar-value num">
        <span className="strong">{formatPercent(percent)}</span> <span className="faint">{formatBytes(used, 'iec')} / {formatBytes(total, 'iec')}</span>
      </span>
    </div>
  )
}
