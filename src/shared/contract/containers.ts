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
  /** The Compose project label (`com.docker.compose.project`). */
  project: z.string().nullable()
})
export type Container = z.infer<typeof ContainerSchema>

export const HealthResultSchema = z.object({
  start: z.string(),
  end: z.string(),
  exitCode: z.number().int(),
  output: z.string()
})
export type HealthResult = z.infer<typeof HealthResultSchema>

export const ContainerActionSchema = z.enum(['start', 'stop', 'restart', 'remove'])

export const containersMethods = {
  /** Every container on the host, running or not. */
  'containers.list': { params: z.object({ hostId: HostIdSchema }).strict(), result: z.array(ContainerSchema) },
  /** `remove` needs `confirm` equal to the container's name (CONFIRMATION_REQUIRED otherwise). Returns the container after the action. */
  'containers.action': {
    params: z.object({ hostId: HostIdSchema, id: ContainerIdSchema, action: ContainerActionSchema, confirm: z.string().max(255).optional() }).strict(),
    result: ContainerSchema
  },
  /** The health check's last results, oldest first; empty without a health check. */
  'containers.health': { params: z.object({ hostId: HostIdSchema, id: ContainerIdSchema }).strict(), result: z.array(HealthResultSchema) }
} as const

/** Container events (live updates from the Docker events stream). */
export const containersEvents = {} as const
