/**
 * The contract for the cloud providers: accounts, droplets and their actions, snapshots, firewalls,
 * the audit log, and DNS at Cloudflare and DigitalOcean. Assembled into the one contract in
 * ../contract.ts; documented in docs/api.md.
 */
import { z } from 'zod'
import { NoParams } from './no-params'
import { isDnsHostname } from './host-address'
import { ErrorCodeSchema } from '../errors'

const Iso = z.string()

/** A droplet's or firewall's name, as DigitalOcean accepts it. */
const RESOURCE_NAME = /^[a-zA-Z0-9.-]+$/
const RESOURCE_NAME_HINT = 'letters, digits, "." and "-" only'

export const ProviderSchema = z.enum(['digitalocean', 'cloudflare'])
export type Provider = z.infer<typeof ProviderSchema>

/** A DigitalOcean team ("context", as doctl calls it); 'default' uses the token stored as `digitalocean`. */
export const ContextNameSchema = z.string().min(1).max(40).regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and "-"')

// ---------------------------------------------------------------------------------------------
// Accounts

export const AccountStateSchema = z.object({
  provider: ProviderSchema,
  /** missing: no token stored; valid: the provider accepted it; invalid: refused (401/403); unreachable: no answer. */
  state: z.enum(['missing', 'valid', 'invalid', 'unreachable']),
  /** DigitalOcean: the account's email; Cloudflare: the token's id. */
  name: z.string().optional(),
  email: z.string().optional(),
  team: z.string().optional(),
  /** Provider's own status word: DigitalOcean account `status`, Cloudflare token `status` (active, disabled, expired). */
  tokenStatus: z.string().optional(),
  expiresOn: z.string().optional(),
  /** What went wrong and what to do, when state is invalid or unreachable. */
  message: z.string().optional(),
  checkedAt: Iso
})
export type AccountState = z.infer<typeof AccountStateSchema>

export const RateLimitSchema = z.object({
  limit: z.number().int(),
  remaining: z.number().int(),
  /** When the budget refills, ISO time. */
  resetAt: Iso.nullable()
})

export const ProviderHealthSchema = z.object({
  provider: ProviderSchema,
  baseUrl: z.string(),
  rateLimit: RateLimitSchema.nullable(),
  lastError: z.object({ code: z.string(), message: z.string(), requestId: z.string().optional(), at: Iso }).nullable(),
  requests: z.number().int()
})

// ---------------------------------------------------------------------------------------------
// Droplets

export const DropletStatusSchema = z.enum(['new', 'active', 'off', 'archive'])

export const DropletSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  status: DropletStatusSchema,
  publicIpv4: z.string().nullable(),
  privateIpv4: z.string().nullable(),
  publicIpv6: z.string().nullable(),
  region: z.string(),
  regionName: z.string(),
  sizeSlug: z.string(),
  vcpus: z.number().int(),
  memoryMb: z.number().int(),
  diskGb: z.number().int(),
  /** e.g. "Ubuntu 22.04 (LTS) x64". */
  image: z.string(),
  tags: z.array(z.string()),
  /** The monitoring agent is installed (feature `monitoring`). */
  monitoring: z.boolean(),
  priceMonthly: z.number(),
  createdAt: Iso,
  locked: z.boolean(),
  /** Carries the configured managed tag (settings.managedTag). */
  managed: z.boolean(),
  /** Mutations refused unless unlocked for one action (managed tag enforced and not managed). */
  readOnly: z.boolean()
})
export type Droplet = z.infer<typeof DropletSchema>

export const ActionStatusSchema = z.enum(['in-progress', 'completed', 'errored'])

export const ActionSchema = z.object({
  id: z.number().int(),
  type: z.string(),
  status: ActionStatusSchema,
  startedAt: Iso.nullable(),
  completedAt: Iso.nullable(),
  dropletId: z.number().int().nullable()
})

export const SnapshotSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: Iso,
  sizeGb: z.number(),
  minDiskSize: z.number().nullable(),
  regions: z.array(z.string()),
  dropletId: z.number().int().nullable()
})

export const FirewallRuleSchema = z.object({
  direction: z.enum(['inbound', 'outbound']),
  protocol: z.enum(['tcp', 'udp', 'icmp']),
  ports: z.string(),
  /** Addresses, droplet ids, tags, load balancers as DigitalOcean lists them, flattened to words. */
  peers: z.array(z.string())
})

export const FirewallSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  rules: z.array(FirewallRuleSchema),
  dropletIds: z.array(z.number().int()),
  tags: z.array(z.string()),
  createdAt: Iso
})

export const DropletDetailSchema = DropletSchema.extend({
  networks: z.array(z.object({ version: z.enum(['v4', 'v6']), type: z.string(), ipAddress: z.string(), netmask: z.string(), gateway: z.string() })),
  features: z.array(z.string()),
  volumeIds: z.array(z.string()),
  vpcUuid: z.string().nullable(),
  backupIds: z.array(z.number().int()),
  nextBackupWindow: z.object({ start: Iso, end: Iso }).nullable(),
  snapshots: z.array(SnapshotSchema),
  firewalls: z.array(FirewallSchema),
  recentActions: z.array(ActionSchema)
})

/** Actions that can lose work or availability: they need the droplet's name typed to confirm. */
export const destructiveDropletActions = ['power_off', 'power_cycle', 'shutdown', 'reboot', 'resize', 'rename'] as const

export const DropletActionParamsSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('power_on') }),
  z.object({ type: z.literal('shutdown') }),
  z.object({ type: z.literal('power_off') }),
  z.object({ type: z.literal('power_cycle') }),
  z.object({ type: z.literal('reboot') }),
  /** Name defaults to `<droplet>-YYYYMMDD-HHMM` (UTC). */
  z.object({ type: z.literal('snapshot'), name: z.string().min(1).max(255).optional() }),
  z.object({ type: z.literal('resize'), size: z.string().min(1), disk: z.boolean().default(false) }),
  z.object({ type: z.literal('rename'), name: z.string().min(1).max(255).regex(RESOURCE_NAME, RESOURCE_NAME_HINT) })
])

const Guard = {
  /** The droplet's current name, typed by the operator, for destructive actions. */
  confirm: z.string().optional(),
  /** Unlock a read-only (unmanaged) droplet for this one action. */
  unlock: z.boolean().optional()
}

// ---------------------------------------------------------------------------------------------
// Audit

export const AuditEntrySchema = z.object({
  id: z.string(),
  at: Iso,
  /** The OS user and client that asked (e.g. "alice via ws:3"). */
  actor: z.string(),
  /** e.g. "droplet.snapshot", "dns.record.delete". */
  action: z.string(),
  /** What it touched, in words: "droplet 3164444 (e2i-analytics-prod)". */
  target: z.string(),
  result: z.enum(['ok', 'error', 'started']),
  requestId: z.string().optional(),
  message: z.string().optional()
})

// ---------------------------------------------------------------------------------------------
// DNS

export const ZoneSchema = z.object({
  provider: ProviderSchema,
  /** Cloudflare: the zone id; DigitalOcean: the domain name. */
  id: z.string(),
  name: z.string(),
  status: z.string().optional()
})

/**
 * A provider (for DigitalOcean, one team) that a list merging several could not read. The list
 * still holds what the others answered; the view shows both.
 */
export const ProviderListErrorSchema = z.object({
  provider: ProviderSchema,
  /** DigitalOcean: the team whose token was used. */
  team: z.string().optional(),
  code: ErrorCodeSchema,
  message: z.string()
})

/** Zones from every provider with a token: what could be read, and which provider failed and why. */
export const ZoneListSchema = z.object({ items: z.array(ZoneSchema), errors: z.array(ProviderListErrorSchema) })

export const RecordTypeSchema = z.enum(['A', 'AAAA', 'CNAME', 'TXT', 'MX', 'NS', 'SRV', 'CAA'])

export const DnsRecordSchema = z.object({
  provider: ProviderSchema,
  zoneId: z.string(),
  id: z.string(),
  type: z.string(),
  /** Fully qualified, without a trailing dot: "ipa.insightpulseai.net". */
  name: z.string(),
  content: z.string(),
  ttl: z.number().int(),
  proxied: z.boolean().nullable(),
  priority: z.number().int().nullable(),
  /** The droplet this A/AAAA record points at, by IP. */
  droplet: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  /** An A/AAAA whose address is no droplet's, or a CNAME to a name with no record in any zone. */
  dangling: z.boolean(),
  danglingReason: z.string().optional()
})

// Ids go into provider URL paths: only the shapes the providers issue (specs in docs/api.md, "Provider ids"), so
// no id can be "..", "." or a path of its own.
const CLOUDFLARE_ID = /^[0-9a-f]{32}$/
const DIGITS = /^[1-9][0-9]{0,18}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** A DigitalOcean snapshot: digits for a droplet snapshot, a UUID for a volume snapshot. */
export const SnapshotIdSchema = z.string().refine((id) => DIGITS.test(id) || UUID.test(id), 'a snapshot id: digits or a UUID')
export const FirewallIdSchema = z.string().regex(UUID, 'a firewall id: a UUID')
/** Cloudflare: the zone's 32-hex id; DigitalOcean: the domain name. */
const ZoneIdSchema = z.string().min(1).max(253).refine((id) => CLOUDFLARE_ID.test(id) || isDnsHostname(id), 'a zone id: 32 hex digits (Cloudflare) or a domain name (DigitalOcean)')
/** Cloudflare: 32 hex digits; DigitalOcean: digits. */
const RecordIdSchema = z.string().refine((id) => CLOUDFLARE_ID.test(id) || DIGITS.test(id), 'a record id: 32 hex digits (Cloudflare) or digits (DigitalOcean)')

/** Each provider's own id shapes, for params that name a zone (and a record) of one provider. */
function checkProviderIds(value: { provider: 'digitalocean' | 'cloudflare'; zoneId: string; id?: string }, ctx: z.RefinementCtx): void {
  const cloudflare = value.provider === 'cloudflare'
  if (cloudflare ? !CLOUDFLARE_ID.test(value.zoneId) : !isDnsHostname(value.zoneId)) {
    ctx.addIssue({ code: 'custom', path: ['zoneId'], message: cloudflare ? 'a Cloudflare zone id: 32 hex digits' : 'a DigitalOcean zone: the domain name' })
  }
  if (value.id !== undefined && !(cloudflare ? CLOUDFLARE_ID : DIGITS).test(value.id)) {
    ctx.addIssue({ code: 'custom', path: ['id'], message: cloudflare ? 'a Cloudflare record id: 32 hex digits' : 'a DigitalOcean record id: digits' })
  }
}

const hostnameRegex = /^(\*\.)?([a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$|^@$/

export const DnsRecordInputSchema = z.object({
  type: RecordTypeSchema,
  /** Relative to the zone ("ipa", "@") or fully qualified. */
  name: z.string().min(1).max(253).regex(hostnameRegex, 'a host name: letters, digits, "-", "_", "*." prefix, or "@"'),
  content: z.string().min(1).max(2048),
  ttl: z.number().int().min(1).max(86400).default(1),
  proxied: z.boolean().optional(),
  priority: z.number().int().min(0).max(65535).optional()
})

export const MissingHostnameSchema = z.object({
  hostname: z.string(),
  /** The zone it would belong to, when Dropdeck manages one. */
  zone: ZoneSchema.nullable(),
  /** Where the operator uses it: an SSH host alias, a watched hostname from settings... */
  usedBy: z.string()
})

// ---------------------------------------------------------------------------------------------

export const providerMethods = {
  'accounts.status': { params: NoParams, result: z.array(AccountStateSchema) },
  'accounts.verify': { params: z.object({ provider: ProviderSchema }).strict(), result: AccountStateSchema },
  'accounts.contexts': {
    params: NoParams,
    result: z.object({ active: ContextNameSchema, contexts: z.array(z.object({ name: ContextNameSchema, hasToken: z.boolean() })) })
  },
  'accounts.useContext': { params: z.object({ name: ContextNameSchema }).strict(), result: z.object({ active: ContextNameSchema }) },
  'providers.health': { params: NoParams, result: z.array(ProviderHealthSchema) },

  'droplets.list': { params: z.object({ refresh: z.boolean().optional() }).strict(), result: z.array(DropletSchema) },
  'droplets.get': { params: z.object({ id: z.number().int().positive() }).strict(), result: DropletDetailSchema },
  'droplets.action': {
    params: z.object({ id: z.number().int().positive(), action: DropletActionParamsSchema, ...Guard }).strict(),
    result: ActionSchema
  },
  'droplets.tag': { params: z.object({ id: z.number().int().positive(), tag: z.string().min(1).max(255).regex(/^[a-zA-Z0-9_\-:]+$/), remove: z.boolean().optional(), ...Guard }).strict(), result: z.object({ tags: z.array(z.string()) }) },

  'snapshots.list': { params: z.object({ dropletId: z.number().int().positive().optional() }).strict(), result: z.array(SnapshotSchema) },
  'snapshots.delete': { params: z.object({ id: SnapshotIdSchema, confirm: z.string(), unlock: z.boolean().optional() }).strict(), result: z.object({ deleted: z.literal(true) }) },

  'firewalls.list': { params: NoParams, result: z.array(FirewallSchema) },
  /** Seed 002's template: inbound 22, 80 and 443 from anywhere; all outbound. */
  'firewalls.createFromTemplate': {
    params: z.object({ name: z.string().min(2, 'at least 2 characters').max(255).regex(RESOURCE_NAME, RESOURCE_NAME_HINT), dropletIds: z.array(z.number().int().positive()).optional(), tags: z.array(z.string()).optional(), unlock: z.boolean().optional() }).strict(),
    result: FirewallSchema
  },
  'firewalls.attach': {
    params: z.object({ id: FirewallIdSchema, dropletIds: z.array(z.number().int().positive()).optional(), tags: z.array(z.string()).optional(), unlock: z.boolean().optional() }).strict(),
    result: FirewallSchema
  },

  'audit.list': { params: z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(), result: z.array(AuditEntrySchema) },

  'dns.zones.list': { params: z.object({ refresh: z.boolean().optional() }).strict(), result: ZoneListSchema },
  'dns.records.list': { params: z.object({ provider: ProviderSchema, zoneId: ZoneIdSchema, refresh: z.boolean().optional() }).strict().superRefine(checkProviderIds), result: z.array(DnsRecordSchema) },
  'dns.records.create': { params: z.object({ provider: ProviderSchema, zoneId: ZoneIdSchema, record: DnsRecordInputSchema }).strict().superRefine(checkProviderIds), result: DnsRecordSchema },
  'dns.records.update': { params: z.object({ provider: ProviderSchema, zoneId: ZoneIdSchema, id: RecordIdSchema, record: DnsRecordInputSchema }).strict().superRefine(checkProviderIds), result: DnsRecordSchema },
  'dns.records.delete': { params: z.object({ provider: ProviderSchema, zoneId: ZoneIdSchema, id: RecordIdSchema, confirm: z.string() }).strict().superRefine(checkProviderIds), result: z.object({ deleted: z.literal(true) }) },
  /** Host names the operator uses (SSH hosts, settings.watchedHostnames) that resolve to no record. */
  'dns.missing': { params: NoParams, result: z.array(MissingHostnameSchema) }
} as const

export const providerEvents = {
  'accounts.changed': z.array(AccountStateSchema),
  /** An action's progress, from the actions API, until completed or errored. */
  'droplets.actionProgress': ActionSchema.extend({ dropletName: z.string() }),
  /** The droplet list changed (an action completed, a refresh found changes). */
  'droplets.changed': z.object({ ids: z.array(z.number().int()) }),
  'dns.changed': z.object({ provider: ProviderSchema, zoneId: z.string() }),
  'audit.appended': AuditEntrySchema
} as const
