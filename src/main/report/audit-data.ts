/**
 * What the audit report is made of, read live: droplets (with backups from their detail), firewalls,
 * DNS records and host names with no record, and for every connected SSH host its facts, containers,
 * picked units and public listeners (`ss -Htln`). Anything that cannot be read is listed as a gap
 * rather than failing the report.
 */
import type { Droplet } from '../../shared/contract'
import type { Container } from '../../shared/contract/containers'
import type { CheckStatus, Check } from '../../shared/contract/checks'
import type { HostFacts } from '../../shared/contract/facts'
import type { Unit } from '../../shared/contract/units'
import type { KnownRecord } from '../checks/probes/dns-probe'
import type { HealthSources, HostSummary } from '../checks/sources'

export interface AuditHost {
  host: HostSummary
  droplet: Droplet | null
  facts: HostFacts | null
  containers: Container[] | null
  units: Unit[] | null
  /** Ports listening on every address (0.0.0.0, ::, *). */
  publicPorts: number[] | null
}

export interface AuditData {
  droplets: Array<Droplet & { backups: boolean | null }>
  firewalls: Array<{ name: string; dropletIds: number[]; tags: string[]; inboundPorts: string[] }>
  records: KnownRecord[]
  missing: Array<{ hostname: string; usedBy: string }>
  hosts: AuditHost[]
  checks: Array<{ check: Check; status: CheckStatus }>
  threshold: number
  gaps: string[]
}

/** `ss -Htln` lines: the ports bound to every address. */
export function publicPorts(ssOutput: string): number[] {
  const ports = new Set<number>()
  for (const line of ssOutput.split('\n')) {
    const local = line.trim().split(/\s+/)[3]
    if (!local) continue
    const m = /^(.*):(\d+)$/.exec(local)
    if (!m) continue
    const addr = m[1].replace(/%.*$/, '')
    if (addr === '0.0.0.0' || addr === '*' || addr === '[::]' || addr === '::') ports.add(Number(m[2]))
  }
  return [...ports].sort((a, b) => a - b)
}

export function dropletOfHost(host: HostSummary, droplets: Droplet[]): Droplet | null {
  return droplets.find((d) => d.name === host.id || d.publicIpv4 === host.hostname || d.privateIpv4 === host.hostname || d.publicIpv6 === host.hostname) ?? null
}

export async function collectAudit(sources: HealthSources, checks: () => Promise<Array<{ check: Check; status: CheckStatus }>>): Promise<AuditData> {
  const gaps: string[] = []
  const gap = <T>(what: string, fallback: T) => (err: Error): T => {
    gaps.push(`${what}: ${err.message}`)
    return fallback
  }
  const [droplets, firewalls, knowledge, missing, hosts, threshold, checkList] = await Promise.all([
    sources.droplets(),
    sources.firewalls(),
    sources.dnsKnowledge(),
    sources.missingHostnames(),
    sources.hosts().catch(gap('SSH hosts', [] as HostSummary[])),
    sources.threshold().catch(() => 85),
    checks()
  ])
  const withBackups = await Promise.all(
    droplets.map(async (d) => {
      const detail = await sources.dropletDetail(d.id)
      return { ...d, backups: detail ? detail.features.includes('backups') || detail.backupIds.length > 0 : null }
    })
  )
  const connected = hosts.filter((h) => h.state === 'connected')
  if (hosts.length > connected.length) gaps.push(`${hosts.length - connected.length} SSH host(s) not connected (${hosts.filter((h) => h.state !== 'connected').map((h) => h.id).join(', ')}): their facts, containers and listeners are not in this report.`)
  const auditHosts = await Promise.all(
    connected.map(async (host): Promise<AuditHost> => {
      const [facts, containers, units, ss] = await Promise.all([
        sources.facts(host.id).catch(gap(`facts of ${host.id}`, null)),
        sources.containers(host.id).catch(gap(`containers of ${host.id}`, null)),
        sources.units(host.id).catch(() => null), // a host without systemd has no units: not a gap
        sources.host.exec(host.id, 'ss -Htln 2>/dev/null || netstat -tln 2>/dev/null | tail -n +3', { timeoutMs: 15_000 }).catch(gap(`listeners on ${host.id}`, null))
      ])
      return { host, droplet: dropletOfHost(host, droplets), facts, containers, units, publicPorts: ss && ss.stdout.trim() ? publicPorts(ss.stdout) : null }
    })
  )
  return {
    droplets: withBackups,
    firewalls: firewalls.map((f) => ({
      name: f.name,
      dropletIds: f.dropletIds,
      tags: f.tags,
      inboundPorts: f.rules.filter((r) => r.direction === 'inbound').map((r) => r.ports)
    })),
    records: knowledge.records,
    missing,
    hosts: auditHosts,
    checks: checkList,
    threshold,
    gaps
  }
}
