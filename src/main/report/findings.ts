/**
 * The audit's findings, each with a severity and a suggested fix (seed 002's list): unhealthy and
 * exited containers, disks at the threshold and at 95%, host names with no record, dangling records,
 * droplets without a firewall, public listeners no firewall covers, certificates expiring, failed
 * units, containers on `latest` or untagged images, droplets without backups, checks that are down.
 */
import { containerProblem } from '../checks/probes/host-probes'
import { CRITICAL_PERCENT } from '../facts/facts-flags'
import type { AuditData } from './audit-data'

export interface Finding {
  severity: 'critical' | 'warning' | 'info'
  title: string
  subject: string
  fix: string
}

const RANK = { critical: 0, warning: 1, info: 2 }

/** Does a DigitalOcean firewall port spec (`22`, `8000-8100`, `all`, `0`) cover the port? */
export function portCovered(spec: string, port: number): boolean {
  if (spec === 'all' || spec === '0' || spec === '') return true
  const [lo, hi] = spec.split('-').map(Number)
  return hi === undefined ? port === lo : port >= lo && port <= hi
}

export function imageTagProblem(image: string): string | null {
  if (image.startsWith('sha256:') || /^[0-9a-f]{12,64}$/.test(image)) return 'an untagged image'
  const name = image.split('@')[0]
  const tag = name.slice(name.lastIndexOf('/') + 1).split(':')[1]
  if (image.includes('@')) return null // pinned by digest
  if (tag === undefined || tag === 'latest') return `${tag === undefined ? 'no tag (latest)' : ':latest'}`
  return null
}

export function findings(data: AuditData): Finding[] {
  const out: Finding[] = []
  const add = (f: Finding) => out.push(f)

  for (const h of data.hosts) {
    for (const c of h.containers ?? []) {
      const p = containerProblem(c)
      if (p) add({ severity: 'critical', title: c.state === 'running' ? 'Unhealthy container' : 'Exited container', subject: `${c.name} on ${h.host.id}`, fix: `Read its logs (Logs → ${c.name}) and its health check output; fix the cause, then restart it, or stop and remove it if it is retired.` })
      const tag = imageTagProblem(c.image)
      if (tag && c.state !== 'removed') add({ severity: 'warning', title: 'Container on a moving image tag', subject: `${c.name} on ${h.host.id} runs ${c.image} (${tag})`, fix: 'Pin a versioned tag (or digest) so a restart cannot silently change what runs, and so you can roll back.' })
    }
    for (const d of h.facts?.disks ?? []) {
      if (d.usedPercent >= CRITICAL_PERCENT) add({ severity: 'critical', title: `Disk at ${d.usedPercent}%`, subject: `${d.mount} on ${h.host.id}`, fix: 'Free space now: docker system prune (Containers → Disk use), journalctl --vacuum-size=500M, old logs; then set a disk check.' })
      else if (d.usedPercent >= data.threshold) add({ severity: 'warning', title: `Disk at ${d.usedPercent}%`, subject: `${d.mount} on ${h.host.id}`, fix: `Over the ${data.threshold}% threshold: prune Docker data and rotate logs before it fills.` })
    }
    if (h.facts && h.facts.memory.usedPercent >= data.threshold) add({ severity: h.facts.memory.usedPercent >= CRITICAL_PERCENT ? 'critical' : 'warning', title: `Memory at ${h.facts.memory.usedPercent}%`, subject: h.host.id, fix: 'Find the largest containers or processes; add swap or resize the droplet.' })
    for (const u of (h.units ?? []).filter((x) => x.activeState === 'failed')) add({ severity: 'critical', title: 'Failed systemd unit', subject: `${u.name} on ${h.host.id}`, fix: `Read journalctl -u ${u.name}, fix the cause, then restart it.` })
    if (h.publicPorts?.length) {
      const fws = h.droplet ? firewallsOf(data, h.droplet.id, h.droplet.tags) : []
      const open = h.publicPorts.filter((port) => !fws.some((f) => f.inboundPorts.some((spec) => portCovered(spec, port))))
      const uncovered = fws.length ? open : h.publicPorts
      if (uncovered.length && (fws.length || h.droplet)) {
        add({ severity: 'warning', title: 'Public listeners no firewall limits', subject: `${h.host.id}: ${uncovered.map((p) => `${p}/tcp`).join(', ')} on every address`, fix: 'Bind internal services to 127.0.0.1 (reach them through a tunnel), or allow only 22, 80 and 443 in a cloud firewall.' })
      }
    }
  }

  for (const r of data.records.filter((x) => x.dangling)) {
    add({ severity: 'critical', title: 'Dangling DNS record', subject: `${r.type} ${r.name} → ${r.content}`, fix: `${r.danglingReason ?? 'It points at no droplet'}. Point it at the droplet that serves it, or delete it (a dangling record can be taken over).` })
  }
  for (const m of data.missing) {
    add({ severity: 'critical', title: 'Host name with no DNS record', subject: `${m.hostname} (used by ${m.usedBy})`, fix: 'Add an A record pointing at its droplet if the service should exist; else remove every reference to the name.' })
  }

  for (const d of data.droplets) {
    if (firewallsOf(data, d.id, d.tags).length === 0) add({ severity: 'warning', title: 'Droplet without a cloud firewall', subject: d.name, fix: 'Create a firewall from the template (22, 80, 443 inbound) in Droplets → Firewalls and attach it.' })
    if (d.backups === false) add({ severity: 'warning', title: 'Droplet without backups', subject: d.name, fix: 'Enable weekly backups (20% of the droplet price) or take scheduled snapshots.' })
    if (!d.monitoring) add({ severity: 'info', title: 'No metrics agent', subject: d.name, fix: 'Install do-agent (curl -sSL https://repos.insights.digitalocean.com/install.sh | sudo bash) for memory, disk and load history.' })
  }

  for (const { check, status } of data.checks) {
    if (status.state !== 'down') continue
    if (check.kind === 'tls') add({ severity: status.severity === 'warning' ? 'warning' : 'critical', title: 'TLS certificate', subject: `${check.host}:${check.port}`, fix: status.message })
    else if (check.kind === 'http' || check.kind === 'tcp') add({ severity: status.severity ?? 'critical', title: 'Check down', subject: check.name, fix: status.message })
  }

  return out.sort((a, b) => RANK[a.severity] - RANK[b.severity])
}

function firewallsOf(data: AuditData, dropletId: number, tags: string[]) {
  return data.firewalls.filter((f) => f.dropletIds.includes(dropletId) || f.tags.some((t) => tags.includes(t)))
}
