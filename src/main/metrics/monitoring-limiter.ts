/**
 * The one gate every DigitalOcean monitoring call goes through. Two rules:
 *  - a share of the token's hourly budget (8% of `ratelimit-limit` by default, a token bucket so a
 *    first look at many droplets can burst, then a steady rate): charts must never crowd out the
 *    operator's own actions, and other tools may use the same token;
 *  - a floor on what the token has left (`ratelimit-remaining`, from DigitalOcean's last answer, less
 *    the calls made since): below 10% of the limit, monitoring stops until the budget resets.
 * A refresh asks for all its calls at once, so it runs whole or not at all.
 */
import type { RateLimit } from '../providers/http/provider-http'

/** DigitalOcean's documented budget per token, used until an answer says otherwise. */
export const DEFAULT_HOURLY_LIMIT = 5000
const HOUR = 3_600_000

export interface LimiterOptions {
  /** Share of the hourly limit monitoring may spend (default 0.08). */
  share?: number
  /** Monitoring stops when the token has less than this share of its limit left (default 0.1). */
  reserve?: number
  /** The most calls saved up, as a share of the hourly allowance (default 0.75: a first look at 20 droplets on two ranges, 280 calls). */
  burst?: number
  now?: () => number
}

export type Verdict =
  | { ok: true }
  | { ok: false; reason: 'share' | 'token-low'; retryAt: number; message: string }

export class MonitoringLimiter {
  private readonly share: number
  private readonly reserve: number
  private readonly burst: number
  private readonly now: () => number
  private tokens: number
  private refilledAt: number
  /** Calls since DigitalOcean last told us what is left (its answers update the figure). */
  private sinceReading = 0
  private lastReading: RateLimit | null = null
  /** Every call made, for the budget figure (`callsInLastHour`). */
  private readonly calls: number[] = []

  constructor(private readonly rateLimit: () => RateLimit | null, options: LimiterOptions = {}) {
    this.share = options.share ?? 0.08
    this.reserve = options.reserve ?? 0.1
    this.burst = options.burst ?? 0.75
    this.now = options.now ?? Date.now
    this.tokens = this.capacity()
    this.refilledAt = this.now()
  }

  private limit(): number {
    return this.rateLimit()?.limit ?? DEFAULT_HOURLY_LIMIT
  }

  /** Calls per hour monitoring may make. */
  hourlyAllowance(): number {
    return this.share * this.limit()
  }

  private capacity(): number {
    return Math.max(1, this.burst * this.hourlyAllowance())
  }

  private refill(): void {
    const now = this.now()
    this.tokens = Math.min(this.capacity(), this.tokens + ((now - this.refilledAt) * this.hourlyAllowance()) / HOUR)
    this.refilledAt = now
  }

  /** What DigitalOcean said is left, less what we spent since; null before any answer or after its reset. */
  remaining(): number | null {
    const reading = this.rateLimit()
    if (!reading) return null
    if (reading !== this.lastReading) {
      // a fresher answer already counts our calls
      this.lastReading = reading
      this.sinceReading = 0
    }
    if (reading.resetAt && Date.parse(reading.resetAt) <= this.now()) return null
    return reading.remaining - this.sinceReading
  }

  /**
   * Takes `n` calls from the budget, or says why not and when to try again. `hold` calls must stay in
   * the bucket afterwards: a refresh of points already shown leaves room for a chart that has none yet.
   */
  take(n: number, hold = 0): Verdict {
    const remaining = this.remaining()
    const floor = Math.ceil(this.reserve * this.limit())
    if (remaining !== null && remaining - n < floor) {
      const reset = this.rateLimit()?.resetAt
      const retryAt = reset ? Date.parse(reset) : this.now() + 5 * 60_000
      return {
        ok: false,
        reason: 'token-low',
        retryAt,
        message: `The DigitalOcean token has ${remaining} of its ${this.limit()} calls this hour left; Dropdeck keeps the last ${floor} for your own actions, so monitoring waits until the budget resets (${new Date(retryAt).toISOString()}).`
      }
    }
    this.refill()
    if (this.tokens < n + hold) {
      const retryAt = this.now() + Math.ceil(((n + hold - this.tokens) * HOUR) / this.hourlyAllowance())
      return {
        ok: false,
        reason: 'share',
        retryAt,
        message: `Monitoring history refreshes less often to stay within ${Math.round(this.share * 100)}% of the DigitalOcean token's hourly budget (${Math.round(this.hourlyAllowance())} of ${this.limit()} calls); next refresh about ${new Date(retryAt).toISOString()}.`
      }
    }
    this.tokens -= n
    this.sinceReading += n
    const now = this.now()
    for (let i = 0; i < n; i++) this.calls.push(now)
    return { ok: true }
  }

  /** Gives back calls that were taken but not made (a refresh cut short). */
  refund(n: number): void {
    this.tokens = Math.min(this.capacity(), this.tokens + n)
    this.sinceReading = Math.max(0, this.sinceReading - n)
    this.calls.splice(this.calls.length - Math.min(n, this.calls.length), n)
  }

  /** Monitoring calls made in the last hour. */
  callsInLastHour(): number {
    const from = this.now() - HOUR
    while (this.calls.length && this.calls[0] < from) this.calls.shift()
    return this.calls.length
  }
}
