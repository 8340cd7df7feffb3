/** Which facts cross the operator's alert threshold (settings.alertThresholdPercent), and why. */
import type { Disk, FactFlag } from '../../shared/contract/facts'

/** Above this a full disk is hours away, not days: shown red rather than amber. */
export const CRITICAL_PERCENT = 95

export function factFlags(input: { disks: Disk[]; memoryUsedPercent: number; memoryTotal: number; memoryAvailable: number }, thresholdPercent: number): FactFlag[] {
  const flags: FactFlag[] = []
  const severity = (p: number) => (p >= CRITICAL_PERCENT ? 'critical' : 'warning') as FactFlag['severity']
  if (input.memoryUsedPercent >= thresholdPercent) {
    flags.push({
      kind: 'memory',
      subject: 'memory',
      usedPercent: input.memoryUsedPercent,
      thresholdPercent,
      severity: severity(input.memoryUsedPercent),
      message: `Memory ${input.memoryUsedPercent}% used (${gib(input.memoryAvailable)} of ${gib(input.memoryTotal)} available), at or over the ${thresholdPercent}% threshold.`
    })
  }
  for (const d of input.disks) {
    if (d.usedPercent < thresholdPercent) continue
    flags.push({
      kind: 'disk',
      subject: d.mount,
      usedPercent: d.usedPercent,
      thresholdPercent,
      severity: severity(d.usedPercent),
      message: `Disk ${d.mount} ${d.usedPercent}% full (${gib(d.available)} free of ${gib(d.size)}), at or over the ${thresholdPercent}% threshold.`
    })
  }
  return flags
}

function gib(bytes: number): string {
  const g = bytes / 1024 ** 3
  return g >= 10 ? `${Math.round(g)} GiB` : g >= 1 ? `${g.toFixed(1)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`
}
