/**
 * The contract for health checks (HTTP, TLS expiry, DNS, disk, memory, containers, systemd units,
 * TCP), the alerts they raise, and the metrics sampled from connected hosts. Assembled into
 * ../contract.ts; documented in docs/api.md ("Health checks", "Alerts", "Metrics").
 */
import { z } from 'zod'
import { HostIdSchema } from './ssh'

export const CheckKindSchema = z.enum(['http', 'tls', 'dns', 'disk', 'memory', 'container', 'unit', 'tcp'])
export type CheckKind = z.infer<typeof CheckKindSchema>

/** Where a network check runs: this machine (through the proxy settings), or the host over SSH (127.0.0.1 endpoints). */
export const RunFromSchema = z.enum(['local', 'host'])

const HostnameSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-zA-Z0-9_]([a-zA-Z0-9_.-]*[a-zA-Z0-9])?$/, 'a host name or address such as app.example.com or 127.0.0.1')

/** Accepted statuses: `200-299`, `200`, or a list `200,204,301-302`. */
const StatusRangeSchema = z.string().max(100).regex(/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/, 'statuses like 200-299 or 200,204')

/** How often and how patiently every check runs; Gatus's defaults (down after 3 failures, up after 2 successes). */
const common = {
  name: z.string().min(1).max(200),
  enabled: z.boolean().default(true),
  intervalSeconds: z.number().int().min(5).max(86_400).default(60),
  timeoutSeconds: z.number().int().min(1).max(120).default(10),
  failuresToDown: z.number().int().min(1).max(20).default(3),
  successesToUp: z.number().int().min(1).max(20).default(2)
}

export const HttpCheckSchema = z.object({
  kind: z.literal('http'),
  ...common,
  url: z.string().max(2048).regex(/^https?:\/\/[^\s]+$/, 'an http:// or https:// URL'),
  runFrom: RunFromSchema.default('local'),
  /** The SSH host to run from when runFrom is `host`. */
  hostId: HostIdSchema.optional(),
  expectStatus: StatusRangeSchema.default('200-299'),
  /** Text the body must contain. */
  keyword: z.string().min(1).max(500).optional(),
  /** A dotted path into a JSON body (`status`, `checks.db.0.ok`); with jsonEquals, the value it must have. */
  jsonPath: z.string().min(1).max(200).regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, 'a dotted path such as status or checks.db').optional(),
  jsonEquals: z.string().max(500).optional(),
  /** Slower than this fails the check. */
  maxLatencyMs: z.number().int().min(1).max(120_000).optional()
})

export const TlsCheckSchema = z.object({
  kind: z.literal('tls'),
  ...common,
  host: HostnameSchema,
  port: z.number().int().min(1).max(65_535).default(443),
  /** Also warn when fewer days than this are left (besides the third of the lifetime). */
  warnDays: z.number().int().min(1).max(365).optional()
})

export const DnsCheckSchema = z.object({
  kind: z.literal('dns'),
  ...common,
  hostname: HostnameSchema,
  /** The droplet (by name) the name must point at; any droplet when omitted. */
  expectDroplet: z.string().min(1).max(255).optional(),
  /** A resolver to ask (`ip` or `ip:port`); the system resolver when omitted. */
  resolver: z.string().max(60).regex(/^[0-9a-fA-F.:[\]]+$/, 'an IP address, optionally with :port').optional()
})

const thresholdPercent = z.number().int().min(1).max(99).optional()

export const DiskCheckSchema = z.object({
  kind: z.literal('disk'),
  ...common,
  hostId: HostIdSchema,
  /** One mount point; every real filesystem when omitted. */
  mount: z.string().min(1).max(4096).optional(),
  /** settings.alertThresholdPercent when omitted; 95% and more is critical. */
  thresholdPercent
})

export const MemoryCheckSchema = z.object({ kind: z.literal('memory'), ...common, hostId: HostIdSchema, thresholdPercent })

export const ContainerCheckSchema = z.object({
  kind: z.literal('container'),
  ...common,
  hostId: HostIdSchema,
  /** One container by name; every container on the host when omitted. */
  container: z.string().min(1).max(255).optional()
})

export const UnitCheckSchema = z.object({
  kind: z.literal('unit'),
  ...common,
  hostId: HostIdSchema,
  /** These units; the host's picked units when omitted. */
  units: z.array(z.string().min(1).max(256)).max(50).optional()
})

export const TcpCheckSchema = z.object({
  kind: z.literal('tcp'),
  ...common,
  host: HostnameSchema,
  port: z.number().int().min(1).max(65_535),
  runFrom: RunFromSchema.default('local'),
  hostId: HostIdSchema.optional()
})

export const CheckInputSchema = z
  .discriminatedUnion('kind', [HttpCheckSchema, TlsCheckSchema, DnsCheckSchema, DiskCheckSchema, MemoryCheckSchema, ContainerCheckSchema, UnitCheckSchema, TcpCheckSchema])
  .superRefine((c, ctx) => {
    if ((c.kind === 'http' || c.kind === 'tcp') && c.runFrom === 'host' && !c.hostId) {
      ctx.addIssue({ code: 'custom', path: ['hostId'], message: 'a check that runs from a host needs hostId' })
    }
    if (c.kind === 'http' && c.jsonEquals !== undefined && !c.jsonPath) {
      ctx.addIssue({ code: 'custom', path: ['jsonEquals'], message: 'jsonEquals needs jsonPath' })
    }
  })
export type CheckInput = z.input<typeof CheckInputSchema>
export type CheckSpec = z.output<typeof CheckInputSchema>

export const CheckSchema = z.intersection(CheckInputSchema, z.object({ id: z.string(), createdAt: z.string() }))
export type Check = CheckSpec & { id: string; createdAt: string }

/**
 * up / down after the failure and success thresholds; pending until the first verdict; unknown when
 * the check cannot run (the host is not connected or unreachable), which is not the service being down.
 */
export const CheckStateSchema = z.enum(['pending', 'up', 'down', 'unknown'])
export type CheckState = z.infer<typeof CheckStateSchema>

export const SeveritySchema = z.enum(['warning', 'critical'])
export type Severity = z.infer<typeof SeveritySchema>

/** One run: ok, failed (with a severity), or could not run. */
export const OutcomeSchema = z.enum(['ok', 'fail', 'unknown'])

export const CheckRunSchema = z.object({
  at: z.string(),
  outcome: OutcomeSchema,
  latencyMs: z.number().nullable()
})

export const CheckStatusSchema = z.object({
  state: CheckStateSchema,
  /** For a failing run: warning (e.g. disk over the threshold, certificate past two thirds of its life) or critical. */
  severity: SeveritySchema.nullable(),
  /** What the last run found, in the operator's words. */
  message: z.string(),
  /** Evidence: the container health check's output, the certificate's dates, the addresses resolved. */
  detail: z.string().nullable(),
  /** When the current state began (ISO 8601). */
  since: z.string().nullable(),
  lastRunAt: z.string().nullable(),
  latencyMs: z.number().nullable(),
  consecutiveFailures: z.number().int(),
  consecutiveSuccesses: z.number().int(),
  /** The last runs, oldest first (at most 30). */
  recent: z.array(CheckRunSchema)
})
export type CheckStatus = z.infer<typeof CheckStatusSchema>

export const CheckWithStatusSchema = z.object({ check: CheckSchema, status: CheckStatusSchema })

export const CheckIdSchema = z.string().min(1).max(100)

export const ProposalSchema = z.object({
  check: CheckInputSchema,
  /** Why Dropdeck proposes it: the record, container or host it comes from. */
  reason: z.string(),
  /** An equal check already exists. */
  exists: z.boolean()
})

/** Alerts: raised when a check goes down, resolved when it comes back up. */
export const AlertSchema = z.object({
  id: z.string(),
  checkId: z.string(),
  checkName: z.string(),
  kind: CheckKindSchema,
  state: z.enum(['firing', 'resolved']),
  severity: SeveritySchema,
  message: z.string(),
  detail: z.string().nullable(),
  /** The next step, in the operator's words, and where in the app to take it. */
  nextStep: z.object({ label: z.string(), area: z.enum(['containers', 'logs', 'health', 'dns', 'droplets', 'settings']), hostId: z.string().nullable() }),
  firedAt: z.string(),
  resolvedAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable()
})
export type Alert = z.infer<typeof AlertSchema>

export const WebhookSchema = z.object({
  /** A Slack-compatible incoming webhook (POST {text}); null for none. */
  url: z.string().max(2048).regex(/^https?:\/\/[^\s]+$/, 'an http:// or https:// URL').nullable()
})

/** One sample of a host's facts. Percentages 0-100; network in bytes per second since the last sample. */
export const MetricPointSchema = z.object({
  t: z.number(),
  cpu: z.number().nullable(),
  load1: z.number(),
  mem: z.number(),
  swap: z.number(),
  /** The fullest real filesystem's use. */
  disk: z.number(),
  rx: z.number().nullable(),
  tx: z.number().nullable()
})
export type MetricPoint = z.infer<typeof MetricPointSchema>

export const MetricsRangeSchema = z.enum(['1h', '6h', '24h', '7d'])
export type MetricsRange = z.infer<typeof MetricsRangeSchema>

export const checksMethods = {
  /** Every check with its status. */
  'checks.list': { params: z.object({}).strict(), result: z.array(CheckWithStatusSchema) },
  'checks.create': { params: z.object({ check: CheckInputSchema }).strict(), result: CheckWithStatusSchema },
  /** Replaces the check's definition; its status starts over. */
  'checks.update': { params: z.object({ id: CheckIdSchema, check: CheckInputSchema }).strict(), result: CheckWithStatusSchema },
  'checks.delete': { params: z.object({ id: CheckIdSchema }).strict(), result: z.object({ deleted: z.literal(true) }) },
  /** Runs the check now (counted like a scheduled run) and returns its status. */
  'checks.run': { params: z.object({ id: CheckIdSchema }).strict(), result: CheckStatusSchema },
  /** Checks Dropdeck proposes from what it knows: DNS records, containers, hosts. Nothing is saved. */
  'checks.propose': { params: z.object({}).strict(), result: z.array(ProposalSchema) },
  /** Alerts, firing first, then newest first (at most `limit`, default 200). */
  'alerts.list': { params: z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(), result: z.array(AlertSchema) },
  'alerts.acknowledge': { params: z.object({ id: z.string().min(1).max(100) }).strict(), result: AlertSchema },
  'alerts.webhook.get': { params: z.object({}).strict(), result: WebhookSchema },
  'alerts.webhook.set': { params: WebhookSchema.strict(), result: WebhookSchema },
  /** Posts a test message to the webhook; UPSTREAM when it does not answer 2xx. */
  'alerts.webhook.test': { params: z.object({}).strict(), result: z.object({ status: z.number().int() }) },
  /** A host's sampled facts over the range, at most ~300 points (averaged down). */
  'metrics.host': {
    params: z.object({ hostId: HostIdSchema, range: MetricsRangeSchema }).strict(),
    result: z.object({ hostId: z.string(), range: MetricsRangeSchema, stepSeconds: z.number(), points: z.array(MetricPointSchema) })
  }
} as const

export const checksEvents = {
  /** A check was created, changed state, or was deleted (status null). Every client gets it. */
  'checks.changed': z.object({ id: z.string(), status: CheckStatusSchema.nullable() }),
  /** An alert fired, resolved or was acknowledged; `firing` is the count still firing and unacknowledged. */
  'alerts.changed': z.object({ alert: AlertSchema, firing: z.number().int() })
} as const
