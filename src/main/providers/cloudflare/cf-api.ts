/**
 * A thin typed client of the Cloudflare API v4: token verify, zones and DNS records. Cloudflare
 * wraps every answer in {success, errors, messages, result}; a 200 with success:false is an error too.
 */
import { DropdeckError } from '../../../shared/errors'
import { CF_RECORDS_PER_PAGE, CF_ZONES_PER_PAGE, paginateCloudflare } from '../http/paginate'
import type { HttpMethod, HttpResult, ProviderHttp, RequestOptions } from '../http/provider-http'

export interface CfTokenStatus {
  id: string
  status: 'active' | 'disabled' | 'expired' | string
  not_before?: string
  expires_on?: string
}

export interface CfZone {
  id: string
  name: string
  status: string
}

export interface CfRecord {
  id: string
  zone_id?: string
  zone_name?: string
  name: string
  type: string
  content: string
  proxiable?: boolean
  proxied?: boolean
  ttl: number
  priority?: number
  comment?: string | null
}

export interface CfRecordInput {
  type: string
  name: string
  content: string
  ttl: number
  proxied?: boolean
  priority?: number
}

interface Envelope<T> {
  success: boolean
  errors?: { code: number; message: string }[]
  result: T
}

export class CfApi {
  constructor(readonly http: ProviderHttp) {}

  private async call<T>(method: HttpMethod, path: string, options?: RequestOptions): Promise<HttpResult<T>> {
    const res = await this.http.request<Envelope<T>>(method, path, options)
    if (res.body && res.body.success === false) {
      const message = (res.body.errors ?? []).map((e) => `${e.message} (${e.code})`).join('; ') || 'success: false'
      throw new DropdeckError('UPSTREAM', `Cloudflare reported a failure on ${method} ${path}: ${message}.${res.requestId ? ` Request id ${res.requestId}.` : ''}`, { data: { provider: 'cloudflare', requestId: res.requestId } })
    }
    return { ...res, body: res.body?.result }
  }

  async verifyToken(): Promise<CfTokenStatus> {
    return (await this.call<CfTokenStatus>('GET', '/user/tokens/verify')).body
  }

  async zones(): Promise<CfZone[]> {
    return (await paginateCloudflare<CfZone>(this.http, '/zones', CF_ZONES_PER_PAGE)).items
  }

  async records(zoneId: string): Promise<CfRecord[]> {
    return (await paginateCloudflare<CfRecord>(this.http, `/zones/${encodeURIComponent(zoneId)}/dns_records`, CF_RECORDS_PER_PAGE)).items
  }

  async record(zoneId: string, id: string): Promise<CfRecord> {
    return (await this.call<CfRecord>('GET', `/zones/${encodeURIComponent(zoneId)}/dns_records/${encodeURIComponent(id)}`)).body
  }

  createRecord(zoneId: string, record: CfRecordInput): Promise<HttpResult<CfRecord>> {
    return this.call<CfRecord>('POST', `/zones/${encodeURIComponent(zoneId)}/dns_records`, { body: record })
  }

  /** PATCH keeps what we do not send (comment, tags); the fields we manage are always sent. */
  updateRecord(zoneId: string, id: string, record: CfRecordInput): Promise<HttpResult<CfRecord>> {
    return this.call<CfRecord>('PATCH', `/zones/${encodeURIComponent(zoneId)}/dns_records/${encodeURIComponent(id)}`, { body: record })
  }

  deleteRecord(zoneId: string, id: string): Promise<HttpResult<{ id: string }>> {
    return this.call<{ id: string }>('DELETE', `/zones/${encodeURIComponent(zoneId)}/dns_records/${encodeURIComponent(id)}`)
  }
}
