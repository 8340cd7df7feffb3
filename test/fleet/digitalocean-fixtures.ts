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
