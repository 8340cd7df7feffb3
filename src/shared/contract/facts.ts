/**
 * The contract for host facts: CPU, memory, swap, load, disk per mount, uptime and OS, read from
 * /proc and df over the host's pooled SSH connection. Assembled into ../contract.ts; documented in
 * docs/api.md ("Host facts").
 */
import { z } from 'zod'
import { HostIdSchema } from './ssh'

export const DiskSchema = z.object({
  mount: z.string(),
  filesystem: z.string(),
  /** Bytes. */
  size: z.number(),
  used: z.number(),
  available: z.number(),
  /** used / (used + available), as df computes its Use% (space reserved for root is not counted). */
  usedPercent: z.number()
})
export type Disk = z.infer<typeof DiskSchema>

export const FactFlagSchema = z.object({
  kind: z.enum(['disk', 'memory']),
  /** The mount point for disk; `memory` for memory. */
  subject: z.string(),
  usedPercent: z.number(),
  thresholdPercent: z.number(),
  /** critical at 95% or more; warning from the threshold up. */
  severity: z.enum(['warning', 'critical']),
  message: z.string()
})
export type FactFlag = z.infer<typeof FactFlagSchema>

export const HostFactsSchema = z.object({
  hostId: z.string(),
  /** When the facts were read (ISO 8601, the host's clock). */
  readAt: z.string(),
  hostname: z.string(),
  cpu: z.object({ count: z.number().int(), model: z.string().nullable() }),
  load: z.object({ one: z.number(), five: z.number(), fifteen: z.number() }),
  memory: z.object({ total: z.number(), available: z.number(), used: z.number(), usedPercent: z.number() }),
  swap: z.object({ total: z.number(), free: z.number(), used: z.number(), usedPercent: z.number() }),
  disks: z.array(DiskSchema),
  uptimeSeconds: z.number(),
  os: z.object({ id: z.string().nullable(), name: z.string(), version: z.string().nullable() }),
  kernel: z.string(),
  flags: z.array(FactFlagSchema)
})
export type HostFacts = z.infer<typeof HostFactsSchema>

export const factsMethods = {
  /** One read of the host's facts (a single exec), flagged against settings.alertThresholdPercent. */
  'hosts.facts': { params: z.object({ hostId: HostIdSchema }).strict(), result: HostFactsSchema }
} as const
