// The bench's one picture of the fleet: droplets, DigitalOcean domains and Cloudflare zones,
// taken from the operators' documents in ../shared/seeds/ (000: e2i-analytics-prod in nyc3;
// 002: odoo-erp-prod and ocr-service-droplet in sgp1, the insightpulseai.net hostnames;
// 004: the `deployed-via-api` managed tag). DNS records point at droplets by name, so when the
// bench moves a droplet to a loopback address the records follow it, and the one dangling A
// record stays dangling. Larger fleets are generated deterministically (same input, same fleet).
import { createHash } from 'node:crypto'

export const MANAGED_TAG = 'deployed-via-api'

/** The droplets the bench backs with a real sshd, in order (see sshd.ts). */
export const SSH_DROPLET_NAMES = ['e2i-analytics-prod', 'odoo-erp-prod', 'n8n-prod', 'ocr-service-droplet']

export interface SizeSpec {
  slug: string
  memory: number
  vcpus: number
  disk: number
  transfer: number
  price_monthly: number
  price_hourly: number
  description: string
}

export const SIZES: Record<string, SizeSpec> = Object.fromEntries(
  (
    [
      ['s-1vcpu-1gb', 1024, 1, 25, 1, 6, 'Basic'],
      ['s-2vcpu-2gb', 2048, 2, 60, 3, 18, 'Basic'],
      ['s-2vcpu-4gb', 4096, 2, 80, 4, 24, 'Basic'],
      ['s-4vcpu-8gb', 8192, 4, 160, 5, 48, 'Basic'],
      ['s-4vcpu-8gb-amd', 8192, 4, 160, 5, 56, 'Premium AMD'],
      ['s-4vcpu-16gb-amd', 16384, 4, 200, 8, 84, 'Premium AMD'],
      ['s-8vcpu-16gb', 16384, 8, 320, 6, 96, 'Basic'],
    ] as const
  ).map(([slug, memory, vcpus, disk, transfer, price_monthly, description]) => [
    slug,
    { slug, memory, vcpus, disk, transfer, price_monthly, price_hourly: Math.round((price_monthly / 672) * 1e5) / 1e5, description },
  ]),
)

export const REGIONS: Record<string, string> = {
  nyc1: 'New York 1',
  nyc3: 'New York 3',
  sfo3: 'San Francisco 3',
  ams3: 'Amsterdam 3',
  sgp1: 'Singapore 1',
  lon1: 'London 1',
  fra1: 'Frankfurt 1',
  tor1: 'Toronto 1',
  blr1: 'Bangalore 1',
}

export interface ImageSpec {
  id: number
  name: string
  distribution: 'Ubuntu' | 'Debian'
  slug: string | null
  type: 'base' | 'snapshot'
  public: boolean
  created_at: string
  min_disk_size: number
  size_gigabytes: number
}

export const IMAGES: Record<string, ImageSpec> = {
  'ubuntu-24-04-x64': { id: 176071281, name: '24.04 (LTS) x64', distribution: 'Ubuntu', slug: 'ubuntu-24-04-x64', type: 'base', public: true, created_at: '2025-01-20T18:41:07Z', min_disk_size: 7, size_gigabytes: 2.73 },
  'ubuntu-22-04-x64': { id: 129211873, name: '22.04 (LTS) x64', distribution: 'Ubuntu', slug: 'ubuntu-22-04-x64', type: 'base', public: true, created_at: '2023-03-01T21:04:39Z', min_disk_size: 7, size_gigabytes: 2.36 },
  // seed 004 provisions droplets from a snapshot with the node agent baked in
  'deploy-base-snapshot': { id: 187450112, name: 'deploy-base-2026-02-11', distribution: 'Ubuntu', slug: null, type: 'snapshot', public: false, created_at: '2026-02-11T10:02:55Z', min_disk_size: 25, size_gigabytes: 4.12 },
}

export interface DropletSpec {
  id: number
  name: string
  region: string
  size: string
  image: string
  status: 'new' | 'active' | 'off' | 'archive'
  publicIp: string
  privateIp: string | null
  tags: string[]
  features: string[]
  createdAt: string
  vpcUuid: string
}

const vpcFor = (region: string) => uuidFrom(`vpc:${region}`)

function droplet(d: Omit<DropletSpec, 'vpcUuid'>): DropletSpec {
  return { ...d, vpcUuid: vpcFor(d.region) }
}

/** The real-looking fleet from the seed documents. */
export function seedDroplets(): DropletSpec[] {
  return [
    droplet({ id: 544907207, name: 'e2i-analytics-prod', region: 'nyc3', size: 's-4vcpu-16gb-amd', image: 'ubuntu-24-04-x64', status: 'active', publicIp: '138.197.4.36', privateIp: '10.108.0.2', tags: ['e2i', 'production'], features: ['droplet_agent', 'monitoring', 'private_networking'], createdAt: '2026-01-16T09:12:44Z' }),
    droplet({ id: 498221043, name: 'odoo-erp-prod', region: 'sgp1', size: 's-2vcpu-4gb', image: 'deploy-base-snapshot', status: 'active', publicIp: '159.223.75.148', privateIp: '10.114.0.2', tags: ['odoo', 'production', MANAGED_TAG], features: ['droplet_agent', 'monitoring', 'private_networking', 'backups'], createdAt: '2025-06-03T04:27:10Z' }),
    droplet({ id: 498229117, name: 'n8n-prod', region: 'sgp1', size: 's-2vcpu-4gb', image: 'deploy-base-snapshot', status: 'active', publicIp: '159.223.88.17', privateIp: '10.114.0.4', tags: ['n8n', 'production', MANAGED_TAG], features: ['droplet_agent', 'monitoring', 'private_networking'], createdAt: '2025-06-03T04:31:52Z' }),
    droplet({ id: 451730266, name: 'ocr-service-droplet', region: 'sgp1', size: 's-4vcpu-8gb', image: 'ubuntu-22-04-x64', status: 'active', publicIp: '188.166.237.231', privateIp: '10.114.0.3', tags: ['ocr', MANAGED_TAG], features: ['droplet_agent', 'private_networking'], createdAt: '2024-11-18T13:05:31Z' }),
    // a personal droplet without the managed tag: Dropdeck must treat it as read-only (seed 004)
    droplet({ id: 561004318, name: 'sammy-sandbox', region: 'fra1', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', status: 'off', publicIp: '164.90.170.9', privateIp: null, tags: [], features: [], createdAt: '2026-02-02T19:48:03Z' }),
  ]
}

/** mulberry32: a tiny seeded PRNG so that generated fleets are identical on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SERVICES = ['api', 'web', 'worker', 'odoo', 'n8n', 'ocr', 'mlflow', 'redis', 'pg', 'gateway']
const ENVS = ['prod', 'staging', 'dev']
const PUBLIC_PREFIXES = ['104.248', '137.184', '143.198', '146.190', '159.65', '161.35', '164.92', '167.71', '178.128', '206.189']

/** `count` synthetic droplets, numbered from `start`; deterministic. */
export function generateDroplets(count: number, start = 1): DropletSpec[] {
  const regions = Object.keys(REGIONS)
  const sizes = Object.keys(SIZES)
  const out: DropletSpec[] = []
  for (let i = start; i < start + count; i++) {
    const rnd = prng(i * 7919)
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]
    const svc = pick(SERVICES)
    const env = pick(ENVS)
    const region = pick(regions)
    const roll = rnd()
    const status = roll < 0.94 ? 'active' : roll < 0.99 ? 'off' : 'new'
    const tags = [svc, env === 'prod' ? 'production' : env]
    if (rnd() < 0.7) tags.push(MANAGED_TAG)
    out.push(
      droplet({
        id: 700000000 + i,
        name: `${svc}-${env}-${String(i).padStart(4, '0')}`,
        region,
        size: pick(sizes),
        image: rnd() < 0.5 ? 'deploy-base-snapshot' : pick(['ubuntu-24-04-x64', 'ubuntu-22-04-x64']),
        status,
        // (floor(i / 250), i % 250) is unique per i, so addresses never repeat
        publicIp: `${PUBLIC_PREFIXES[i % PUBLIC_PREFIXES.length]}.${Math.floor(i / 250)}.${(i % 250) + 2}`,
        privateIp: `10.${110 + regions.indexOf(region)}.${Math.floor(i / 250)}.${(i % 250) + 2}`,
        tags,
        features: ['droplet_agent', 'private_networking', ...(rnd() < 0.5 ? ['monitoring'] : [])],
        createdAt: new Date(Date.UTC(2023, 0, 1) + i * 3_600_000 * 7).toISOString().replace('.000Z', 'Z'),
      }),
    )
  }
  return out
}

/** A fleet of exactly `count` droplets: the seed droplets first, then generated ones. */
export function fleetDroplets(count?: number): DropletSpec[] {
  const seeds = seedDroplets()
  if (count === undefined) return seeds
  if (count <= seeds.length) return seeds.slice(0, count)
  return [...seeds, ...generateDroplets(count - seeds.length)]
}

/** Move droplets to other public addresses (the bench's loopback sshd instances). */
export function withPublicIps(droplets: DropletSpec[], ipByName: Record<string, string>): DropletSpec[] {
  return droplets.map((d) => (ipByName[d.name] ? { ...d, publicIp: ipByName[d.name] } : d))
}

// ---------------------------------------------------------------------------------------------
// DNS

/** A record's value: literal, or "the public IPv4 of that droplet" so it follows the droplet. */
export type RecordTarget = { value: string } | { droplet: string }

export interface RecordSpec {
  type: 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'NS' | 'CAA' | 'SOA'
  /** Relative to the zone: '@' for the apex. */
  name: string
  target: RecordTarget
  ttl: number
  priority?: number
  proxied?: boolean
  comment?: string
  /** CAA flags/tag */
  flags?: number
  tag?: string
}

export interface ZoneSpec {
  name: string
  status: 'active' | 'pending'
  createdOn: string
  records: RecordSpec[]
}

/** DigitalOcean-hosted DNS (seed 000's eznomics.site, moved off Hostinger). */
export function seedDoDomains(): ZoneSpec[] {
  return [
    {
      name: 'eznomics.site',
      status: 'active',
      createdOn: '2026-01-16T10:02:11Z',
      records: [
        { type: 'SOA', name: '@', target: { value: '1800' }, ttl: 1800 },
        { type: 'NS', name: '@', target: { value: 'ns1.digitalocean.com' }, ttl: 1800 },
        { type: 'NS', name: '@', target: { value: 'ns2.digitalocean.com' }, ttl: 1800 },
        { type: 'NS', name: '@', target: { value: 'ns3.digitalocean.com' }, ttl: 1800 },
        { type: 'A', name: '@', target: { droplet: 'e2i-analytics-prod' }, ttl: 3600 },
        { type: 'A', name: 'www', target: { droplet: 'e2i-analytics-prod' }, ttl: 3600 },
        { type: 'CAA', name: '@', target: { value: 'letsencrypt.org' }, ttl: 3600, flags: 0, tag: 'issue' },
        { type: 'TXT', name: '@', target: { value: 'v=spf1 -all' }, ttl: 3600 },
      ],
    },
  ]
}

/** Cloudflare DNS (seed 002's insightpulseai.net), including one dangling A record. */
export function seedCfZones(): ZoneSpec[] {
  return [
    {
      name: 'insightpulseai.net',
      status: 'active',
      createdOn: '2025-03-09T08:14:22.503114Z',
      records: [
        { type: 'A', name: '@', target: { droplet: 'odoo-erp-prod' }, ttl: 1, proxied: true },
        { type: 'A', name: 'erp', target: { droplet: 'odoo-erp-prod' }, ttl: 3600, proxied: false, comment: 'Odoo ERP v18 (nginx -> :8069)' },
        { type: 'A', name: 'auth', target: { droplet: 'odoo-erp-prod' }, ttl: 3600, proxied: false },
        { type: 'A', name: 'n8n', target: { droplet: 'n8n-prod' }, ttl: 3600, proxied: false, comment: 'n8n workflows (:5678)' },
        { type: 'A', name: 'ocr', target: { droplet: 'ocr-service-droplet' }, ttl: 3600, proxied: false },
        // dangling: the staging droplet was destroyed, its A record was not (the audit's finding)
        { type: 'A', name: 'staging', target: { value: '143.198.212.40' }, ttl: 3600, proxied: false, comment: 'staging droplet (destroyed 2025-10)' },
        { type: 'CNAME', name: 'mcp', target: { value: 'pulse-hub-web-an645.ondigitalocean.app' }, ttl: 1, proxied: false },
        { type: 'CNAME', name: 'superset', target: { value: 'superset-nlavf.ondigitalocean.app' }, ttl: 1, proxied: false },
        { type: 'MX', name: '@', target: { value: 'mx1.improvmx.com' }, ttl: 3600, priority: 10 },
        { type: 'MX', name: '@', target: { value: 'mx2.improvmx.com' }, ttl: 3600, priority: 20 },
        { type: 'TXT', name: '@', target: { value: 'v=spf1 include:spf.improvmx.com ~all' }, ttl: 3600 },
        { type: 'TXT', name: '_dmarc', target: { value: 'v=DMARC1; p=none; rua=mailto:dmarc@insightpulseai.net' }, ttl: 3600 },
      ],
    },
    {
      name: 'insightpulseai.com',
      status: 'pending',
      createdOn: '2026-02-20T16:40:09.118270Z',
      records: [{ type: 'A', name: '@', target: { droplet: 'odoo-erp-prod' }, ttl: 1, proxied: true }],
    },
  ]
}

export interface ResolvedRecord extends Omit<RecordSpec, 'target'> {
  content: string
  /** The droplet the record points at, if any: a dangling A record has none. */
  droplet?: string
}

/** Records with their content filled in; a droplet missing from `droplets` falls back to the seed fleet's. */
export function resolveRecords(zone: ZoneSpec, droplets: DropletSpec[]): ResolvedRecord[] {
  const byName = new Map([...seedDroplets(), ...droplets].map((d) => [d.name, d]))
  const byIp = new Map(droplets.map((d) => [d.publicIp, d]))
  return zone.records.map(({ target, ...r }) => {
    if ('droplet' in target) {
      const d = byName.get(target.droplet)
      if (!d) throw new Error(`record ${r.name}.${zone.name} points at unknown droplet ${target.droplet}`)
      return { ...r, content: d.publicIp, droplet: d.name }
    }
    return { ...r, content: target.value, droplet: byIp.get(target.value)?.name }
  })
}

// ---------------------------------------------------------------------------------------------
// stable identifiers

/** 32 hex characters derived from a name: Cloudflare-style ids that never change between runs. */
export function hexId(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 32)
}

export function uuidFrom(name: string): string {
  const h = hexId(name)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

/** A positive integer id derived from a name (DigitalOcean record ids). */
export function intId(name: string, base = 10_000_000): number {
  return base + (parseInt(hexId(name).slice(0, 7), 16) % 90_000_000)
}
