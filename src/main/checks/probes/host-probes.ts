/**
 * Checks read from what Dropdeck already reads on a connected host: disk and memory from the facts
 * (/proc and df), containers from the Engine API with the health check's last output (why a container
 * is unhealthy), systemd units from `systemctl show`.
 */
import type { CheckSpec } from '../../../shared/contract/checks'
import type { Container, HealthResult } from '../../../shared/contract/containers'
import type { HostFacts } from '../../../shared/contract/facts'
import type { Unit } from '../../../shared/contract/units'
import { CRITICAL_PERCENT } from '../../facts/facts-flags'
import { fail, ok, type ProbeResult } from '../probe-result'

type Of<K extends CheckSpec['kind']> = Extract<CheckSpec, { kind: K }>

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`
const severity = (p: number): 'critical' | 'warning' => (p >= CRITICAL_PERCENT ? 'critical' : 'warning')

export function judgeDisk(check: Of<'disk'>, facts: HostFacts, defaultThreshold: number): ProbeResult {
  const threshold = check.thresholdPercent ?? defaultThreshold
  const disks = check.mount ? facts.disks.filter((d) => d.mount === check.mount) : facts.disks
  if (check.mount && disks.length === 0) return fail(`${facts.hostId} has no filesystem mounted at ${check.mount}.`)
  const over = disks.filter((d) => d.usedPercent >= threshold).sort((a, b) => b.usedPercent - a.usedPercent)
  const detail = disks.map((d) => `${d.mount} ${d.usedPercent}% (${gib(d.available)} free of ${gib(d.size)})`).join('; ')
  if (over.length) {
    const d = over[0]
    const more = over.length > 1 ? ` (and ${over.slice(1).map((x) => `${x.mount} ${x.usedPercent}%`).join(', ')})` : ''
    return fail(`Disk ${d.mount} on ${facts.hostId} is ${d.usedPercent}% full, ${gib(d.available)} free${more}, at or over ${threshold}%: prune Docker data and vacuum the journal, or grow the volume.`, { severity: severity(d.usedPercent), detail })
  }
  const top = [...disks].sort((a, b) => b.usedPercent - a.usedPercent)[0]
  return ok(top ? `Disks on ${facts.hostId} under ${threshold}% (fullest: ${top.mount} ${top.usedPercent}%).` : `${facts.hostId} reports no filesystems.`, { detail })
}

export function judgeMemory(check: Of<'memory'>, facts: HostFacts, defaultThreshold: number): ProbeResult {
  const threshold = check.thresholdPercent ?? defaultThreshold
  const m = facts.memory
  const detail = `${gib(m.available)} available of ${gib(m.total)}; swap ${facts.swap.usedPercent}% used`
  if (m.usedPercent >= threshold) return fail(`Memory on ${facts.hostId} is ${m.usedPercent}% used, at or over ${threshold}%: find the largest containers or processes, or resize the droplet.`, { severity: severity(m.usedPercent), detail })
  return ok(`Memory on ${facts.hostId} is ${m.usedPercent}% used.`, { detail })
}

/** Why a container is wrong, or null when it is fine. Exited beats a stale "unhealthy": one state per container. */
export function containerProblem(c: Container): { severity: 'warning' | 'critical'; what: string } | null {
  if (c.state === 'exited' || c.state === 'dead') {
    if (c.state === 'exited' && c.exitCode === 0) return null // a one-shot job that finished
    return { severity: 'critical', what: `${c.name} ${c.state}${c.exitCode !== null ? ` with code ${c.exitCode}` : ''}` }
  }
  if (c.state === 'restarting') return { severity: 'critical', what: `${c.name} is restarting over and over` }
  if (c.state === 'running' && c.health === 'unhealthy') return { severity: 'critical', what: `${c.name} is unhealthy` }
  return null
}

export function judgeContainers(check: Of<'container'>, hostId: string, containers: Container[], health: Map<string, HealthResult[]>): ProbeResult {
  const scope = check.container ? containers.filter((c) => c.name === check.container) : containers
  if (check.container && scope.length === 0) return fail(`${hostId} has no container named ${check.container}: it was removed or renamed.`)
  const problems = scope.flatMap((c) => {
    const p = containerProblem(c)
    return p ? [{ c, ...p }] : []
  })
  if (problems.length === 0) {
    return ok(check.container ? `${check.container} on ${hostId} is ${scope[0].state}${scope[0].health ? ` and ${scope[0].health}` : ''}.` : `${scope.length} containers on ${hostId}, none unhealthy or exited.`)
  }
  const detail = problems
    .map(({ c, what }) => {
      const last = (health.get(c.id) ?? []).filter((h) => h.exitCode !== 0).at(-1)
      const why = last ? `health check exit ${last.exitCode}: ${last.output.trim().slice(0, 400)}` : c.state === 'exited' ? `last exit code ${c.exitCode}` : 'no health check output'
      return `${what} (${c.image}): ${why}`
    })
    .join('\n')
  const names = problems.map((p) => p.what).join('; ')
  return fail(`${names} on ${hostId}: open its logs to see why, then restart it or roll back its image.`, { severity: problems.some((p) => p.severity === 'critical') ? 'critical' : 'warning', detail })
}

export function judgeUnits(hostId: string, units: Unit[]): ProbeResult {
  const failed = units.filter((u) => u.activeState === 'failed')
  const missing = units.filter((u) => !u.exists)
  const detail = units.map((u) => `${u.name}: ${u.exists ? `${u.activeState} (${u.subState})` : 'not-found'}`).join('; ')
  if (failed.length) return fail(`${failed.map((u) => u.name).join(', ')} failed on ${hostId}: read its journal (journalctl -u ${failed[0].name}), fix it, then restart it.`, { detail })
  if (missing.length === units.length && units.length) return fail(`None of ${units.map((u) => u.name).join(', ')} exists on ${hostId}; pick the units this host has.`, { severity: 'warning', detail })
  return ok(`${units.length - missing.length} units on ${hostId}, none failed.`, { detail })
}
