/** Contract-valid provider data for component tests: droplets, details, zones, records. */
import type { Result } from '../../src/shared/contract'

type Droplet = Result<'droplets.list'>[number]
type DropletDetail = Result<'droplets.get'>
type DnsRecord = Result<'dns.records.list'>[number]

export function makeDroplet(index: number, overrides: Partial<Droplet> = {}): Droplet {
  return {
    id: 1000 + index,
    name: `node-${String(index).padStart(4, '0')}`,
    status: 'active',
    publicIpv4: `203.0.${Math.floor(index / 250)}.${(index % 250) + 1}`,
    privateIpv4: `10.10.${Math.floor(index / 250)}.${(index % 250) + 1}`,
    publicIpv6: null,
    region: 'fra1',
    regionName: 'Frankfurt 1',
    sizeSlug: 's-1vcpu-1gb',
    vcpus: 1,
    memoryMb: 1024,
    diskGb: 25,
    image: 'Ubuntu 22.04 (LTS) x64',
    tags: ['web'],
    monitoring: true,
    priceMonthly: 6,
    createdAt: '2025-01-01T00:00:00Z',
    locked: false,
    managed: true,
    readOnly: false,
    ...overrides
  }
}

export function makeDetail(droplet: Droplet, overrides: Partial<DropletDetail> = {}): DropletDetail {
  return {
    ...droplet,
    networks: droplet.publicIpv4 ? [{ version: 'v4', type: 'public', ipAddress: droplet.publicIpv4, netmask: '255.255.240.0', gateway: '203.0.0.1' }] : [],
    features: ['monitoring'],
    volumeIds: [],
    vpcUuid: null,
    backupIds: [],
    nextBackupWindow: null,
    snapshots: [],
    firewalls: [],
    recentActions: [],
    ...overrides
  }
}

/** The three droplets of seed 002's inventory, give or take. */
export const seedDroplets: Droplet[] = [
  makeDroplet(1, { id: 3164444, name: 'odoo-erp-prod', publicIpv4: '159.223.75.148', privateIpv4: '10.114.0.2', region: 'sgp1', regionName: 'Singapore 1', tags: ['prod', 'erp'], priceMonthly: 48, vcpus: 4, memoryMb: 8192, diskGb: 160, sizeSlug: 's-4vcpu-8gb' }),
  makeDroplet(2, { id: 3164445, name: 'ocr-service-droplet', publicIpv4: '188.166.237.231', privateIpv4: '10.114.0.3', region: 'sgp1', regionName: 'Singapore 1', tags: ['prod', 'ocr'], priceMonthly: 24, vcpus: 2, memoryMb: 4096, diskGb: 80, sizeSlug: 's-2vcpu-4gb' }),
  makeDroplet(3, { id: 3164446, name: 'staging-box', publicIpv4: '46.101.1.9', privateIpv4: '10.114.0.9', region: 'ams3', regionName: 'Amsterdam 3', tags: ['staging'], priceMonthly: 12.5, status: 'off' })
]

export const cfZone = { provider: 'cloudflare' as const, id: '023e105f4ecef8ad9ca31a8372d0c353', name: 'insightpulseai.net', status: 'active' }
export const doZone = { provider: 'digitalocean' as const, id: 'dropdeck.dev', name: 'dropdeck.dev' }

export function makeRecord(overrides: Partial<DnsRecord> & Pick<DnsRecord, 'id' | 'name' | 'content'>): DnsRecord {
  return { provider: 'cloudflare', zoneId: cfZone.id, type: 'A', ttl: 1, proxied: false, priority: null, droplet: null, dangling: false, ...overrides }
}

type Snapshot = Result<'snapshots.list'>[number]
type Firewall = Result<'firewalls.list'>[number]

export function makeSnapshot(overrides: Partial<Snapshot> & Pick<Snapshot, 'id' | 'name'>): Snapshot {
  return { createdAt: '2025-11-20T08:30:00Z', sizeGb: 4.25, minDiskSize: 25, regions: ['sgp1'], dropletId: 3164444, ...overrides }
}

const anywhere = ['0.0.0.0/0', '::/0']

/** Seed 002's template: tcp 22, 80, 443 in from anywhere; tcp, udp and icmp out to anywhere. */
export const templateRules: Firewall['rules'] = [
  ...['22', '80', '443'].map((ports) => ({ direction: 'inbound' as const, protocol: 'tcp' as const, ports, peers: anywhere })),
  { direction: 'outbound', protocol: 'tcp', ports: '0', peers: anywhere },
  { direction: 'outbound', protocol: 'udp', ports: '0', peers: anywhere },
  { direction: 'outbound', protocol: 'icmp', ports: '0', peers: anywhere }
]

export function makeFirewall(overrides: Partial<Firewall> & Pick<Firewall, 'id' | 'name'>): Firewall {
  return { status: 'succeeded', rules: templateRules, dropletIds: [], tags: [], createdAt: '2025-11-01T09:00:00Z', ...overrides }
}
