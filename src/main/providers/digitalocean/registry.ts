/**
 * DigitalOcean Container Registry through the DigitalOcean API: the team's registry, a repository's
 * tags (with dates and sizes), and short-lived docker credentials for a pull. The credentials are
 * decoded in memory and handed to the pull; they are never written anywhere.
 */
import { DropdeckError } from '../../../shared/errors'
import type { ProviderHttp } from '../http/provider-http'
import type { RegistryCredentials } from '../../deploys/registry-auth'

/** Where DOCR images live: `registry.digitalocean.com/<registry>/<repository>`. */
export const DOCR_HOST = 'registry.digitalocean.com'

export interface DocrTag {
  tag: string
  updatedAt: string
  sizeBytes: number
  compressedSizeBytes: number
  digest: string
}

interface DoRepositoryTag {
  tag: string
  manifest_digest: string
  compressed_size_bytes: number
  size_bytes: number
  updated_at: string
}

export class DoRegistry {
  /** `host` is the registry's docker host (DOCR's, or a stand-in given by DROPDECK_DOCR_HOST). */
  constructor(
    private readonly http: ProviderHttp,
    readonly host: string = DOCR_HOST
  ) {}

  /** The team's registry name, or null when the team has none. */
  async registryName(): Promise<string | null> {
    const { body } = await this.http.request<{ registries?: Array<{ name: string }> }>('GET', '/v2/registries')
    return body.registries?.[0]?.name ?? null
  }

  /**
   * For an image repository `<host>/<registry>/<repository>` in the team's registry: the registry and
   * repository names; null for any other image.
   */
  async locate(repo: string): Promise<{ registry: string; repository: string } | null> {
    const prefix = `${this.host}/`
    if (!repo.startsWith(prefix)) return null
    const [registry, ...rest] = repo.slice(prefix.length).split('/')
    if (!registry || rest.length === 0) return null
    const mine = await this.registryName()
    return mine === registry ? { registry, repository: rest.join('/') } : null
  }

  /** Every tag of a repository, newest first. */
  async tags(registry: string, repository: string): Promise<DocrTag[]> {
    const out: DocrTag[] = []
    for (let page = 1; page <= 50; page++) {
      const { body } = await this.http.request<{ tags?: DoRepositoryTag[]; links?: { pages?: { next?: string } } }>(
        'GET',
        `/v2/registries/${encodeURIComponent(registry)}/repositories/${encodeURIComponent(repository)}/tags`,
        { query: { page, per_page: 200 } }
      )
      for (const t of body.tags ?? []) out.push({ tag: t.tag, updatedAt: t.updated_at, sizeBytes: t.size_bytes, compressedSizeBytes: t.compressed_size_bytes, digest: t.manifest_digest })
      if (!body.links?.pages?.next) break
    }
    return out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.tag.localeCompare(a.tag))
  }

  /** Read-only docker credentials that expire after `expirySeconds`, decoded from DigitalOcean's config.json. */
  async dockerCredentials(registry: string, expirySeconds: number): Promise<RegistryCredentials> {
    const { body } = await this.http.request<{ auths?: Record<string, { auth?: string }> }>('GET', `/v2/registries/${encodeURIComponent(registry)}/docker-credentials`, { query: { expiry_seconds: expirySeconds } })
    const auth = body.auths?.[this.host]?.auth
    const decoded = auth ? Buffer.from(auth, 'base64').toString('utf8').trim() : ''
    const colon = decoded.indexOf(':')
    if (colon <= 0) throw new DropdeckError('UPSTREAM', `DigitalOcean returned no docker credentials for ${this.host}/${registry}; try again, or check that the token may read the registry.`)
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress: this.host }
  }
}
