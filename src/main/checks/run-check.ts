/** Runs one check of any kind once: picks the probe and where it runs from. */
import type { Check, HealthResult } from '../../shared/contract'
import { fail, unknown, type ProbeResult } from './probe-result'
import { probeDns } from './probes/dns-probe'
import { judgeContainers, judgeDisk, judgeMemory, judgeUnits, containerProblem } from './probes/host-probes'
import { HostRunner } from './probes/host-runner'
import { probeHttpFromHost, probeHttpLocal } from './probes/http-probe'
import { probeTcpFromHost, probeTcpLocal } from './probes/tcp-probe'
import { probeTls } from './probes/tls-probe'
import type { HealthSources } from './sources'

export interface RunDeps {
  sources: HealthSources
  fetch: typeof fetch
  env: NodeJS.ProcessEnv
}

export async function runCheck(check: Check, deps: RunDeps): Promise<ProbeResult> {
  const host = new HostRunner(deps.sources.host)
  const unavailable = (r: unknown): r is { unavailable: ProbeResult } => typeof r === 'object' && r !== null && 'unavailable' in r
  try {
    switch (check.kind) {
      case 'http':
        return check.runFrom === 'host' ? await probeHttpFromHost(check, host) : await probeHttpLocal(check, deps.fetch)
      case 'tcp':
        return check.runFrom === 'host' ? await probeTcpFromHost(check, host) : await probeTcpLocal(check)
      case 'tls':
        return await probeTls(check, { env: deps.env })
      case 'dns':
        return await probeDns(check, await deps.sources.dnsKnowledge())
      case 'disk':
      case 'memory': {
        const facts = await host.read(check.hostId, 'Facts', () => deps.sources.facts(check.hostId))
        if (unavailable(facts)) return facts.unavailable
        const threshold = await deps.sources.threshold()
        return check.kind === 'disk' ? judgeDisk(check, facts, threshold) : judgeMemory(check, facts, threshold)
      }
      case 'container': {
        const containers = await host.read(check.hostId, 'Containers', () => deps.sources.containers(check.hostId))
        if (unavailable(containers)) return containers.unavailable
        const health = new Map<string, HealthResult[]>()
        // The health check's own output says why; read it for the containers that are wrong.
        for (const c of containers.filter((x) => containerProblem(x) && (!check.container || x.name === check.container))) {
          health.set(c.id, await deps.sources.containerHealth(check.hostId, c.id).catch(() => []))
        }
        return judgeContainers(check, check.hostId, containers, health)
      }
      case 'unit': {
        const units = await host.read(check.hostId, 'Units', () => deps.sources.units(check.hostId, check.units))
        if (unavailable(units)) {
          // A host without systemd has nothing to check: one quiet line, not a failure.
          return /systemd|systemctl/.test(units.unavailable.message) ? unknown(`${check.hostId} does not run systemd; no units to check.`) : units.unavailable
        }
        return judgeUnits(check.hostId, units)
      }
    }
  } catch (err) {
    return fail(`The check could not complete: ${(err as Error).message}`)
  }
}
