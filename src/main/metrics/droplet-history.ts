/**
 * A droplet's history from DigitalOcean's monitoring API (`/v2/monitoring/metrics/droplet/*`) for
 * metrics.droplet: six series a refresh (CPU counters, load, available memory, free disk, public
 * bandwidth in and out) plus the two sizes once an hour, converted by ./droplet-series.ts. Each
 * (droplet, range) answer is cached and refreshed at most every 5 minutes (longer ranges less often:
 * a 7-day chart gains a point an hour), every call through one MonitoringLimiter. When the budget says
 * no, the answer says so (status and message) with the last points fetched, instead of failing.
 */
import type { Droplet, MetricsRange } from '../../shared/contract'
import type { DropletMetrics, DropletMetricsStatus } from '../../shared/contract/metrics'
import { DropdeckError } from '../../shared/errors'
import type { ProviderHttp } from '../providers/http/provider-http'
import { latest, rootMount, toPoints, allEmpty, type DropletSeries, type DropletSizes, type Matrix } from './droplet-series'
import { MonitoringLimiter, type LimiterOptions } from './monitoring-limiter'

const MIN = 60_000
/** Window, the chart's step (DigitalOcean's own resolution for that window, or coarser) and how long an answer is kept. */
export const DROPLET_RANGES: Record<MetricsRange, { spanSeconds: number; stepSeconds: number; refreshMs: number }> = {
  '1h': { spanSeconds: 3600, stepSeconds: 60, refreshMs: 5 * MIN },
  '6h': { spanSeconds: 6 * 3600, stepSeconds: 120, refreshMs: 5 * MIN },
  '24h': { spanSeconds: 86_400, stepSeconds: 600, refreshMs: 15 * MIN },
  '7d': { spanSeconds: 7 * 86_400, stepSeconds: 3600, refreshMs: 60 * MIN }
}
/** Calls in one refresh of a range (the six series). */
export const CALLS_PER_REFRESH = 6
const SIZES_CALLS = 2
const SIZES_REFRESH_MS = 60 * MIN
/** After a failure that is not the budget's, wait this long before trying the same droplet and range again. */
const FAILURE_BACKOFF_MS = MIN

export interface DropletHistoryDeps {
  /** A client for the stored DigitalOcean token (no 429 retries: the limiter decides when to call again). */
  http: ProviderHttp
  hasToken(): Promise<boolean>
  /** The active team's droplet behind an SSH host, or null when the host is no droplet. Throws NOT_FOUND for an unknown host. */
  dropletOf(hostId: string): Promise<Droplet | null>
  limiter?: LimiterOptions
  now?: () => number
  log?: (line: string) => void
}

interface Cached {
  status: 'ok' | 'no-agent'
  points: DropletMetrics['points']
  fetchedAt: number
}

const NO_AGENT = (name: string) =>
  `${name} has no DigitalOcean metrics agent, so DigitalOcean has no history for it. Install do-agent on the droplet (curl -sSL https://repos.insights.digitalocean.com/install.sh | sudo bash); its charts fill in from then.`

export class DropletHistory {
  readonly limiter: MonitoringLimiter
  private readonly now: () => number
  private readonly cache = new Map<string, Cached>()
  private readonly inflight = new Map<string, Promise<DropletMetrics>>()
  private readonly sizes = new Map<number, { at: number; sizes: DropletSizes }>()
  /** The last failure per key and until when it stands (a 429: until DigitalOcean's reset; else a minute). */
  private readonly failedAt = new Map<string, { until: number; error: DropdeckError; message?: string }>()
  /** Charts asked for that have no points yet because the budget said no, by key: when last asked. */
  private readonly starving = new Map<string, number>()

  constructor(private readonly deps: DropletHistoryDeps) {
    this.now = deps.now ?? Date.now
    this.limiter = new MonitoringLimiter(() => deps.http.rateLimit, { now: this.now, ...deps.limiter })
  }

  /** Forget every answer (a token or team changed: the droplets are someone else's). */
  invalidate(): void {
    this.cache.clear()
    this.sizes.clear()
    this.starving.clear()
    this.failedAt.clear()
  }

  async get(hostId: string, range: MetricsRange): Promise<DropletMetrics> {
    if (!(await this.deps.hasToken())) {
      return { status: 'no-token', dropletId: null, points: [], fetchedAt: null, nextRefreshAt: null, message: 'No DigitalOcean token is stored: add one in Settings to see droplet history.' }
    }
    const droplet = await this.deps.dropletOf(hostId)
    if (!droplet) {
      return { status: 'not-a-droplet', dropletId: null, points: [], fetchedAt: null, nextRefreshAt: null, message: `${hostId} is not a droplet of the active DigitalOcean team; its history is the one Dropdeck samples while connected.` }
    }
    if (!droplet.monitoring) {
      // no call: DigitalOcean would answer empty series
      return { status: 'no-agent', dropletId: droplet.id, points: [], fetchedAt: null, nextRefreshAt: null, message: NO_AGENT(droplet.name) }
    }
    const key = `${droplet.id}:${range}`
    const cached = this.cache.get(key)
    const { refreshMs } = DROPLET_RANGES[range]
    if (cached && this.now() - cached.fetchedAt < refreshMs) return this.answer(droplet, cached, cached.fetchedAt + refreshMs)
    const failed = this.failedAt.get(key)
    if (failed && this.now() < failed.until) {
      if (failed.error.code === 'RATE_LIMITED') return this.limited(droplet, cached, failed.until, failed.message ?? failed.error.message)
      if (cached) return this.answer(droplet, cached, failed.until, `The last refresh failed (${failed.error.message}); showing the history fetched before.`)
      throw failed.error
    }
    let running = this.inflight.get(key)
    if (!running) {
      running = this.refresh(droplet, range, key, cached).finally(() => this.inflight.delete(key))
      this.inflight.set(key, running)
    }
    return running
  }

  private answer(droplet: Droplet, c: Cached, nextRefresh: number, message?: string, status?: DropletMetricsStatus): DropletMetrics {
    const s = status ?? c.status
    const msg = message ?? (c.status === 'no-agent' ? NO_AGENT(droplet.name) : undefined)
    return { status: s, dropletId: droplet.id, points: c.points, fetchedAt: new Date(c.fetchedAt).toISOString(), nextRefreshAt: new Date(nextRefresh).toISOString(), ...(msg ? { message: msg } : {}) }
  }

  /** 'rate-limited', with the last points fetched when there are some. */
  private limited(droplet: Droplet, cached: Cached | undefined, retryAt: number, message: string): DropletMetrics {
    if (cached) return this.answer(droplet, cached, retryAt, message, 'rate-limited')
    return { status: 'rate-limited', dropletId: droplet.id, points: [], fetchedAt: null, nextRefreshAt: new Date(retryAt).toISOString(), message }
  }

  private async refresh(droplet: Droplet, range: MetricsRange, key: string, cached: Cached | undefined): Promise<DropletMetrics> {
    const sizesKnown = this.sizes.get(droplet.id)
    const needSizes = !sizesKnown || this.now() - sizesKnown.at >= SIZES_REFRESH_MS
    const calls = CALLS_PER_REFRESH + (needSizes ? SIZES_CALLS : 0)
    // First loads before refreshes: a refresh leaves enough for every chart still waiting for its first points.
    for (const [k, at] of this.starving) if (this.now() - at > MIN) this.starving.delete(k)
    const waiting = [...this.starving.keys()].filter((k) => k !== key).length
    const verdict = this.limiter.take(calls, cached ? waiting * (CALLS_PER_REFRESH + SIZES_CALLS) : 0)
    if (!verdict.ok) {
      if (!cached) this.starving.set(key, this.now())
      // The budget's own pace with points to show is not a problem to flag; anything else is.
      if (cached && verdict.reason === 'share') return this.answer(droplet, cached, verdict.retryAt, verdict.message)
      if (cached) return this.answer(droplet, cached, verdict.retryAt, verdict.message, 'rate-limited')
      return { status: 'rate-limited', dropletId: droplet.id, points: [], fetchedAt: null, nextRefreshAt: new Date(verdict.retryAt).toISOString(), message: verdict.message }
    }
    const { spanSeconds, stepSeconds, refreshMs } = DROPLET_RANGES[range]
    const end = Math.floor(this.now() / 1000)
    const start = end - spanSeconds
    const fetchedAt = this.now()
    let made = 0
    const fetch = async (metric: string, extra: Record<string, string> = {}, from = start): Promise<Matrix> => {
      made++
      const res = await this.deps.http.request<{ status?: string; data?: Matrix }>('GET', `/v2/monitoring/metrics/droplet/${metric}`, {
        query: { host_id: String(droplet.id), start: String(from), end: String(end), ...extra },
        what: `${droplet.name}'s ${metric.replace('_', ' ')} history`
      })
      const data = res.body?.data
      if (!data || !Array.isArray(data.result)) throw new DropdeckError('UPSTREAM', `DigitalOcean answered ${metric} for ${droplet.name} without a result matrix; retry shortly.`, { retryable: true })
      return data
    }
    try {
      // CPU first: a token without the monitoring scope stops at one refused call, not eight.
      const cpu = await fetch('cpu')
      const [load1, memAvailable, fsFree, rxMbps, txMbps, sizes] = await Promise.all([
        fetch('load_1'),
        fetch('memory_available'),
        fetch('filesystem_free'),
        fetch('bandwidth', { interface: 'public', direction: 'inbound' }),
        fetch('bandwidth', { interface: 'public', direction: 'outbound' }),
        needSizes ? this.fetchSizes(fetch, end) : Promise.resolve(sizesKnown!.sizes)
      ])
      if (needSizes) this.sizes.set(droplet.id, { at: fetchedAt, sizes })
      this.starving.delete(key)
      const series: DropletSeries = { cpu, load1, memAvailable, fsFree, rxMbps, txMbps }
      const entry: Cached = allEmpty(series) ? { status: 'no-agent', points: [], fetchedAt } : { status: 'ok', points: toPoints(series, sizes, stepSeconds), fetchedAt }
      this.cache.set(key, entry)
      this.failedAt.delete(key)
      return this.answer(droplet, entry, fetchedAt + refreshMs)
    } catch (err) {
      this.limiter.refund(Math.max(0, calls - made))
      const error = this.explain(err, droplet)
      if (error.code === 'RATE_LIMITED') {
        const retryAt = Date.parse(String((error.data as { resetAt?: string } | undefined)?.resetAt ?? '')) || this.now() + FAILURE_BACKOFF_MS
        const message = `DigitalOcean is rate limiting this token; monitoring history waits until ${new Date(retryAt).toISOString()}.`
        this.failedAt.set(key, { until: retryAt, error, message })
        return this.limited(droplet, cached, retryAt, message)
      }
      this.failedAt.set(key, { until: this.now() + FAILURE_BACKOFF_MS, error })
      this.deps.log?.(`metrics: ${droplet.name} ${range}: ${error.message}`)
      if (cached && error.retryable) return this.answer(droplet, cached, this.now() + FAILURE_BACKOFF_MS, `The last refresh failed (${error.message}); showing the history fetched before.`)
      throw error
    }
  }

  /** Sizes from the last hour: the latest memory total and root filesystem size. */
  private async fetchSizes(fetch: (metric: string, extra?: Record<string, string>, from?: number) => Promise<Matrix>, end: number): Promise<DropletSizes> {
    const [memTotal, fsSize] = await Promise.all([fetch('memory_total', {}, end - 3600), fetch('filesystem_size', {}, end - 3600)])
    return { memTotal: latest(memTotal), fsSize: latest(fsSize, rootMount) }
  }

  /** A 403 here is the token's scope: say which one. */
  private explain(err: unknown, droplet: Droplet): DropdeckError {
    if (!(err instanceof DropdeckError)) return new DropdeckError('UPSTREAM', `Reading ${droplet.name}'s history from DigitalOcean failed: ${(err as Error).message}`, { retryable: true })
    const status = (err.data as { status?: number } | undefined)?.status
    if (err.code === 'AUTH_FAILED' && status === 403) {
      return new DropdeckError('AUTH_FAILED', `The DigitalOcean token may not read monitoring data (403 on ${droplet.name}'s history). Give the token the monitoring:read scope (or full read access) and replace it in Settings.`, { data: err.data })
    }
    return err
  }
}
