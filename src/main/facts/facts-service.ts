/**
 * A host's facts: one exec of the facts script per refresh (shared with units.list when asked
 * together), parsed and flagged here. The contract's hosts.facts is in ./facts-handlers.ts.
 */
import type { HostFacts } from '../../shared/contract/facts'
import { DropdeckError } from '../../shared/errors'
import type { OpsDeps } from '../app/ops-deps'
import { execBatchFor } from '../ssh/exec-batch'
import { factFlags } from './facts-flags'
import { factsScript, splitSections } from './facts-script'
import { cpuFacts, memoryFacts, parseDf, parseLoadavg, parseMeminfo, parseOsRelease, parseUptime } from './proc-parsers'

const FACTS_TIMEOUT_MS = 15_000

export interface FactsService {
  /** One read of a host's facts; exposed for the benchmark and other services. */
  read(hostId: string): Promise<HostFacts>
}

/** Builds the facts from the script's output; `threshold` is settings.alertThresholdPercent. */
export function factsFromOutput(hostId: string, stdout: string, threshold: number): HostFacts {
  const s = splitSections(stdout)
  if (!s.has('meminfo') || !s.has('end')) {
    throw new DropdeckError('UPSTREAM', `${hostId} did not print its facts (the script stopped early); check that /proc is readable for the SSH user.`, { retryable: true })
  }
  const mem = memoryFacts(parseMeminfo(s.get('meminfo') ?? ''))
  const disks = parseDf(s.get('df') ?? '')
  const now = Number((s.get('now') ?? '').trim())
  return {
    hostId,
    readAt: new Date(Number.isFinite(now) && now > 0 ? now * 1000 : Date.now()).toISOString(),
    hostname: (s.get('hostname') ?? '').trim() || hostId,
    cpu: cpuFacts(s.get('nproc'), s.get('cpuinfo')),
    load: parseLoadavg(s.get('loadavg') ?? ''),
    ...mem,
    disks,
    uptimeSeconds: parseUptime(s.get('uptime') ?? ''),
    os: parseOsRelease(s.get('os-release')),
    kernel: (s.get('kernel') ?? '').trim(),
    flags: factFlags({ disks, memoryUsedPercent: mem.memory.usedPercent, memoryTotal: mem.memory.total, memoryAvailable: mem.memory.available }, threshold)
  }
}

export function createFactsService(deps: OpsDeps): FactsService {
  const script = factsScript()
  // Shares an exec with a units.list for the same host asked for in the same tick (Health asks for both).
  const batch = execBatchFor(deps.ssh)
  async function read(hostId: string): Promise<HostFacts> {
    const [r, settings] = await Promise.all([batch.run(hostId, script, { timeoutMs: FACTS_TIMEOUT_MS }), deps.settings.get()])
    return factsFromOutput(hostId, r.stdout, settings.alertThresholdPercent)
  }
  return { read }
}
