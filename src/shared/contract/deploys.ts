/**
 * The contract for deploys: services found from a host's containers (Compose services and plain
 * containers), a health-gated deploy or rollback of a tagged image, locked on the host, with a history
 * kept on the host (JSON lines in Dropdeck's state folder) so every operator sees the same deploys.
 * Progress is a stream keyed by the deploy id (`deploys.data` steps, `deploys.state` changes).
 * Assembled into the one contract in ../contract.ts; documented in docs/api.md ("Deploy methods").
 */
import { z } from 'zod'
import { HostIdSchema } from './ssh'

/** `compose:<project>/<service>` or `container:<name>`. */
export const ServiceIdSchema = z.string().min(3).max(300).regex(/^(compose:[a-zA-Z0-9_.-]+\/[a-zA-Z0-9_.-]+|container:[a-zA-Z0-9][a-zA-Z0-9_.-]*)$/, 'compose:<project>/<service> or container:<name>')

/** An image tag as Docker accepts it. */
export const ImageTagSchema = z.string().min(1).max(128).regex(/^[a-zA-Z0-9_][a-zA-Z0-9_.-]*$/, 'an image tag (letters, digits, "_", "." and "-")')

export const DeployIdSchema = z.string().regex(/^[0-9a-f]{16}$/, 'a deploy id (16 hex digits)')

/** Who holds the deploy lock on the host, as written into the lock by the holder. */
export const DeployLockSchema = z.object({
  deployId: z.string(),
  serviceId: z.string(),
  /** The operator's login name on the machine that took it. */
  who: z.string(),
  /** That machine's host name. */
  machine: z.string(),
  /** What the holder is doing, e.g. "deploy dropdeck/web:deploy_aaaaaaaa". */
  what: z.string(),
  /** ISO 8601. */
  since: z.string(),
  /** After this many ms the lock counts as stale and may be taken over. */
  timeoutMs: z.number().int(),
  /** Older than its timeout: the holder is presumed gone; `deploys.takeover` can clear it. */
  stale: z.boolean(),
  /** The step the holder last recorded (for recovery). */
  step: z.string().optional()
})
export type DeployLock = z.infer<typeof DeployLockSchema>

export const ComposeCliSchema = z.object({
  /** `docker compose` (v2 plugin) or `docker-compose` (v1). */
  command: z.enum(['docker compose', 'docker-compose']),
  version: z.string()
})
export type ComposeCli = z.infer<typeof ComposeCliSchema>

export const DeployResultSchema = z.enum(['succeeded', 'rolled-back', 'failed', 'cancelled'])
export type DeployResult = z.infer<typeof DeployResultSchema>

/** One line of the host's history (JSON lines in the state folder). */
export const DeployEntrySchema = z.object({
  deployId: z.string(),
  hostId: z.string(),
  serviceId: z.string(),
  action: z.enum(['deploy', 'rollback', 'recover']),
  who: z.string(),
  machine: z.string(),
  /** `repo:tag` that ran before, or null if nothing ran. */
  fromImage: z.string().nullable(),
  toImage: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  result: DeployResultSchema,
  /** What went wrong, in the operator's words; null when it succeeded. */
  reason: z.string().nullable(),
  /** ms during which no version served (stop-first switches), null when none was stopped. */
  gapMs: z.number().nullable(),
  /** The health gate's last outputs (Docker health log or HTTP answers). */
  healthOutput: z.array(z.string()),
  /** The new container's last log lines when it failed its health gate. */
  logTail: z.array(z.string()),
  /** A version built from a git ref on the host: the ref asked for and the commit it resolved to. */
  git: z.object({ ref: z.string(), commit: z.string(), subject: z.string() }).optional(),
  /** What went wrong without failing the deploy, e.g. a post-deploy command that exited non-zero. */
  warnings: z.array(z.string()).optional()
})
export type DeployEntry = z.infer<typeof DeployEntrySchema>

export const ServiceHealthSchema = z.enum(['healthy', 'unhealthy', 'starting', 'running', 'stopped'])

export const DeployServiceSchema = z.object({
  id: z.string(),
  kind: z.enum(['compose', 'container']),
  /** The Compose project, for Compose services; null for a plain container. */
  project: z.string().nullable(),
  /** The service (Compose) or container name. */
  name: z.string(),
  /** The image repository without a tag, e.g. `dropdeck/web`. */
  image: z.string(),
  running: z.object({
    tag: z.string(),
    containerId: z.string(),
    containerName: z.string(),
    /** Docker health when the container has a health check, else running/stopped. */
    health: ServiceHealthSchema
  }).nullable(),
  /** Versions on the host to deploy or roll back to: the repository's `deploy_*` tags (and others), newest first. */
  retained: z.array(z.object({ tag: z.string(), createdAt: z.string(), imageId: z.string(), size: z.number() })),
  /** How the switch will go: no host port, so the new version starts beside the old one; or stop-then-start. */
  switchMode: z.enum(['gapless', 'stop-first']),
  /** Why the switch stops the old version first (a published port, host networking); null when gapless. */
  gapReason: z.string().nullable(),
  /** For Compose services: the files and working directory from the labels, and Dropdeck's override file. */
  compose: z.object({ workingDir: z.string(), configFiles: z.array(z.string()), overrideFile: z.string() }).nullable(),
  lock: DeployLockSchema.nullable(),
  /** The newest history entry for this service, if any. */
  lastDeploy: DeployEntrySchema.nullable()
})
export type DeployService = z.infer<typeof DeployServiceSchema>

export const DeployStepNameSchema = z.enum(['pull', 'build', 'lock', 'checks', 'checkout', 'pre-deploy', 'tag', 'start', 'health', 'switch', 'post-deploy', 'prune', 'rollback', 'release', 'recover'])
export type DeployStepName = z.infer<typeof DeployStepNameSchema>

/** One step of a deploy as it runs: started, then ended (ok or failed). */
export const DeployStepSchema = z.object({
  step: DeployStepNameSchema,
  status: z.enum(['running', 'ok', 'failed', 'skipped']),
  /** One line on what happens or happened, e.g. "Pulled 12.3 MB", "healthy after 2 checks". */
  detail: z.string(),
  /** ms since the deploy started. */
  at: z.number(),
  /** How long the step took, once it ended. */
  durationMs: z.number().nullable(),
  /** Pull progress in bytes, while pulling. */
  bytes: z.object({ current: z.number(), total: z.number() }).optional(),
  /** A command's output (a build, a pre/post-deploy command): its last lines and how many it printed in all. */
  output: z.object({ lines: z.array(z.string()), total: z.number().int() }).optional()
})
export type DeployStep = z.infer<typeof DeployStepSchema>

export const DeployPhaseSchema = z.enum(['running', 'finished'])

/** A deploy as seen from the app that runs it: what `deploys.active` and `deploys.open` return. */
export const DeployRunSchema = z.object({
  /** The stream id: the deploy's id. */
  id: z.string(),
  deployId: z.string(),
  hostId: z.string(),
  serviceId: z.string(),
  action: z.enum(['deploy', 'rollback', 'recover']),
  toImage: z.string(),
  phase: DeployPhaseSchema,
  /** Every step event so far, in order. */
  steps: z.array(DeployStepSchema),
  /** Past the switch, a cancel is refused. */
  cancellable: z.boolean(),
  /** Once finished: the history entry. */
  entry: DeployEntrySchema.nullable()
})
export type DeployRun = z.infer<typeof DeployRunSchema>

/** Per-service deploy settings the operator may save (defaults work without them). */
export const DeploySettingsSchema = z.object({
  /** Requested from the host itself when the image has no Docker health check, e.g. http://127.0.0.1:8080/health. */
  // Plain HTTP only: the gate sends its GET through an SSH forward without TLS (health-gate.ts's httpCheck).
  healthUrl: z.string().url().max(2000).regex(/^http:\/\//i, 'an http:// URL requested from the host itself, e.g. http://127.0.0.1:8080/health (the gate speaks plain HTTP, not HTTPS)').nullable(),
  expectStatus: z.number().int().min(100).max(599),
  healthTimeoutMs: z.number().int().min(1000).max(30 * 60_000),
  /** Consecutive successes needed. */
  successes: z.number().int().min(1).max(20),
  /** How many versions to keep as rollback targets. */
  keep: z.number().int().min(1).max(50),
  /**
   * A shell command run on the host (over SSH, in the Compose project's folder, else the login's home)
   * under the lock before anything changes, e.g. a migration check; exiting non-zero stops the deploy.
   * It sees DROPDECK_SERVICE, DROPDECK_FROM_IMAGE, DROPDECK_TO_IMAGE, DROPDECK_DEPLOY_ID and, for a git
   * deploy, DROPDECK_GIT_COMMIT.
   */
  preDeploy: z.string().max(4000).nullable(),
  /** Run the same way once the new version is switched in; exiting non-zero is a warning in the history, the deploy stays. */
  postDeploy: z.string().max(4000).nullable(),
  /** How long each of those commands may run before it is stopped (and counts as failed). */
  commandTimeoutMs: z.number().int().min(1000).max(30 * 60_000)
})
export type DeploySettings = z.infer<typeof DeploySettingsSchema>

export const defaultDeploySettings: DeploySettings = { healthUrl: null, expectStatus: 200, healthTimeoutMs: 60_000, successes: 1, keep: 5, preDeploy: null, postDeploy: null, commandTimeoutMs: 120_000 }

const HostService = { hostId: HostIdSchema, serviceId: ServiceIdSchema }

/** A branch, tag or commit as git names it; no leading "-" (never an option), no spaces or shell characters. */
export const GitRefSchema = z.string().min(1).max(200).regex(/^(?!-)[a-zA-Z0-9_][a-zA-Z0-9_./@^~+-]*$/, 'a branch, tag or commit (letters, digits and _ . / @ ^ ~ + -)').refine((r) => !r.includes('..') && !r.includes('@{'), 'a single ref, not a range')

const GitCommitSchema = z.object({ name: z.string(), commit: z.string(), date: z.string(), subject: z.string() })
export const GitRefsSchema = z.object({
  /** The service's Compose folder on the host, and the clone's top folder. */
  workingDir: z.string(),
  repoDir: z.string(),
  /** What the clone has checked out now: a branch name, or null when detached. */
  head: z.object({ branch: z.string().nullable(), commit: z.string(), subject: z.string() }),
  /** Tracked files changed in the working tree (a git deploy refuses to check out over them). */
  dirty: z.array(z.string()),
  /** Whether a `git fetch` ran (false without a remote), and what it said when it failed. */
  fetched: z.boolean(),
  fetchError: z.string().nullable(),
  branches: z.array(GitCommitSchema),
  tags: z.array(GitCommitSchema),
  commits: z.array(GitCommitSchema)
})
export type GitRefs = z.infer<typeof GitRefsSchema>

/**
 * For a host that is a droplet without the managed tag (settings.managedTag, when enforced): true unlocks
 * it for this one deploy or rollback, as for droplet actions; without it the call fails with
 * CONFIRMATION_REQUIRED and `data.readOnly: true`. Ignored for hosts that are not droplets.
 */
const Unlock = { unlock: z.boolean().optional() }

/**
 * A registry login for this deploy's pull only: sent to the host's Docker as the X-Registry-Auth header,
 * never written anywhere (neither the operator's disk nor the host's ~/.docker). Without it the host's own
 * registry login is used.
 */
export const RegistryLoginSchema = z.object({ username: z.string().min(1).max(500), password: z.string().min(1).max(10_000) }).strict()

export const deploysMethods = {
  /** The host's deployable services (one docker round per container), with running version, retained versions and the lock. */
  'deploys.services': { params: z.object({ hostId: HostIdSchema }).strict(), result: z.object({ services: z.array(DeployServiceSchema), compose: ComposeCliSchema.nullable() }) },
  /**
   * Starts a deploy of `<service's repo>:<tag>`; resolves once it runs, with its id. DEPLOY_LOCKED
   * (holder in `data`) when another deploy holds the service's lock. The caller gets its progress
   * (deploys.data / deploys.state) as if it had called deploys.open; a window closed meanwhile does not stop it.
   */
  'deploys.start': {
    params: z
      .object({ ...HostService, tag: ImageTagSchema.optional(), gitRef: GitRefSchema.optional(), ...Unlock, registry: RegistryLoginSchema.optional() })
      .strict()
      .superRefine((p, ctx) => {
        if ((p.tag === undefined) === (p.gitRef === undefined)) ctx.addIssue({ code: 'custom', path: ['tag'], message: 'give exactly one of tag (an image) or gitRef (a git ref to build on the host)' })
        if (p.gitRef !== undefined && p.registry) ctx.addIssue({ code: 'custom', path: ['registry'], message: 'a registry login is for pulling a tag; a git deploy builds on the host' })
      }),
    result: z.object({ deployId: z.string() })
  },
  /**
   * What a git deploy can build for a Compose service with a `build:` section: after a `git fetch` in the
   * service's folder on the host, its branches, tags and recent commits, newest first, and whether the
   * working tree has local changes (a git deploy refuses then). BAD_REQUEST for a service without `build:`.
   */
  'deploys.refs': { params: z.object({ ...HostService }).strict(), result: GitRefsSchema },
  /** Like deploys.start, to a retained version; `confirm` must equal the service's name (CONFIRMATION_REQUIRED otherwise). */
  'deploys.rollback': { params: z.object({ ...HostService, tag: ImageTagSchema, confirm: z.string().max(300).optional(), ...Unlock }).strict(), result: z.object({ deployId: z.string() }) },
  /**
   * The versions a registry offers for the service's image: for an image in the team's DigitalOcean
   * Container Registry (`registry.digitalocean.com/<registry>/<repository>`), its tags with dates and sizes,
   * newest first (`source: 'docr'`); for any other image none (`source: 'typed'`: the operator types a tag).
   */
  'deploys.tags': {
    params: z.object({ ...HostService }).strict(),
    result: z.object({
      source: z.enum(['docr', 'typed']),
      image: z.string(),
      registry: z.string().nullable(),
      tags: z.array(z.object({ tag: z.string(), updatedAt: z.string(), sizeBytes: z.number(), compressedSizeBytes: z.number(), digest: z.string() }))
    })
  },
  /** The host's history, newest first; one service's with serviceId. */
  'deploys.history': { params: z.object({ hostId: HostIdSchema, serviceId: ServiceIdSchema.optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(), result: z.array(DeployEntrySchema) },
  /** Cancels a running deploy before its switch (the old version keeps running); refused after it. */
  'deploys.cancel': { params: z.object({ deployId: DeployIdSchema }).strict(), result: z.object({ cancelled: z.boolean() }) },
  /**
   * Clears a stale lock (older than its timeout) after the operator typed the service's name in `confirm`,
   * restores the service to one running version (recovery) and records it. A live lock is never broken.
   */
  'deploys.takeover': { params: z.object({ ...HostService, confirm: z.string().max(300).optional() }).strict(), result: z.object({ deployId: z.string() }) },
  /** Deploys this app is running or finished lately (a window that reconnects picks them up with deploys.open). */
  'deploys.active': { params: z.object({ hostId: HostIdSchema.optional() }).strict(), result: z.array(DeployRunSchema) },
  /** The stream of one deploy (the stream id is the deploy id): its steps so far; its later events go to the caller too. */
  'deploys.open': { params: z.object({ deployId: DeployIdSchema }).strict(), result: DeployRunSchema },
  /** Stops sending the deploy's events to the caller; the deploy itself runs on. */
  'deploys.close': { params: z.object({ id: z.string().min(1).max(100) }).strict(), result: z.object({ closed: z.literal(true) }) },
  'deploys.settings': { params: z.object({ ...HostService }).strict(), result: DeploySettingsSchema },
  'deploys.configure': { params: z.object({ ...HostService, settings: DeploySettingsSchema.partial() }).strict(), result: DeploySettingsSchema }
} as const

export const deploysEvents = {
  /** One step of deploy `id` started or ended. */
  'deploys.data': z.object({ id: z.string(), seq: z.number().int(), step: DeployStepSchema }),
  /** Deploy `id` finished (with its history entry), or its cancellable flag changed. */
  'deploys.state': z.object({ id: z.string(), phase: DeployPhaseSchema, cancellable: z.boolean(), entry: DeployEntrySchema.nullable() }),
  /** A host's services changed (a deploy finished, a lock was taken or released). */
  'deploys.changed': z.object({ hostId: z.string() })
} as const
