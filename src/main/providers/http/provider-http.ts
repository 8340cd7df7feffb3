/**
 * JSON over HTTP to one provider: bearer token, base URL, per-attempt timeout, retries, rate-limit
 * bookkeeping and the mapping of every failure to a DropdeckError with a stable code. Retries with
 * jittered exponential backoff cover network errors and 5xx on idempotent methods only (a POST
 * that reached the provider may have been applied); a 429 means "not processed", so any method
 * waits for Retry-After / ratelimit-reset (capped) and tries again.
 */
import { DropdeckError } from '../../../shared/errors'
import type { Provider } from '../../../shared/contract'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RateLimit {
  limit: number
  remaining: number
  resetAt: string | null
}

export interface LastError {
  code: string
  message: string
  requestId?: string
  at: string
}

export interface HttpTuning {
  /** Per attempt. Default 20 s. */
  timeoutMs?: number
  /** Extra attempts for network errors, timeouts and 5xx on idempotent methods. Default 3. */
  retries?: number
  /** First backoff; doubles each retry, with jitter. Default 300 ms. */
  retryBaseMs?: number
  /** Extra attempts after a 429. Default 2. */
  rateLimitRetries?: number
  /** The longest a 429 is waited out; longer waits fail at once with RATE_LIMITED. Default 30 s. */
  maxRateLimitWaitMs?: number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

export interface ProviderHttpOptions extends HttpTuning {
  provider: Provider
  baseUrl: string
  /** The token for this request, or null when none is stored. */
  token: () => Promise<string | null>
  fetch: typeof fetch
  log?: (line: string) => void
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>
  body?: unknown
  /** For error messages: "page 3 of 5". */
  what?: string
}

export interface HttpResult<T> {
  status: number
  body: T
  headers: Headers
  requestId?: string
}

const NAMES: Record<Provider, string> = { digitalocean: 'DigitalOcean', cloudflare: 'Cloudflare' }
/** What a provider token is made of: visible ASCII. Anything else is a paste accident, and HTTP refuses it in a header. */
export const TOKEN_CHARACTERS = /^[\x21-\x7E]+$/
const IDEMPOTENT = new Set<HttpMethod>(['GET', 'PUT', 'DELETE'])

export class ProviderHttp {
  readonly provider: Provider
  readonly baseUrl: string
  rateLimit: RateLimit | null = null
  lastError: LastError | null = null
  requests = 0
  private readonly opts: Required<HttpTuning> & ProviderHttpOptions

  constructor(options: ProviderHttpOptions) {
    this.provider = options.provider
    this.baseUrl = options.baseUrl.replace(/\/+$/, '')
    this.opts = {
      timeoutMs: 20_000,
      retries: 3,
      retryBaseMs: 300,
      rateLimitRetries: 2,
      maxRateLimitWaitMs: 30_000,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      random: Math.random,
      ...options
    }
  }

  get name(): string {
    return NAMES[this.provider]
  }

  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<HttpResult<T>> {
    const token = await this.opts.token()
    if (!token) {
      throw new DropdeckError('AUTH_FAILED', `No ${this.name} token is stored: add one in Settings.`, { data: { provider: this.provider, missing: true } })
    }
    if (!TOKEN_CHARACTERS.test(token)) {
      // Stored before tokens were checked: never sent, and never quoted back.
      throw new DropdeckError('AUTH_FAILED', `The stored ${this.name} token has spaces or control characters, which no token has: replace it in Settings.`, { data: { provider: this.provider, malformedToken: true } })
    }
    const url = new URL(this.baseUrl + path)
    const base = new URL(this.baseUrl)
    if (url.origin !== base.origin || url.pathname !== base.pathname.replace(/\/+$/, '') + path.replace(/[?#].*$/s, '')) {
      // An id of ".." (or "%2e%2e") would make /zones/{id}/dns_records/.. the zone itself: never send what was not built.
      throw new DropdeckError('BAD_REQUEST', `Dropdeck refused to send ${method} ${path.slice(0, 200)} to ${this.name}: it names another resource once normalised (${url.pathname}). An id in the request is not one ${this.name} issues.`, { data: { provider: this.provider } })
    }
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value))
    const label = `${method} ${url.pathname}${options.what ? ` (${options.what})` : ''}`
    let failures = 0
    let limited = 0
    for (;;) {
      try {
        return await this.attempt<T>(method, url, token, options.body, label)
      } catch (err) {
        const error = withoutToken(err instanceof DropdeckError ? err : new DropdeckError('UPSTREAM', `${this.name} failed on ${label}.`, { retryable: true }), token)
        const data = (error.data ?? {}) as { status?: number; waitMs?: number; network?: boolean }
        if (error.code === 'RATE_LIMITED' && data.waitMs !== undefined && limited < this.opts.rateLimitRetries && data.waitMs <= this.opts.maxRateLimitWaitMs) {
          limited++
          this.opts.log?.(`${this.provider}: 429 on ${label}; waiting ${data.waitMs} ms as the provider asked`)
          await this.opts.sleep(data.waitMs)
          continue
        }
        const transient = (data.network === true && error.retryable) || error.code === 'TIMEOUT' || (data.status !== undefined && data.status >= 500)
        if (transient && IDEMPOTENT.has(method) && failures < this.opts.retries) {
          failures++
          // "equal jitter": half the exponential step, plus a random half, so clients spread out
          const step = this.opts.retryBaseMs * 2 ** (failures - 1)
          await this.opts.sleep(step / 2 + this.opts.random() * (step / 2))
          continue
        }
        if (failures > 0 && error.data && typeof error.data === 'object') (error.data as Record<string, unknown>).attempts = failures + 1
        this.lastError = { code: error.code, message: error.message, requestId: (error.data as { requestId?: string } | undefined)?.requestId, at: new Date().toISOString() }
        throw error
      }
    }
  }

  private async attempt<T>(method: HttpMethod, url: URL, token: string, body: unknown, label: string): Promise<HttpResult<T>> {
    this.requests++
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    let res: Response
    let text: string
    try {
      // Provider APIs never redirect; following one would carry the token elsewhere (undici and net.fetch differ there).
      res = await this.opts.fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'error', signal: AbortSignal.timeout(this.opts.timeoutMs) })
      text = await res.text()
    } catch (err) {
      if (err instanceof DropdeckError) throw keepWords(err, this.provider)
      const e = err as Error & { cause?: { code?: string; message?: string } }
      if (e.name === 'TimeoutError' || e.name === 'AbortError') {
        throw new DropdeckError('TIMEOUT', `${this.name} did not answer ${label} within ${Math.round(this.opts.timeoutMs / 1000)} s. Check the network or proxy, then retry.`, { retryable: true, data: { provider: this.provider, network: true } })
      }
      if (causeMessages(e).some((m) => /redirect/i.test(m))) {
        throw new DropdeckError('UPSTREAM', `${this.name} answered ${label} with a redirect, which its API never sends; Dropdeck does not follow it (the token would go along). Check the API address (DROPDECK_DO_API, DROPDECK_CF_API) and any proxy.`, { data: { provider: this.provider, redirect: true } })
      }
      // Network failures carry a cause (a code such as ECONNREFUSED) or are net::ERR_ codes; anything else failed
      // while the request was being built, and its text may quote the request (the token in its header): never shown.
      const detail = e.cause?.code ?? e.cause?.message ?? (/^net::ERR_[A-Z_]+$/.test(e.message) ? e.message : undefined)
      if (detail === undefined) {
        throw new DropdeckError('UPSTREAM', `Dropdeck could not send ${label} to ${this.name}: the request was refused before it left this computer. Replace the ${this.name} token in Settings, or check the API address (DROPDECK_DO_API, DROPDECK_CF_API).`, { data: { provider: this.provider } })
      }
      throw new DropdeckError('UPSTREAM', `Could not reach ${this.name} at ${url.host} for ${label}: ${detail}. Check the network or proxy, then retry.`, { retryable: true, data: { provider: this.provider, network: true } })
    }
    this.noteRateLimit(res.headers)
    const headerRequestId = res.headers.get('x-request-id') ?? res.headers.get('cf-ray') ?? undefined

    let parsed: unknown = undefined
    let parseError: string | undefined
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text)
      } catch (err) {
        parseError = (err as Error).message
      }
    }
    const requestId = (parsed && typeof parsed === 'object' && typeof (parsed as { request_id?: unknown }).request_id === 'string' ? (parsed as { request_id: string }).request_id : undefined) ?? headerRequestId

    if (res.ok) {
      if (parseError !== undefined) {
        throw new DropdeckError('UPSTREAM', `${this.name} answered ${label} with malformed JSON (status ${res.status}, ${text.length} bytes: ${parseError}). Nothing was changed on Dropdeck's side; retry.${requestId ? ` Request id ${requestId}.` : ''}`, {
          retryable: true,
          data: { provider: this.provider, status: res.status, requestId, malformed: true }
        })
      }
      return { status: res.status, body: parsed as T, headers: res.headers, requestId }
    }
    throw this.toError(res, parsed, label, requestId)
  }

  private toError(res: Response, body: unknown, label: string, requestId: string | undefined): DropdeckError {
    const { message: providerMessage, code: providerCode } = providerError(body)
    const status = res.status
    const rid = requestId ? ` (request id ${requestId})` : ''
    const said = providerMessage ? `: ${providerMessage}` : ''
    const data: Record<string, unknown> = { provider: this.provider, status, requestId, providerMessage, providerCode }
    if (status === 401) {
      return new DropdeckError('AUTH_FAILED', `The ${this.name} token was refused (${status}${said}, on ${label}): replace it in Settings.${rid}`, { data })
    }
    if (status === 403) {
      // authenticated but not allowed: typically a custom-scoped token without the scope this needs
      return new DropdeckError('AUTH_FAILED', `The ${this.name} token may not ${label}: ${this.name} answered ${status}${said}. Give the token that scope (or use one with full read access) and replace it in Settings.${rid}`, { data })
    }
    if (status === 404) return new DropdeckError('NOT_FOUND', `${this.name} has no such resource (${label}${said}).${rid}`, { data })
    if (status === 429) {
      const waitMs = this.retryWaitMs(res.headers)
      data.waitMs = waitMs
      data.retryAfterSeconds = Math.ceil(waitMs / 1000)
      data.resetAt = new Date(Date.now() + waitMs).toISOString()
      return new DropdeckError('RATE_LIMITED', `${this.name} is rate limiting requests (${label}${said}); try again in ${Math.ceil(waitMs / 1000)} s.${rid}`, { retryable: true, data })
    }
    if (status >= 500) return new DropdeckError('UPSTREAM', `${this.name} failed on ${label} (${status}${said}). This is on the provider's side; retry shortly.${rid}`, { retryable: true, data })
    // 400, 409, 422...: the provider refused what we sent; its message says why
    return new DropdeckError('BAD_REQUEST', `${this.name} refused ${label} (${status}${said}).${rid}`, { data })
  }

  /** Retry-After (seconds) wins; else DigitalOcean's ratelimit-reset (unix seconds) when the budget is spent; else 1 s. */
  private retryWaitMs(headers: Headers): number {
    const retryAfter = headers.get('retry-after')
    if (retryAfter && /^\d+(\.\d+)?$/.test(retryAfter.trim())) return Math.max(0, Number(retryAfter) * 1000)
    if (retryAfter) {
      const at = Date.parse(retryAfter)
      if (!Number.isNaN(at)) return Math.max(0, at - Date.now())
    }
    const reset = Number(headers.get('ratelimit-reset'))
    if (headers.get('ratelimit-remaining') === '0' && Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - Date.now())
    return 1000
  }

  private noteRateLimit(headers: Headers): void {
    const limit = Number(headers.get('ratelimit-limit'))
    const remaining = Number(headers.get('ratelimit-remaining'))
    if (!headers.has('ratelimit-limit') || !Number.isFinite(limit) || !Number.isFinite(remaining)) return
    const reset = Number(headers.get('ratelimit-reset'))
    this.rateLimit = { limit: Math.trunc(limit), remaining: Math.trunc(remaining), resetAt: Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000).toISOString() : null }
  }
}

/**
 * A failure the fetch already explained (node-fetch.ts: a proxy's 407 or 403, an unreachable proxy, a
 * certificate refused) keeps its words; it is retried only when the fetch says a retry can help
 * (`retryable`): a refused password or certificate is refused again.
 */
function keepWords(error: DropdeckError, provider: Provider): DropdeckError {
  const data = { ...(error.data as Record<string, unknown> | undefined), provider, network: true }
  const kept = new DropdeckError(error.code, error.message, { retryable: error.retryable, data })
  kept.cause = error.cause
  return kept
}

/** The messages along an error's cause chain. */
function causeMessages(err: unknown): string[] {
  const out: string[] = []
  for (let link = err, i = 0; link instanceof Error && i < 8; link = link.cause, i++) out.push(link.message)
  return out
}

/** A backstop for the write-only rule: the token never appears in a message, whatever produced it. */
function withoutToken(error: DropdeckError, token: string): DropdeckError {
  if (token.length < 4 || !error.message.includes(token)) return error
  return new DropdeckError(error.code, error.message.split(token).join('[token]'), { retryable: error.retryable, ...(error.data === undefined ? {} : { data: error.data }) })
}

/** The provider's own words: DigitalOcean {id, message}; Cloudflare {errors: [{code, message}]}. */
function providerError(body: unknown): { message?: string; code?: string } {
  if (!body || typeof body !== 'object') return {}
  const b = body as { id?: unknown; message?: unknown; errors?: unknown }
  if (Array.isArray(b.errors) && b.errors.length) {
    const messages = b.errors.map((e: { code?: unknown; message?: unknown }) => (typeof e?.message === 'string' ? e.message : '')).filter(Boolean)
    const first = b.errors[0] as { code?: unknown }
    return { message: messages.join('; ') || undefined, code: first?.code === undefined ? undefined : String(first.code) }
  }
  return { message: typeof b.message === 'string' ? b.message : undefined, code: typeof b.id === 'string' ? b.id : undefined }
}
