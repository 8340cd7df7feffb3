/**
 * The contract for Docker containers on SSH hosts: list, start/stop/restart/remove, and the health
 * check's last results. Spoken as the Docker Engine API over the host's pooled SSH connection.
 * Assembled into the one contract in ../contract.ts; documented in docs/api.md ("Container methods").
 */
import { z } from 'zod'
import { HostIdSchema } from './ssh'

/** A container id (full or short) or name, as the Engine API accepts them. */
export const ContainerIdSchema = z.string().min(1).max(255).regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'a container id or name')

export const ContainerHealthSchema = z.enum(['healthy', 'unhealthy', 'starting'])

export const ContainerSchema = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  /** Docker's state: created, running, paused, restarting, removing, exited, dead; `removed` after a remove. */
  state: z.string(),
  /** null: the container has no health check. */
  health: ContainerHealthSchema.nullable(),
  /** The last exit code, for containers that are not running; else null. */
  exitCode: z.number().int().nullable(),
  /** Published ports, e.g. `127.0.0.1:8080->80/tcp`, or `80/tcp` when exposed but not published. */
  ports: z.array(z.string()),
  /** ISO 8601. */
  createdAt: z.string(),
  /** ISO 8601; null if never started. */
  startedAt: z.string().nullable(),
  /** ISO 8601: when it last stopped, for containers that are not running; else null. */
  finishedAt: z.string().nullable(),
  /** The Compose project label (`com.docker.compose.project`). */
  project: z.string().nullable(),
  /** The Compose project's folder on the host (`com.docker.compose.project.working_dir`), when labelled. */
  projectDir: z.string().nullable().optional()
})
export type Container = z.infer<typeof ContainerSchema>

export const HealthResultSchema = z.object({
  start: z.string(),
  end: z.string(),
  exitCode: z.number().int(),
  output: z.string()
})
export type HealthResult = z.infer<typeof HealthResultSchema>

/** One environment variable; a secret-looking one (see `secret`) comes without its value until revealed. */
export const ContainerEnvSchema = z.object({
  name: z.string(),
  /** null while masked: ask containers.revealEnv for it. */
  value: z.string().nullable(),
  /** The name looks like it holds a secret (PASSWORD, SECRET, TOKEN, KEY, CREDENTIAL, AUTH, PRIVATE, DSN, …). */
  secret: z.boolean()
})

/** What GET /containers/{id}/json says about a container, for its Inspect tab. */
export const ContainerInspectSchema = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  /** The command as docker runs it (entrypoint + cmd). */
  command: z.array(z.string()),
  workingDir: z.string(),
  user: z.string(),
  env: z.array(ContainerEnvSchema),
  mounts: z.array(z.object({ type: z.string(), source: z.string(), destination: z.string(), mode: z.string(), readOnly: z.boolean() })),
  ports: z.array(z.string()),
  /** Network name → its address in it (empty for host networking). */
  networks: z.array(z.object({ name: z.string(), ipAddress: z.string(), aliases: z.array(z.string()) })),
  networkMode: z.string(),
  labels: z.record(z.string(), z.string()),
  /** `no`, `always`, `unless-stopped`, `on-failure` (with `maximumRetries`). */
  restartPolicy: z.object({ name: z.string(), maximumRetries: z.number().int() }),
  restartCount: z.number().int(),
  /** Set by docker when the container was killed for running out of memory. */
  oomKilled: z.boolean(),
  /** Docker's own error for the last start, if any. */
  error: z.string()
})
export type ContainerInspect = z.infer<typeof ContainerInspectSchema>

/** One reading of GET /containers/{id}/stats?stream=false&one-shot=… */
export const ContainerStatsSchema = z.object({
  /** Percent of one CPU (200 = two CPUs busy), over docker's sampling interval; null while docker has no earlier sample. */
  cpuPercent: z.number().nullable(),
  /** Memory in use, without the page cache (as `docker stats` shows it). */
  memoryBytes: z.number(),
  /** The container's memory limit (the host's memory when it has none). */
  memoryLimitBytes: z.number(),
  /** ISO 8601, docker's time of the reading. */
  at: z.string()
})
export type ContainerStats = z.infer<typeof ContainerStatsSchema>

export const ContainerActionSchema = z.enum(['start', 'stop', 'restart', 'remove'])

/** A live watch's connection to the host's Docker events stream. */
export const ContainersWatchStateSchema = z.enum(['connecting', 'live', 'reconnecting'])

export const ContainersWatchStatusSchema = z.object({
  hostId: z.string(),
  state: ContainersWatchStateSchema,
  /** Why the stream is down (while reconnecting), e.g. the daemon not answering; else null. */
  message: z.string().nullable(),
  /** Reconnect attempts since the stream was last live. */
  attempt: z.number().int(),
  /** When the next attempt starts (ms from now), while reconnecting; else null. */
  retryInMs: z.number().int().nullable()
})
export type ContainersWatchStatus = z.infer<typeof ContainersWatchStatusSchema>

/** One kind of Docker data on the host, as GET /system/df reports it; sizes in bytes. */
export const DiskUsageEntrySchema = z.object({
  count: z.number().int(),
  /** In use: images with containers, running containers, volumes with references, build cache in use. */
  active: z.number().int(),
  size: z.number(),
  /** What a prune of this kind could free. */
  reclaimable: z.number()
})

export const DiskUsageSchema = z.object({
  images: DiskUsageEntrySchema,
  containers: DiskUsageEntrySchema,
  volumes: DiskUsageEntrySchema,
  buildCache: DiskUsageEntrySchema
})
export type DiskUsage = z.infer<typeof DiskUsageSchema>

/** What a prune removes (preview) or removed (after it); sizes in bytes. */
export const PruneReportSchema = z.object({
  /** Stopped containers (exited, created, dead). */
  containers: z.array(z.object({ id: z.string(), name: z.string(), size: z.number() })),
  /** Dangling images (no tag). */
  images: z.array(z.object({ id: z.string(), size: z.number() })),
  /** Unused build cache records. */
  buildCache: z.object({ count: z.number().int(), size: z.number() }),
  /** Unused volumes; only when asked for with `volumes: true`, else always empty. */
  volumes: z.array(z.object({ name: z.string(), size: z.number() })),
  volumesIncluded: z.boolean(),
  /** Preview: the estimate; after the prune: what Docker reports it freed. */
  spaceReclaimed: z.number()
})
export type PruneReport = z.infer<typeof PruneReportSchema>

export const containersMethods = {
  /** Every container on the host, running or not. */
  'containers.list': { params: z.object({ hostId: HostIdSchema }).strict(), result: z.array(ContainerSchema) },
  /** `remove` needs `confirm` equal to the container's name (CONFIRMATION_REQUIRED otherwise). Returns the container after the action. */
  'containers.action': {
    params: z.object({ hostId: HostIdSchema, id: ContainerIdSchema, action: ContainerActionSchema, confirm: z.string().max(255).optional() }).strict(),
    result: ContainerSchema
  },
  /** Environment (secret-looking values masked), mounts, ports, networks, labels and restart policy. */
  'containers.inspect': { params: z.object({ hostId: HostIdSchema, id: ContainerIdSchema }).strict(), result: ContainerInspectSchema },
  /** The value of one environment variable that inspect masked; NOT_FOUND if the container has no such variable. */
  'containers.revealEnv': {
    params: z.object({ hostId: HostIdSchema, id: ContainerIdSchema, name: z.string().min(1).max(1000) }).strict(),
    result: z.object({ name: z.string(), value: z.string() })
  },
  /** CPU and memory now (one reading; a running container only: stopped ones report zeros). */
  'containers.stats': { params: z.object({ hostId: HostIdSchema, id: ContainerIdSchema }).strict(), result: ContainerStatsSchema },
  /** The container's last log lines (stdout and stderr, oldest first): what an exited container said before it stopped. */
  'containers.tail': {
    params: z.object({ hostId: HostIdSchema, id: ContainerIdSchema, lines: z.number().int().min(1).max(1000).optional() }).strict(),
    result: z.object({ lines: z.array(z.object({ stream: z.enum(['stdout', 'stderr']), text: z.string() })) })
  },
  /**
   * A shell inside a running container (`docker exec -it` with bash, else sh), as a terminal: the result's
   * `id` is a terminal id, driven with terminals.write/resize/ack/close, its output in terminals.data and
   * its end in terminals.state, with the same acknowledged flow control. Owned by the calling client.
   */
  'containers.shell': {
    params: z.object({ hostId: HostIdSchema, id: ContainerIdSchema, cols: z.number().int().min(1).max(1000), rows: z.number().int().min(1).max(1000) }).strict(),
    result: z.object({ id: z.string() })
  },
  /** The health check's last results, oldest first; empty without a health check. */
  'containers.health': { params: z.object({ hostId: HostIdSchema, id: ContainerIdSchema }).strict(), result: z.array(HealthResultSchema) },
  /**
   * A stream (./streams.ts) of live updates for the host from its Docker events stream
   * (containers.watch.data, containers.watch.state). Owned by the calling client; ends with
   * containers.watch.close or when the client goes away. No acks: its events are rare and small.
   */
  'containers.watch.open': { params: z.object({ hostId: HostIdSchema }).strict(), result: z.object({ id: z.string(), status: ContainersWatchStatusSchema }) },
  'containers.watch.close': { params: z.object({ id: z.string().min(1).max(100) }).strict(), result: z.object({ closed: z.literal(true) }) },
  /** Disk used by Docker on the host (GET /system/df): images, containers, volumes, build cache. */
  'containers.df': { params: z.object({ hostId: HostIdSchema }).strict(), result: DiskUsageSchema },
  /** What containers.prune would remove; deletes nothing. Volumes only with `volumes: true`. */
  'containers.prunePreview': { params: z.object({ hostId: HostIdSchema, volumes: z.boolean().optional() }).strict(), result: PruneReportSchema },
  /**
   * Removes stopped containers, dangling images and unused build cache (and unused volumes only with
   * `volumes: true`). Needs `confirm` equal to the host id: CONFIRMATION_REQUIRED otherwise, with the preview in `data`.
   */
  'containers.prune': {
    params: z.object({ hostId: HostIdSchema, volumes: z.boolean().optional(), confirm: z.string().max(255).optional() }).strict(),
    result: PruneReportSchema
  }
} as const

/** Container watch events (live updates from the Docker events stream), keyed by the watch's id. */
export const containersEvents = {
  /** The watch's connection to the events stream changed (connecting, live, reconnecting and why). */
  'containers.watch.state': ContainersWatchStatusSchema.extend({ id: z.string() }),
  /**
   * `synced`: every container on the host, listed when the watch (re)connects: replaces what the client
   * holds. `changed`: one container changed (re-inspected after a Docker event), or was removed.
   */
  'containers.watch.data': z.discriminatedUnion('kind', [
    z.object({ id: z.string(), hostId: z.string(), kind: z.literal('synced'), containers: z.array(ContainerSchema) }),
    z.object({
      id: z.string(),
      hostId: z.string(),
      kind: z.literal('changed'),
      container: z.union([ContainerSchema, z.object({ id: z.string(), removed: z.literal(true) })])
    })
  ])
} as const
