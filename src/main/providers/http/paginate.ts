/**
 * Whole lists from paged provider APIs. The first page says how many there are; the rest are
 * fetched concurrently (bounded). A page that still fails after its retries fails the whole list,
 * with a message naming the page: never a silently shorter list (doctl's failure mode). An item a
 * shifting page boundary repeats is kept once.
 */
import { DropdeckError } from '../../../shared/errors'
import type { ProviderHttp } from './provider-http'

export const DO_PER_PAGE = 200
/** Cloudflare's spec allows 5,000,000 DNS records a page; its API answers at most 5,000. */
export const CF_RECORDS_PER_PAGE = 5000
export const CF_ZONES_PER_PAGE = 50

export interface PageOptions {
  concurrency?: number
  /**
   * How many items the list had last time. With it, the pages it implies are fetched together with
   * the first, so a refresh costs one round trip instead of two.
   */
  expectedTotal?: number
}

type Query = Record<string, string | number | undefined>

/** DigitalOcean: `page`/`per_page` (max 200), `meta.total` on every page. */
export async function paginateDigitalOcean<T>(http: ProviderHttp, path: string, key: string, query: Query = {}, options: PageOptions = {}): Promise<{ items: T[]; total: number }> {
  type Page = { meta?: { total?: number } } & Record<string, unknown>
  const fetchPage = async (page: number, pages?: number) => {
    const what = pages && pages > 1 ? `page ${page} of ${pages}` : `page ${page}`
    const res = await withPage(http, what, () => http.request<Page>('GET', path, { query: { ...query, page, per_page: DO_PER_PAGE }, what }))
    const items = res.body?.[key]
    if (!Array.isArray(items)) throw new DropdeckError('UPSTREAM', `${http.name} answered GET ${path} (${what}) without a "${key}" list.`, { retryable: true, data: { provider: http.provider, page } })
    return { items: items as T[], total: typeof res.body.meta?.total === 'number' ? res.body.meta.total : undefined }
  }
  return collect(fetchPage, (first) => first.total, DO_PER_PAGE, options)
}

/** Cloudflare: `page`/`per_page`, `result_info.total_pages` (and `total_count`). */
export async function paginateCloudflare<T>(http: ProviderHttp, path: string, perPage: number, query: Query = {}, options: PageOptions = {}): Promise<{ items: T[]; total: number }> {
  type Page = { result?: unknown; result_info?: { total_count?: number; total_pages?: number } }
  const fetchPage = async (page: number, pages?: number) => {
    const what = pages && pages > 1 ? `page ${page} of ${pages}` : `page ${page}`
    const res = await withPage(http, what, () => http.request<Page>('GET', path, { query: { ...query, page, per_page: perPage }, what }))
    if (!Array.isArray(res.body?.result)) throw new DropdeckError('UPSTREAM', `${http.name} answered GET ${path} (${what}) without a result list.`, { retryable: true, data: { provider: http.provider, page } })
    const info = res.body.result_info
    const total = typeof info?.total_count === 'number' ? info.total_count : typeof info?.total_pages === 'number' ? info.total_pages * perPage : undefined
    return { items: res.body.result as T[], total, pages: info?.total_pages }
  }
  return collect(fetchPage, (first) => first.total, perPage, options, (first) => first.pages)
}

async function collect<T, P extends { items: T[]; total?: number; pages?: number }>(
  fetchPage: (page: number, pages?: number) => Promise<P>,
  totalOf: (first: P) => number | undefined,
  perPage: number,
  options: PageOptions,
  pagesOf: (first: P) => number | undefined = () => undefined
): Promise<{ items: T[]; total: number }> {
  const concurrency = Math.max(1, options.concurrency ?? 5)
  const guessed = options.expectedTotal ? Math.max(1, Math.ceil(options.expectedTotal / perPage)) : 1
  const results = new Map<number, P>()
  // The first page, and (when we can predict them) the next ones in the same round trip.
  const firstBatch = Array.from({ length: Math.min(guessed, concurrency) }, (_, i) => i + 1)
  await runBounded(firstBatch, concurrency, async (page) => results.set(page, await fetchPage(page, guessed > 1 ? guessed : undefined)))
  const first = results.get(1)!
  const total = totalOf(first) ?? first.items.length
  const pages = pagesOf(first) ?? Math.max(1, Math.ceil(total / perPage))
  const rest: number[] = []
  for (let page = 2; page <= pages; page++) if (!results.has(page)) rest.push(page)
  await runBounded(rest, concurrency, async (page) => results.set(page, await fetchPage(page, pages)))
  const items: T[] = []
  const seen = new Set<unknown>()
  for (let page = 1; page <= pages; page++) {
    for (const item of results.get(page)?.items ?? []) {
      // A page boundary that moves under a concurrent change (an item created or deleted while the
      // pages are read) repeats an item on the next page: keep its first copy only.
      const key = identity(item)
      if (key !== undefined) {
        if (seen.has(key)) continue
        seen.add(key)
      }
      items.push(item)
    }
  }
  return { items, total }
}

/** What names a listed item: `id` (droplets, zones, records), else `name` (DigitalOcean domains). */
function identity(item: unknown): unknown {
  if (typeof item !== 'object' || item === null) return undefined
  const { id, name } = item as { id?: unknown; name?: unknown }
  return id ?? name
}

/** Run `work` over `items`, at most `limit` at a time; the first failure rejects (others finish quietly). */
export async function runBounded<I>(items: I[], limit: number, work: (item: I) => Promise<unknown>): Promise<void> {
  let next = 0
  let failed: unknown
  const worker = async () => {
    while (next < items.length && failed === undefined) {
      const item = items[next++]
      try {
        await work(item)
      } catch (err) {
        failed ??= err
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  if (failed !== undefined) throw failed
}

/** Name the page in the error, keeping its code, so "the list failed" says where. */
async function withPage<R>(http: ProviderHttp, what: string, call: () => Promise<R>): Promise<R> {
  try {
    return await call()
  } catch (err) {
    if (!(err instanceof DropdeckError)) throw err
    // a one-page list needs no "incomplete": the error says it all
    if (!what.includes(' of ')) throw err
    const data = { ...((err.data as object | undefined) ?? {}), page: what }
    throw new DropdeckError(err.code, `${what[0].toUpperCase()}${what.slice(1)} failed, so the ${http.name} list is incomplete and was not used: ${err.message}`, { retryable: err.retryable, data })
  }
}
