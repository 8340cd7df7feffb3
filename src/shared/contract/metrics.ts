/**
 * The contract for metrics history that does not come from Dropdeck's own host sampling
 * (`metrics.host`, in ./checks.ts): a droplet's history from DigitalOcean's monitoring API, and the
 * CPU and memory of one container sampled from the Engine API. Assembled into ../contract.ts;
 * documented in docs/api.md ("Metrics").
 */
import { z } from 'zod'
import { MetricsRangeSchema } from './checks'
import { HostIdSchema } from './ssh'

/**
 * A point of a droplet's DigitalOcean history: the fields of `metrics.host`'s points, each null where
 * DigitalOcean has no such series (swap, always; a series the agent did not report for that time).
 */
export const DropletMetricPointSchema = z.object({
  t: z.number(),
  cpu: z.number().nullable(),
  load1: z.number().nullable(),
  mem: z.number().nullable(),
  swap: z.number().nullable(),
  /** Use of the filesystem mounted at `/`. */
  disk: z.number().nullable(),
  /** Public interface, bytes per second. */
  rx: z.number().nullable(),
  tx: z.number().nullable()
})
export type DropletMetricPoint = z.infer<typeof DropletMetricPointSchema>

/**
 * `ok`: points from DigitalOcean (maybe from the cache). `no-agent`: the droplet has no metrics agent
 * (no `monitoring` feature, or every series came back empty). `not-a-droplet`: the host is no droplet of
 * the active team. `no-token`: no DigitalOcean token is stored. `rate-limited`: Dropdeck held back to
 * keep the token's hourly budget (or DigitalOcean answered 429); the points are the last ones fetched.
 */
export const DropletMetricsStatusSchema = z.enum(['ok', 'no-agent', 'not-a-droplet', 'no-token', 'rate-limited'])
export type DropletMetricsStatus = z.infer<typeof DropletMetricsStatusSchema>

export const DropletMetricsSchema = z.object({
  status: DropletMetricsStatusSchema,
  dropletId: z.number().int().nullable(),
  points: z.array(DropletMetricPointSchema),
  /** When these points were fetched from DigitalOcean; null when never. */
  fetchedAt: z.string().nullable(),
  /** The earliest time a call can fetch again (answers are cached per droplet and range); null when no fetch applies. */
  nextRefreshAt: z.string().nullable(),
  /** What the status means for the operator, e.g. how to install the agent or why the refresh waits. */
  message: z.string().optional()
})
export type DropletMetrics = z.infer<typeof DropletMetricsSchema>

/** One sample of a container: CPU % of one core (100 = one core busy, as `docker stats`), memory in bytes (page cache excluded). */
export const ContainerMetricPointSchema = z.object({ t: z.number(), cpu: z.number().nullable(), mem: z.number() })
export type ContainerMetricPoint = z.infer<typeof ContainerMetricPointSchema>

export const metricsMethods = {
  /** A droplet host's history from DigitalOcean's monitoring API, cached per droplet and range (refreshed at most every 5 minutes). */
  'metrics.droplet': {
    params: z.object({ hostId: HostIdSchema, range: MetricsRangeSchema }).strict(),
    result: DropletMetricsSchema
  },
  /** A container's CPU and memory sampled every 15 s while its host is connected, at most ~300 points (averaged down). */
  'metrics.container': {
    params: z.object({ hostId: HostIdSchema, containerId: z.string().min(1).max(128).regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'a container id or name'), range: MetricsRangeSchema }).strict(),
    result: z.object({ points: z.array(ContainerMetricPointSchema) })
  }
} as const
