// The fleet model rendered as DigitalOcean API v2 JSON, shaped like the provider's own examples
// (../shared/specs/digitalocean.v2.examples.json) so every field the spec requires is present.
import { IMAGES, REGIONS, SIZES, intId, resolveRecords, hexId, uuidFrom, type DropletSpec, type ZoneSpec } from './fleet-model'

export type DoDroplet = Record<string, unknown> & { id: number; name: string; status: string; tags: string[]; locked: boolean }

const ALL_REGIONS = Object.keys(REGIONS)

function gatewayOf(ip: string, prefixBits: number): string {
  const n = ip.split('.').reduce((a, p) => a * 256 + Number(p), 0)
  const mask = prefixBits === 0 ? 0 : (0xffffffff << (32 - prefixBits)) >>> 0
  const g = ((n & mask) >>> 0) + 1
  return [24, 16, 8, 0].map((s) => (g >>> s) & 255).join('.')
}

export function doRegion(slug: string) {
  return {
    name: REGIONS[slug] ?? slug,
    slug,
    features: ['backups', 'ipv6', 'metadata', 'install_agent', 'storage', 'image_transfer'],
    available: true,
    sizes: Object.keys(SIZES),
  }
}

export function doDroplet(d: DropletSpec): DoDroplet {
  const size = SIZES[d.size]
  const image = IMAGES[d.image]
  if (!size) throw new Error(`unknown size ${d.size}`)
  if (!image) throw new Error(`unknown image ${d.image}`)
  const backups = d.features.includes('backups')
  const v4: Record<string, unknown>[] = [{ ip_address: d.publicIp, netmask: '255.255.240.0', gateway: gatewayOf(d.publicIp, 20), type: 'public' }]
  if (d.privateIp) v4.push({ ip_address: d.privateIp, netmask: '255.255.240.0', gateway: gatewayOf(d.privateIp, 20), type: 'private' })
  return {
    id: d.id,
    name: d.name,
    memory: size.memory,
    vcpus: size.vcpus,
    disk: size.disk,
    disk_info: [{ type: 'local', size: { amount: size.disk, unit: 'gib' } }],
    locked: false,
    status: d.status,
    kernel: null,
    created_at: d.createdAt,
    features: d.features,
    backup_ids: backups ? [d.id + 100_000_000] : [],
    next_backup_window: backups ? { start: '2026-03-02T00:00:00Z', end: '2026-03-02T23:00:00Z' } : null,
    snapshot_ids: [],
    image: {
      id: image.id,
      name: image.name,
      distribution: image.distribution,
      slug: image.slug,
      public: image.public,
      regions: image.public ? ALL_REGIONS : [d.region],
      created_at: image.created_at,
      type: image.type,
      min_disk_size: image.min_disk_size,
      size_gigabytes: image.size_gigabytes,
      description: image.type === 'snapshot' ? 'node agent + docker, built by deploy_api' : '',
      tags: [],
      status: 'available',
      error_message: '',
    },
    volume_ids: [],
    size: {
      slug: size.slug,
      memory: size.memory,
      vcpus: size.vcpus,
      disk: size.disk,
      transfer: size.transfer,
      price_monthly: size.price_monthly,
      price_hourly: size.price_hourly,
      regions: ALL_REGIONS,
      available: true,
      description: size.description,
      disk_info: [{ type: 'local', size: { amount: size.disk, unit: 'gib' } }],
    },
    size_slug: size.slug,
    networks: { v4, v6: [] },
    region: doRegion(d.region),
    tags: d.tags,
    vpc_uuid: d.vpcUuid,
  }
}

export function doAccount(dropletCount: number) {
  return {
    droplet_limit: Math.max(25, dropletCount + 25),
    floating_ip_limit: 5,
    email: 'ops@insightpulseai.net',
    name: 'InsightPulse Ops',
    uuid: hexId('account:insightpulse').slice(0, 32) + hexId('account:uuid').slice(0, 8),
    email_verified: true,
    status: 'active',
    status_message: '',
    team: { uuid: hexId('team:insightpulse') + hexId('team:x').slice(0, 8), name: 'InsightPulse AI' },
  }
}

export interface DoDomain {
  name: string
  ttl: number
  zone_file: string
  records: DoRecord[]
}

export interface DoRecord {
  id: number
  type: string
  name: string
  data: string
  priority: number | null
  port: number | null
  ttl: number
  weight: number | null
  flags: number | null
  tag: string | null
}

export function doDomain(zone: ZoneSpec, droplets: DropletSpec[]): DoDomain {
  const records: DoRecord[] = resolveRecords(zone, droplets).map((r) => ({
    id: intId(`${zone.name}/${r.type}/${r.name}/${r.content}`, 28_000_000),
    type: r.type,
    name: r.name,
    data: r.content,
    priority: r.priority ?? null,
    port: null,
    ttl: r.ttl,
    weight: null,
    flags: r.flags ?? null,
    tag: r.tag ?? null,
  }))
  const fq = (n: string) => (n === '@' ? `${zone.name}.` : `${n}.${zone.name}.`)
  const zoneLines = records
    .filter((r) => r.type !== 'SOA')
    .map((r) => `${fq(r.name)} ${r.ttl} IN ${r.type} ${r.type === 'MX' ? `${r.priority} ` : ''}${r.type === 'TXT' ? JSON.stringify(r.data) : r.type === 'CAA' ? `${r.flags} ${r.tag} "${r.data}"` : r.data}${['NS', 'CNAME', 'MX'].includes(r.type) ? '.' : ''}`)
  const zone_file = [`$ORIGIN ${zone.name}.`, '$TTL 1800', `${zone.name}. IN SOA ns1.digitalocean.com. hostmaster.${zone.name}. 1770000000 10800 3600 604800 1800`, ...zoneLines, ''].join('\n')
  return { name: zone.name, ttl: 1800, zone_file, records }
}

/** A request id in the form DigitalOcean sends in x-request-id. */
export function requestId(n: number): string {
  return uuidFrom(`request:${n}:${Date.now()}`)
}

/** A DigitalOcean Container Registry for the stub: its repositories' tags, and the docker login its credentials carry. */
export interface RegistrySpec {
  name: string
  region?: string
  /** The docker host the credentials are for (default registry.digitalocean.com; a local registry in tests). */
  host?: string
  repositories: Array<{ name: string; tags: Array<{ tag: string; updatedAt: string; sizeBytes: number; compressedSizeBytes: number; digest: string }> }>
  /** The user name and password docker-credentials hands out (base64 `user:password` in config.json form). */
  credentials: { username: string; password: string }
}

export function doRegistry(r: RegistrySpec) {
  return { name: r.name, created_at: '2025-11-02T10:00:00Z', region: r.region ?? 'fra1', storage_usage_bytes: r.repositories.reduce((n, repo) => n + repo.tags.reduce((m, t) => m + t.compressedSizeBytes, 0), 0), storage_usage_bytes_updated_at: '2026-01-01T00:00:00Z' }
}

export function doRepositoryTag(r: RegistrySpec, repository: string, t: RegistrySpec['repositories'][number]['tags'][number]) {
  return { registry_name: r.name, repository, tag: t.tag, manifest_digest: t.digest, compressed_size_bytes: t.compressedSizeBytes, size_bytes: t.sizeBytes, updated_at: t.updatedAt }
}

export function doRepositoryV2(r: RegistrySpec, repo: RegistrySpec['repositories'][number]) {
  const latest = [...repo.tags].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0]
  return {
    registry_name: r.name,
    name: repo.name,
    tag_count: repo.tags.length,
    manifest_count: repo.tags.length,
    ...(latest ? { latest_manifest: { digest: latest.digest, registry_name: r.name, repository: repo.name, compressed_size_bytes: latest.compressedSizeBytes, size_bytes: latest.sizeBytes, updated_at: latest.updatedAt, tags: [latest.tag], blobs: [] } } : {})
  }
}

/**
 * What a droplet's metrics agent reports, for the stub's /v2/monitoring/metrics/droplet/* answers.
 * Rates are constant unless `wave` is set (then CPU busy time and bandwidth swing by that fraction over
 * `wavePeriodSeconds`), so a test can state the figure Dropdeck must compute from the counters.
 */
export interface MonitoringProfile {
  vcpus: number
  /** Busy share of total CPU time (user, system, softirq, steal), 0-1; idle and iowait make up the rest. */
  cpuBusy: number
  iowait: number
  load1: number
  load5: number
  load15: number
  memTotalBytes: number
  memAvailableBytes: number
  memFreeBytes: number
  memCachedBytes: number
  fsSizeBytes: number
  fsFreeBytes: number
  /** Public interface, megabits per second as DigitalOcean reports bandwidth. */
  publicInMbps: number
  publicOutMbps: number
  privateInMbps: number
  privateOutMbps: number
  wave: number
  wavePeriodSeconds: number
}

/** A droplet's default profile, varied by its id so fleets look alive but stay deterministic. */
export function monitoringProfile(d: { id: number; memory?: unknown; vcpus?: unknown; disk?: unknown }): MonitoringProfile {
  const k = (d.id % 97) / 97
  const memTotal = (typeof d.memory === 'number' ? d.memory : 2048) * 1024 * 1024
  const fsSize = (typeof d.disk === 'number' ? d.disk : 50) * 1024 ** 3
  return {
    vcpus: typeof d.vcpus === 'number' ? d.vcpus : 2,
    cpuBusy: 0.08 + 0.5 * k,
    iowait: 0.01,
    load1: Math.round((0.2 + 1.6 * k) * 100) / 100,
    load5: Math.round((0.2 + 1.4 * k) * 100) / 100,
    load15: Math.round((0.2 + 1.2 * k) * 100) / 100,
    memTotalBytes: memTotal,
    memAvailableBytes: Math.round(memTotal * (0.75 - 0.5 * k)),
    memFreeBytes: Math.round(memTotal * (0.4 - 0.3 * k)),
    memCachedBytes: Math.round(memTotal * 0.2),
    fsSizeBytes: fsSize,
    fsFreeBytes: Math.round(fsSize * (0.7 - 0.6 * k)),
    publicInMbps: 0.5 + 4 * k,
    publicOutMbps: 0.2 + 2 * k,
    privateInMbps: 0.1,
    privateOutMbps: 0.1,
    wave: 0.3,
    wavePeriodSeconds: 3 * 3600,
  }
}

/** The metrics the stub serves: DigitalOcean's path names under /v2/monitoring/metrics/droplet/. */
export const DROPLET_METRICS = ['cpu', 'load_1', 'load_5', 'load_15', 'memory_total', 'memory_available', 'memory_free', 'memory_cached', 'filesystem_size', 'filesystem_free', 'bandwidth'] as const
export type DropletMetric = (typeof DROPLET_METRICS)[number]

/**
 * DigitalOcean picks the resolution from the window (the spec's 6-hour example is at 120 s); the stub
 * does the same so a 7-day window is ~170 points, not 10,000.
 */
export function monitoringStepSeconds(windowSeconds: number): number {
  if (windowSeconds <= 3 * 3600) return 60
  if (windowSeconds <= 12 * 3600) return 120
  if (windowSeconds <= 2 * 86_400) return 600
  return 3600
}

/** One metric of one droplet over [start, end] as the API's Prometheus-style matrix `data`. */
export function doMetricsData(
  dropletId: number,
  profile: MonitoringProfile,
  metric: DropletMetric,
  start: number,
  end: number,
  opts: { interface?: string; direction?: string; origin?: number } = {},
): { resultType: 'matrix'; result: { metric: Record<string, string>; values: [number, string][] }[] } {
  const step = monitoringStepSeconds(end - start)
  const times: number[] = []
  for (let t = Math.ceil(start / step) * step; t <= end; t += step) times.push(t)
  const host = String(dropletId)
  const origin = opts.origin ?? 1_700_000_000
  const w = profile.wave
  const P = profile.wavePeriodSeconds
  // the wave's integral, so counters are exact sums of the swinging rate
  const swing = (t: number) => (t - origin) + (w * P * (1 - Math.cos((2 * Math.PI * (t - origin)) / P))) / (2 * Math.PI)
  const rate = (t: number) => 1 + w * Math.sin((2 * Math.PI * (t - origin)) / P)
  const fixed = (v: number, digits = 2) => String(Math.round(v * 10 ** digits) / 10 ** digits)
  const series = (labels: Record<string, string>, value: (t: number) => string) => ({ metric: { host_id: host, ...labels }, values: times.map((t): [number, string] => [t, value(t)]) })
  switch (metric) {
    case 'cpu': {
      const busy = (t: number) => profile.vcpus * profile.cpuBusy * swing(t)
      const wall = (t: number) => profile.vcpus * (t - origin)
      const iowait = (t: number) => profile.vcpus * profile.iowait * (t - origin)
      const modes: Record<string, (t: number) => number> = {
        idle: (t) => wall(t) - busy(t) - iowait(t),
        iowait,
        irq: () => 0,
        nice: () => 0,
        softirq: (t) => busy(t) * 0.03,
        steal: (t) => busy(t) * 0.02,
        system: (t) => busy(t) * 0.25,
        user: (t) => busy(t) * 0.7,
      }
      return { resultType: 'matrix', result: Object.entries(modes).map(([mode, f]) => series({ mode }, (t) => fixed(f(t)))) }
    }
    case 'load_1':
    case 'load_5':
    case 'load_15': {
      const v = metric === 'load_1' ? profile.load1 : metric === 'load_5' ? profile.load5 : profile.load15
      return { resultType: 'matrix', result: [series({}, () => fixed(v))] }
    }
    case 'memory_total':
    case 'memory_available':
    case 'memory_free':
    case 'memory_cached': {
      const v = { memory_total: profile.memTotalBytes, memory_available: profile.memAvailableBytes, memory_free: profile.memFreeBytes, memory_cached: profile.memCachedBytes }[metric]
      return { resultType: 'matrix', result: [series({}, () => String(v))] }
    }
    case 'filesystem_size':
    case 'filesystem_free': {
      const v = metric === 'filesystem_size' ? profile.fsSizeBytes : profile.fsFreeBytes
      const boot = metric === 'filesystem_size' ? 104_607_744 : 98_000_000
      return {
        resultType: 'matrix',
        result: [
          series({ device: '/dev/vda1', fstype: 'ext4', mountpoint: '/' }, () => String(v)),
          series({ device: '/dev/vda15', fstype: 'vfat', mountpoint: '/boot/efi' }, () => String(boot)),
        ],
      }
    }
    case 'bandwidth': {
      const iface = opts.interface ?? 'public'
      const dir = opts.direction ?? 'inbound'
      const base = iface === 'public' ? (dir === 'inbound' ? profile.publicInMbps : profile.publicOutMbps) : dir === 'inbound' ? profile.privateInMbps : profile.privateOutMbps
      return { resultType: 'matrix', result: [series({ direction: dir, interface: iface }, (t) => String(base * rate(t)))] }
    }
  }
}
