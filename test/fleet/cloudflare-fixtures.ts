// The fleet model's zones rendered as Cloudflare API v4 JSON, with every field the 2024-08 spec
// requires (../shared/specs/cloudflare.v4.trimmed.refs.json). Optional fields the spec types as
// plain strings (e.g. a record's comment) are left out rather than sent as null.
import { hexId, resolveRecords, type DropletSpec, type ZoneSpec } from './fleet-model'

export interface CfZone {
  id: string
  name: string
  status: string
  [k: string]: unknown
}

export interface CfRecord {
  id: string
  zone_id: string
  zone_name: string
  name: string
  type: string
  content: string
  [k: string]: unknown
}

const ACCOUNT = { id: hexId('cf-account:insightpulse'), name: "Ops@insightpulseai.net's Account" }

/** Cloudflare prints microseconds: 2025-03-09T09:14:22.503000Z. */
function later(isoTime: string, ms: number): string {
  return new Date(Date.parse(isoTime) + ms).toISOString().replace('Z', '000Z')
}

export function cfZone(z: ZoneSpec): CfZone {
  const active = z.status === 'active'
  return {
    id: hexId(`cf-zone:${z.name}`),
    name: z.name,
    status: z.status,
    paused: false,
    type: 'full',
    development_mode: 0,
    name_servers: ['ada.ns.cloudflare.com', 'rick.ns.cloudflare.com'],
    original_name_servers: ['ns1.dns-parking.com', 'ns2.dns-parking.com'],
    original_registrar: 'hostinger operations, uab',
    original_dnshost: null,
    created_on: z.createdOn,
    modified_on: later(z.createdOn, 86_400_000),
    activated_on: active ? later(z.createdOn, 3_600_000) : null,
    meta: { step: active ? 4 : 2, custom_certificate_quota: 0, page_rule_quota: 3, phishing_detected: false },
    owner: { id: hexId('cf-user:ops'), type: 'user', name: 'ops@insightpulseai.net' },
    account: ACCOUNT,
    permissions: ['#dns_records:edit', '#dns_records:read', '#zone:read'],
    plan: { id: hexId('cf-plan:free'), name: 'Free Website', price: 0, currency: 'USD', frequency: '', is_subscribed: false, can_subscribe: false, legacy_id: 'free', legacy_discount: false, externally_managed: false },
  }
}

const PROXIABLE = new Set(['A', 'AAAA', 'CNAME'])

export function cfRecords(z: ZoneSpec, droplets: DropletSpec[], extraRecords = 0): CfRecord[] {
  const zoneId = hexId(`cf-zone:${z.name}`)
  const fq = (n: string) => (n === '@' ? z.name : `${n}.${z.name}`)
  const resolved = resolveRecords(z, droplets).filter((r) => r.type !== 'SOA')
  // synthetic TXT records for paging through a large zone
  for (let i = 1; i <= extraRecords; i++) resolved.push({ type: 'TXT', name: `_verify-${String(i).padStart(4, '0')}`, content: `dropdeck-site-verification=${hexId(`verify:${i}`)}`, ttl: 3600 })
  return resolved.map((r, i) => {
    const rec: CfRecord = {
      id: hexId(`cf-record:${z.name}:${r.type}:${r.name}:${r.content}`),
      zone_id: zoneId,
      zone_name: z.name,
      name: fq(r.name),
      type: r.type,
      content: r.content,
      proxiable: PROXIABLE.has(r.type),
      proxied: PROXIABLE.has(r.type) ? !!r.proxied : false,
      ttl: r.ttl,
      locked: false,
      meta: { auto_added: false, managed_by_apps: false, managed_by_argo_tunnel: false, source: 'primary' },
      tags: [],
      created_on: later(z.createdOn, (i + 1) * 60_000),
      modified_on: later(z.createdOn, (i + 1) * 3_600_000),
    }
    if (r.priority !== undefined) rec.priority = r.priority
    if (r.comment) rec.comment = r.comment
    return rec
  })
}
