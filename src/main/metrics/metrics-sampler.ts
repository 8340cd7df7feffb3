/**
 * Samples every connected host's facts every 15 s (one exec: the facts script plus the CPU and
 * network counters), turns counters into rates against the previous sample, and appends the point to
 * the store. A host that is not connected is not sampled: sampling never opens a connection.
 */
import type { MetricPoint } from '../../shared/contract/checks'
import type { HostFacts } from '../../shared/contract/facts'
import { factsFromOutput } from '../facts/facts-service'
import { factsScript } from '../facts/facts-script'
import type { MetricsStore } from './metrics-store'
import { PeriodicTask } from './periodic-task'

export const SAMPLE_MS = 15_000
const MARK = '@@dropdeck-metrics'

export interface SamplerDeps {
  store: MetricsStore
  /** The hosts connected now (from hosts.changed, so sampling never lists hosts or droplets itself). */
  connected(): string[]
  exec(hostId: string, command: string, options?: { timeoutMs?: number }): Promise<{ stdout: string; stderr: string; code: number | null }>
  threshold(): Promise<number>
  log: (line: string) => void
  intervalMs?: number
  /** Called with every sample (the alerts on disk/memory do not need it; the UI may). */
  onSample?: (hostId: string, point: MetricPoint, facts: HostFacts) => void
}

interface Counters {
  at: number
  cpuBusy: number
  cpuTotal: number
  rx: number
  tx: number
}

/** /proc/stat's first line: busy and total jiffies. */
export function parseCpuLine(text: string): { busy: number; total: number } | null {
  const line = text.split('\n').find((l) => l.startsWith('cpu '))
  if (!line) return null
  const v = line.trim().split(/\s+/).slice(1).map(Number)
  // user nice system idle iowait irq softirq steal (guest is inside user already)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = v
  const total = user + nice + system + idle + iowait + irq + softirq + steal
  return { busy: total - idle - iowait, total }
}

/** /proc/net/dev summed over every interface but loopback. */
export function parseNetDev(text: string): { rx: number; tx: number } | null {
  let rx = 0
  let tx = 0
  let seen = false
  for (const line of text.split('\n')) {
    const m = /^\s*([^:\s]+):\s*(.*)$/.exec(line)
    if (!m || m[1] === 'lo') continue
    const f = m[2].trim().split(/\s+/).map(Number)
    if (f.length < 9) continue
    rx += f[0]
    tx += f[8]
    seen = true
  }
  return seen ? { rx, tx } : null
}

export function samplerScript(): string {
  return `${factsScript()}\necho '${MARK}'; head -n1 /proc/stat; cat /proc/net/dev 2>/dev/null`
}

export class MetricsSampler extends PeriodicTask {
  private readonly last = new Map<string, Counters>()

  constructor(private readonly deps: SamplerDeps) {
    super()
  }

  protected intervalMs(): number {
    return this.deps.intervalMs ?? SAMPLE_MS
  }

  /** One round over the connected hosts (tick() runs one now; a round still running when the next is due is not doubled). */
  protected async round(): Promise<void> {
    await Promise.all(this.deps.connected().map((id) => this.sample(id).catch((err: Error) => this.deps.log(`metrics: ${id}: ${err.message}`))))
  }

  async sample(hostId: string): Promise<MetricPoint> {
    const [r, threshold] = await Promise.all([this.deps.exec(hostId, samplerScript(), { timeoutMs: 15_000 }), this.deps.threshold()])
    const at = r.stdout.indexOf(MARK)
    const facts = factsFromOutput(hostId, at >= 0 ? r.stdout.slice(0, at) : r.stdout, threshold)
    const extra = at >= 0 ? r.stdout.slice(at + MARK.length) : ''
    const cpu = parseCpuLine(extra)
    const net = parseNetDev(extra)
    const now = Date.now()
    const prev = this.last.get(hostId)
    const point: MetricPoint = {
      t: now,
      cpu: prev && cpu && cpu.total > prev.cpuTotal ? round((100 * (cpu.busy - prev.cpuBusy)) / (cpu.total - prev.cpuTotal)) : null,
      load1: facts.load.one,
      mem: facts.memory.usedPercent,
      swap: facts.swap.usedPercent,
      disk: Math.max(0, ...facts.disks.map((d) => d.usedPercent)),
      rx: prev && net && now > prev.at ? Math.max(0, Math.round(((net.rx - prev.rx) * 1000) / (now - prev.at))) : null,
      tx: prev && net && now > prev.at ? Math.max(0, Math.round(((net.tx - prev.tx) * 1000) / (now - prev.at))) : null
    }
    if (cpu && net) this.last.set(hostId, { at: now, cpuBusy: cpu.busy, cpuTotal: cpu.total, rx: net.rx, tx: net.tx })
    await this.deps.store.append(hostId, point)
    this.deps.onSample?.(hostId, point, facts)
    return point
  }
}

const round = (v: number) => Math.round(v * 100) / 100
