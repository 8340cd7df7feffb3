/** Formatting for the Health area: percentages and their level (sizes and durations: ui/format.ts). */

export function formatPercent(p: number): string {
  return `${p >= 10 ? Math.round(p) : p.toFixed(1)}%`
}

/** The level a use percentage is at against the threshold: drives amber and red. */
export function usageLevel(percent: number, threshold: number): 'ok' | 'warning' | 'critical' {
  if (percent >= 95) return 'critical'
  return percent >= threshold ? 'warning' : 'ok'
}
