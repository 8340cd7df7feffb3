/**
 * "Found, not typed": checks proposed from what Dropdeck already knows. An HTTPS and a TLS check per
 * DNS record that points at a droplet; an HTTP check (run from the host) per container whose own health
 * check fetches a URL; disk, memory, container and unit checks per connected host. Each proposal says
 * where it comes from, and whether an equal check exists, so the operator keeps, edits or drops it.
 */
import { CheckInputSchema, type CheckInput, type CheckSpec, type Check } from '../../shared/contract/checks'
import type { HealthSources } from './sources'

export interface Proposal {
  check: CheckSpec
  reason: string
  exists: boolean
}

/** The fields that make two checks the same check (not the name or timings). */
export function identity(c: CheckInput | Check): string {
  switch (c.kind) {
    case 'http':
      return `http ${c.runFrom ?? 'local'} ${c.hostId ?? ''} ${c.url}`
    case 'tls':
      return `tls ${c.host}:${c.port ?? 443}`
    case 'dns':
      return `dns ${c.hostname.toLowerCase()}`
    case 'tcp':
      return `tcp ${c.runFrom ?? 'local'} ${c.hostId ?? ''} ${c.host}:${c.port}`
    case 'disk':
      return `disk ${c.hostId} ${c.mount ?? '*'}`
    case 'memory':
      return `memory ${c.hostId}`
    case 'container':
      return `container ${c.hostId} ${c.container ?? '*'}`
    case 'unit':
      return `unit ${c.hostId} ${(c.units ?? ['(picked)']).join(',')}`
  }
}

const MAX_RECORDS = 100

export async function proposeChecks(sources: HealthSources, existing: Check[]): Promise<Proposal[]> {
  const out: CheckInput[] = []
  const reasons: string[] = []
  const add = (check: CheckInput, reason: string) => {
    out.push(check)
    reasons.push(reason)
  }

  const knowledge = await sources.dnsKnowledge()
  const names = new Set<string>()
  for (const r of knowledge.records) {
    if (!['A', 'AAAA', 'CNAME'].includes(r.type) || r.name.startsWith('*.') || names.has(r.name) || names.size >= MAX_RECORDS) continue
    if (!r.droplet && !r.dangling) continue // CNAMEs to elsewhere and records of other services are not ours to watch
    names.add(r.name)
    const to = r.droplet ? `droplet ${r.droplet.name}` : `${r.content}, which is no droplet's address`
    add({ kind: 'dns', name: `DNS ${r.name}`, hostname: r.name, ...(r.droplet ? { expectDroplet: r.droplet.name } : {}) }, `${r.type} record ${r.name} → ${to}`)
    if (r.droplet) {
      add({ kind: 'http', name: `HTTPS ${r.name}`, url: `https://${r.name}/`, expectStatus: '200-399' }, `${r.type} record ${r.name} → droplet ${r.droplet.name}`)
      add({ kind: 'tls', name: `TLS ${r.name}`, host: r.name }, `${r.type} record ${r.name} → droplet ${r.droplet.name}`)
    }
  }
  for (const m of await sources.missingHostnames()) {
    add({ kind: 'dns', name: `DNS ${m.hostname}`, hostname: m.hostname }, `${m.hostname} is used by ${m.usedBy} and has no record`)
  }

  const hosts = (await sources.hosts().catch(() => [])).filter((h) => h.state === 'connected')
  for (const h of hosts) {
    add({ kind: 'disk', name: `Disk on ${h.id}`, hostId: h.id }, `host ${h.id}`)
    add({ kind: 'memory', name: `Memory on ${h.id}`, hostId: h.id }, `host ${h.id}`)
    const containers = await sources.containers(h.id).catch(() => null)
    if (containers) {
      add({ kind: 'container', name: `Containers on ${h.id}`, hostId: h.id }, `${containers.length} containers on ${h.id}`)
      for (const c of containers.filter((x) => x.state === 'running' && x.health !== null)) {
        const url = await sources.containerHealthUrl(h.id, c.id).catch(() => null)
        if (url) add({ kind: 'http', name: `${c.name} health`, url, runFrom: 'host', hostId: h.id }, `container ${c.name}'s own health check fetches ${url}`)
      }
    }
    const units = await sources.units(h.id).catch(() => null)
    if (units?.some((u) => u.exists)) {
      const present = units.filter((u) => u.exists).map((u) => u.name)
      add({ kind: 'unit', name: `Units on ${h.id}`, hostId: h.id, units: present }, `units ${present.join(', ')} on ${h.id}`)
    }
  }

  const have = new Set(existing.map(identity))
  return out.map((check, i) => ({ check: CheckInputSchema.parse(check), reason: reasons[i], exists: have.has(identity(check)) }))
}
