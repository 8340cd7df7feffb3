/**
 * What a container's detail panel reads beyond the list: inspect (environment with secret-looking
 * values held back until asked for one by name, mounts, ports, networks, labels, restart policy), one
 * CPU and memory reading, and its last log lines. All over the Engine API (./engine.ts).
 */
import type { ContainerInspect, ContainerStats } from '../../shared/contract/containers'
import { DropdeckError } from '../../shared/errors'
import { DockerDemux, type DockerStream } from '../logs/docker-demux'
import type { DockerEngine } from './engine'

/** Names whose values are credentials more often than not; matched on `_`/`-`-separated words and as suffixes (DB_PASS, APIKEY). */
const SECRET_NAME = /(PASSWORD|PASSWD|PASS|SECRET|TOKEN|KEY|CREDENTIALS?|AUTH|PRIVATE|DSN|SALT|COOKIE|SESSION|SIGNATURE|CERT)(_|$)/i

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name) || /_PWD$/i.test(name) || /(^|_)(DATABASE_URL|REDIS_URL|MONGO(DB)?_URI|AMQP_URL)$/i.test(name)
}

/** The part of GET /containers/{id}/json the Inspect tab reads. */
interface FullInspect {
  Id: string
  Name: string
  Path?: string
  Args?: string[] | null
  RestartCount?: number
  Config: { Image: string; Env?: string[] | null; Labels?: Record<string, string> | null; WorkingDir?: string; User?: string; ExposedPorts?: Record<string, object> | null }
  State: { OOMKilled?: boolean; Error?: string }
  HostConfig?: { RestartPolicy?: { Name?: string; MaximumRetryCount?: number }; NetworkMode?: string }
  Mounts?: Array<{ Type?: string; Source?: string; Name?: string; Destination: string; Mode?: string; RW?: boolean }> | null
  NetworkSettings?: {
    Ports?: Record<string, Array<{ HostIp: string; HostPort: string }> | null> | null
    Networks?: Record<string, { IPAddress?: string; Aliases?: string[] | null }> | null
  }
}

function envEntries(env: string[]): Array<[string, string]> {
  return env.map((e) => {
    const eq = e.indexOf('=')
    return eq === -1 ? [e, ''] : [e.slice(0, eq), e.slice(eq + 1)]
  })
}

async function inspectFull(engine: Pick<DockerEngine, 'request'>, hostId: string, id: string): Promise<FullInspect> {
  return (await engine.request(hostId, 'GET', `/containers/${encodeURIComponent(id)}/json`)).json<FullInspect>()
}

/** `ports`: how the list shows them (published, then exposed only), so both read alike. */
export async function inspectContainer(engine: Pick<DockerEngine, 'request'>, hostId: string, id: string, ports: (i: FullInspect) => string[]): Promise<ContainerInspect> {
  const i = await inspectFull(engine, hostId, id)
  return {
    id: i.Id,
    name: i.Name.replace(/^\//, ''),
    image: i.Config.Image,
    command: [i.Path ?? '', ...(i.Args ?? [])].filter((part, n) => n > 0 || part !== ''),
    workingDir: i.Config.WorkingDir ?? '',
    user: i.Config.User ?? '',
    env: envEntries(i.Config.Env ?? []).map(([name, value]) => (looksSecret(name) ? { name, value: null, secret: true } : { name, value, secret: false })),
    mounts: (i.Mounts ?? []).map((m) => ({ type: m.Type ?? 'bind', source: m.Type === 'volume' && m.Name ? m.Name : (m.Source ?? ''), destination: m.Destination, mode: m.Mode ?? '', readOnly: m.RW === false })),
    ports: ports(i),
    networks: Object.entries(i.NetworkSettings?.Networks ?? {}).map(([name, n]) => ({ name, ipAddress: n.IPAddress ?? '', aliases: n.Aliases ?? [] })),
    networkMode: i.HostConfig?.NetworkMode ?? '',
    labels: i.Config.Labels ?? {},
    restartPolicy: { name: i.HostConfig?.RestartPolicy?.Name || 'no', maximumRetries: i.HostConfig?.RestartPolicy?.MaximumRetryCount ?? 0 },
    restartCount: i.RestartCount ?? 0,
    oomKilled: i.State.OOMKilled === true,
    error: i.State.Error ?? ''
  }
}

export async function revealEnv(engine: Pick<DockerEngine, 'request'>, hostId: string, id: string, name: string): Promise<{ name: string; value: string }> {
  const found = envEntries((await inspectFull(engine, hostId, id)).Config.Env ?? []).find(([n]) => n === name)
  if (!found) throw new DropdeckError('NOT_FOUND', `${id} on ${hostId} has no environment variable ${name}. Reload its details.`)
  return { name, value: found[1] }
}

interface StatsReading {
  read: string
  cpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number; online_cpus?: number }
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number }
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> }
}

/**
 * One reading (`stream=false`): docker samples twice a second apart and reports both, so the CPU
 * share comes from the difference, as `docker stats` computes it. Memory leaves out the page cache
 * (cgroup v2 `inactive_file`, v1 `total_inactive_file`), as `docker stats` does.
 */
export async function containerStats(engine: Pick<DockerEngine, 'request'>, hostId: string, id: string): Promise<ContainerStats> {
  const s = (await engine.request(hostId, 'GET', `/containers/${encodeURIComponent(id)}/stats?stream=false`, { timeoutMs: 15_000 })).json<StatsReading>()
  return statsFrom(s)
}

export function statsFrom(s: StatsReading): ContainerStats {
  const cpu = s.cpu_stats?.cpu_usage?.total_usage
  const preCpu = s.precpu_stats?.cpu_usage?.total_usage
  const system = s.cpu_stats?.system_cpu_usage
  const preSystem = s.precpu_stats?.system_cpu_usage
  const cpus = s.cpu_stats?.online_cpus || 1
  let cpuPercent: number | null = null
  if (cpu !== undefined && preCpu !== undefined && system !== undefined && preSystem !== undefined && system > preSystem && preSystem > 0) {
    cpuPercent = Math.max(0, ((cpu - preCpu) / (system - preSystem)) * cpus * 100)
  }
  const mem = s.memory_stats ?? {}
  const cache = mem.stats?.inactive_file ?? mem.stats?.total_inactive_file ?? 0
  const used = Math.max(0, (mem.usage ?? 0) - (cache < (mem.usage ?? 0) ? cache : 0))
  return { cpuPercent, memoryBytes: used, memoryLimitBytes: mem.limit ?? 0, at: s.read }
}

/** The last `lines` log lines; a TTY container's log is raw text, anything else docker's multiplexed frames. */
export async function tailLogs(engine: Pick<DockerEngine, 'request'>, hostId: string, id: string, lines: number): Promise<Array<{ stream: DockerStream; text: string }>> {
  const path = `/containers/${encodeURIComponent(id)}`
  const tty = (await engine.request(hostId, 'GET', `${path}/json`)).json<{ Config: { Tty?: boolean } }>().Config.Tty === true
  const body = (await engine.request(hostId, 'GET', `${path}/logs?stdout=1&stderr=1&tail=${lines}`)).body
  if (tty) return splitLines(body.toString('utf8')).map((text) => ({ stream: 'stdout' as const, text }))
  const out: Array<{ stream: DockerStream; text: string }> = []
  const demux = new DockerDemux((stream, bytes) => {
    for (const text of splitLines(bytes.toString('utf8'))) out.push({ stream, text })
  })
  demux.push(body)
  return out.slice(-lines)
}

function splitLines(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l, i, all) => l !== '' || i < all.length - 1)
}
