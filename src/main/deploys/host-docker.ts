/**
 * The Engine API calls a deploy makes on one host, over ../docker/engine.ts: containers and images
 * listed and inspected, an image pulled with byte progress, tagged and untagged, a container created
 * from another's configuration, started, stopped, renamed, removed, and its last log lines.
 */
import type { DockerEngine, EngineResponse, EngineSession } from '../docker/engine'
import { isLoginRefused, registryOf } from './registry-auth'
import { DropdeckError } from '../../shared/errors'
import { sq, type Exec } from './host-state'

export interface ListedContainer {
  Id: string
  Names: string[]
  Image: string
  ImageID: string
  Labels: Record<string, string> | null
  State: string
  Status: string
  Ports: Array<{ IP?: string; PrivatePort: number; PublicPort?: number; Type: string }>
  HostConfig?: { NetworkMode?: string }
}

export interface ListedImage {
  Id: string
  RepoTags: string[] | null
  Created: number
  Size: number
  Labels?: Record<string, string> | null
}

/** When the image was built: its OCI `created` label when it has one (an imported or re-tagged image's Created is when it arrived), else Created. */
export function builtAt(img: ListedImage): string {
  const label = img.Labels?.['org.opencontainers.image.created']
  if (label && Number.isFinite(Date.parse(label))) return new Date(label).toISOString()
  return new Date(img.Created * 1000).toISOString()
}

interface HealthConfig {
  Test?: string[]
  Interval?: number
  Timeout?: number
  Retries?: number
  StartPeriod?: number
}

export interface ContainerConfig {
  Image: string
  Cmd?: string[] | null
  Entrypoint?: string[] | null
  Env?: string[] | null
  Labels?: Record<string, string> | null
  WorkingDir?: string
  User?: string
  ExposedPorts?: Record<string, object> | null
  Volumes?: Record<string, object> | null
  Healthcheck?: HealthConfig | null
  Hostname?: string
  [key: string]: unknown
}

export interface ContainerInspect {
  Id: string
  Name: string
  Image: string
  Config: ContainerConfig
  HostConfig: { NetworkMode?: string; PortBindings?: Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | null; [key: string]: unknown }
  NetworkSettings: { Networks?: Record<string, { IPAMConfig?: unknown; Links?: string[] | null; Aliases?: string[] | null; DriverOpts?: unknown }> | null }
  State: { Status: string; Running: boolean; ExitCode: number; Health?: { Status: string; Log?: Array<{ ExitCode: number; Output: string }> | null } }
}

export interface ImageInspect {
  Id: string
  Created: string
  Size: number
  RepoTags?: string[] | null
  Config?: ContainerConfig | null
}

/** `registry:5000/team/web:tag` → repository and tag (a digest reference keeps its digest as the tag). */
export function splitImage(ref: string): { repo: string; tag: string } {
  const at = ref.indexOf('@')
  if (at >= 0) return { repo: ref.slice(0, at), tag: ref.slice(at + 1) }
  const slash = ref.lastIndexOf('/')
  const colon = ref.lastIndexOf(':')
  if (colon > slash) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) }
  return { repo: ref, tag: 'latest' }
}

const enc = encodeURIComponent

/**
 * With `keepOpen`, requests go one after another over one kept-open dial-stdio channel (a deploy makes
 * dozens: each new channel starts a docker CLI process on the host); a channel that broke (the
 * connection was cut) is replaced by a new one on the next request. `close()` ends it.
 */
export class HostDocker {
  private session: Promise<EngineSession> | null = null

  constructor(
    readonly engine: DockerEngine,
    readonly hostId: string,
    private readonly keepOpen = false
  ) {}

  private async request(method: string, path: string, options: { timeoutMs?: number; body?: unknown } = {}): Promise<EngineResponse> {
    if (!this.keepOpen) return this.engine.request(this.hostId, method, path, options)
    let session = await this.currentSession()
    if (!session.open) {
      this.session = null
      session = await this.currentSession()
    }
    return session.request(method, path, options)
  }

  private currentSession(): Promise<EngineSession> {
    if (!this.session) {
      const opening = this.engine.session(this.hostId)
      opening.catch(() => {
        if (this.session === opening) this.session = null
      })
      this.session = opening
    }
    return this.session
  }

  close(): void {
    const s = this.session
    this.session = null
    void s?.then((x) => x.close(), () => undefined)
  }

  async containers(filters?: Record<string, string[]>): Promise<ListedContainer[]> {
    const q = filters ? `&filters=${enc(JSON.stringify(filters))}` : ''
    return (await this.request('GET', `/containers/json?all=1${q}`)).json<ListedContainer[]>()
  }

  async inspect(id: string): Promise<ContainerInspect> {
    return (await this.request('GET', `/containers/${enc(id)}/json`)).json<ContainerInspect>()
  }

  /** The container, or null when it does not exist. */
  async find(id: string): Promise<ContainerInspect | null> {
    try {
      return await this.inspect(id)
    } catch (err) {
      if (err instanceof DropdeckError && err.code === 'NOT_FOUND') return null
      throw err
    }
  }

  async image(ref: string): Promise<ImageInspect | null> {
    try {
      return (await this.request('GET', `/images/${enc(ref)}/json`)).json<ImageInspect>()
    } catch (err) {
      if (err instanceof DropdeckError && err.code === 'NOT_FOUND') return null
      throw err
    }
  }

  async images(repo: string): Promise<ListedImage[]> {
    const filters = enc(JSON.stringify({ reference: [repo] }))
    return (await this.request('GET', `/images/json?filters=${filters}`)).json<ListedImage[]>()
  }

  /**
   * Pulls `repo:tag` through the Engine API's progress stream, reporting bytes (summed over layers) as
   * they arrive. Throws UPSTREAM with docker's own words when the pull fails (no such tag, auth refused),
   * or saying the disk is full and what to do (no space left); nothing on the host changed then.
   */
  async pull(repo: string, tag: string, onProgress: (current: number, total: number) => void, signal?: AbortSignal, registryAuth?: string): Promise<void> {
    let stream
    const headers = registryAuth ? { 'X-Registry-Auth': registryAuth } : undefined
    try {
      stream = await this.engine.stream(this.hostId, 'POST', `/images/create?fromImage=${enc(repo)}&tag=${enc(tag)}`, { signal, timeoutMs: 60_000, headers })
    } catch (err) {
      throw pullFailed(this.hostId, `${repo}:${tag}`, err instanceof Error ? err.message : String(err), Boolean(registryAuth))
    }
    const layers = new Map<string, { current: number; total: number }>()
    let failure: string | null = null
    let rest = ''
    await new Promise<void>((resolve, reject) => {
      stream.body.on('data', (chunk: Buffer) => {
        rest += chunk.toString('utf8')
        const lines = rest.split('\n')
        rest = lines.pop() ?? ''
        for (const line of lines) {
          if (!line.trim()) continue
          try {
            const msg = JSON.parse(line) as { id?: string; status?: string; error?: string; progressDetail?: { current?: number; total?: number } }
            if (msg.error) failure = msg.error
            if (msg.id && msg.progressDetail?.total) {
              layers.set(msg.id, { current: msg.progressDetail.current ?? 0, total: msg.progressDetail.total })
              let current = 0
              let total = 0
              for (const l of layers.values()) {
                current += l.current
                total += l.total
              }
              onProgress(current, total)
            }
          } catch {
            /* a partial line: wait for the rest */
          }
        }
      })
      stream.body.once('end', () => resolve())
      stream.body.once('close', () => resolve())
      stream.body.once('error', (err: Error) => reject(err))
    })
      .catch((err: Error) => {
        throw pullCut(this.hostId, `${repo}:${tag}`, err.message)
      })
      .finally(() => stream.close())
    if (signal?.aborted) throw new DropdeckError('TIMEOUT', `The pull of ${repo}:${tag} was cancelled.`)
    if (failure) throw pullFailed(this.hostId, `${repo}:${tag}`, failure, Boolean(registryAuth))
    if (!(await this.image(`${repo}:${tag}`))) throw pullCut(this.hostId, `${repo}:${tag}`, 'the pull ended without the image')
  }

  async tag(source: string, repo: string, tag: string): Promise<void> {
    await this.request('POST', `/images/${enc(source)}/tag?repo=${enc(repo)}&tag=${enc(tag)}`)
  }

  /** Removes one tag; the image goes only when no other tag and no container holds it (noprune stays off). */
  async untag(ref: string): Promise<void> {
    await this.request('DELETE', `/images/${enc(ref)}`)
  }

  async create(name: string, body: object): Promise<string> {
    return (await this.request('POST', `/containers/create?name=${enc(name)}`, { body, timeoutMs: 60_000 })).json<{ Id: string }>().Id
  }

  async connect(network: string, container: string, endpoint: object): Promise<void> {
    await this.request('POST', `/networks/${enc(network)}/connect`, { body: { Container: container, EndpointConfig: endpoint } })
  }

  async start(id: string): Promise<void> {
    await this.request('POST', `/containers/${enc(id)}/start`, { timeoutMs: 60_000 })
  }

  /** Stops with the container's own stop timeout (its StopTimeout, else Docker's 10 s) unless `seconds` is given. */
  async stop(id: string, seconds?: number): Promise<void> {
    const query = seconds === undefined ? '' : `?t=${seconds}`
    await this.request('POST', `/containers/${enc(id)}/stop${query}`, { timeoutMs: ((seconds ?? 60) + 30) * 1000 })
  }

  async rename(id: string, name: string): Promise<void> {
    await this.request('POST', `/containers/${enc(id)}/rename?name=${enc(name)}`)
  }

  async remove(id: string): Promise<void> {
    try {
      await this.request('DELETE', `/containers/${enc(id)}?force=1`, { timeoutMs: 60_000 })
    } catch (err) {
      if (!(err instanceof DropdeckError && err.code === 'NOT_FOUND')) throw err
    }
  }

  /** The container's last `lines` log lines (stdout and stderr, demultiplexed). */
  async logTail(id: string, lines = 50): Promise<string[]> {
    const res = await this.request('GET', `/containers/${enc(id)}/logs?stdout=1&stderr=1&tail=${lines}`)
    return demux(res.body).split('\n').filter((l) => l.length > 0).slice(-lines)
  }

  /** The folder holding Docker's data (from /info's DockerRootDir), or null if unknown. */
  async rootDir(): Promise<string | null> {
    const info = (await this.request('GET', '/info')).json<{ DockerRootDir?: string }>()
    return info.DockerRootDir ?? null
  }

  /**
   * The free space on the filesystem holding Docker's data: the folder and storage driver from /info,
   * the free bytes from `df` on the host (the Engine API does not say). Null when it cannot be read.
   */
  async diskRoom(exec: Exec): Promise<DiskRoom | null> {
    const info = (await this.request('GET', '/info')).json<{ DockerRootDir?: string; Driver?: string }>()
    if (!info.DockerRootDir) return null
    const r = await exec(this.hostId, `df -Pk ${sq(info.DockerRootDir)} 2>/dev/null | tail -n 1`, { timeoutMs: 15_000 })
    const availKb = Number(r.stdout.trim().split(/\s+/)[3])
    if (!Number.isFinite(availKb)) return null
    return { root: info.DockerRootDir, driver: info.Driver ?? null, freeBytes: availKb * 1024 }
  }
}

/** Below this, a deploy refuses before pulling or starting anything: Docker and the service need room to run. */
export const MIN_FREE_BYTES = 100 * 1024 * 1024

export interface DiskRoom {
  root: string
  driver: string | null
  freeBytes: number
}

/**
 * Throws a disk-full error when `room` has less than `needBytes` free (at least MIN_FREE_BYTES).
 * `what` says what the room is for ("to pull …", "to start …").
 */
export function requireRoom(hostId: string, room: DiskRoom | null, needBytes: number, what: string): void {
  if (!room) return
  const need = Math.max(needBytes, MIN_FREE_BYTES)
  if (room.freeBytes >= need) return
  throw diskFullError(hostId, `only ${mb(room.freeBytes)} is free for Docker (${room.root}), ${what} needs ${mb(need)}`, room.freeBytes)
}

/** The bytes a new container of `image` takes: vfs copies the whole image per container, other drivers a thin layer. */
export function containerBytes(room: DiskRoom | null, imageSize: number): number {
  return room?.driver === 'vfs' ? imageSize : 0
}

function diskFullError(hostId: string, detail: string, freeBytes: number | null, image?: string): DropdeckError {
  return new DropdeckError(
    'UPSTREAM',
    `The disk of ${hostId} is full: ${detail}. Nothing on the host was changed. Free some space (Containers → Disk shows what a prune of unused images and build cache frees) and retry.`,
    { data: { diskFull: true, freeBytes, ...(image ? { image } : {}) } }
  )
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

/** Docker's log stream for a container without a TTY: 8-byte frame headers (stream, 0, 0, 0, size); with a TTY, raw text. */
export function demux(body: Buffer): string {
  if (body.length < 8 || body[1] !== 0 || body[2] !== 0 || body[3] !== 0 || body[0] > 2) return body.toString('utf8')
  const parts: Buffer[] = []
  let at = 0
  while (at + 8 <= body.length) {
    const size = body.readUInt32BE(at + 4)
    parts.push(body.subarray(at + 8, at + 8 + size))
    at += 8 + size
  }
  return Buffer.concat(parts).toString('utf8')
}

/** The pull's stream broke (the connection was cut): nothing was switched; pulling again resumes with the layers Docker kept. */
function pullCut(hostId: string, ref: string, why: string): DropdeckError {
  return new DropdeckError('UPSTREAM', `Pulling ${ref} on ${hostId} was cut off: the connection to the host dropped (${why}). Nothing on the host was changed; deploy again once the host answers.`, { retryable: true, data: { image: ref } })
}

function pullFailed(hostId: string, ref: string, why: string, withLogin = false): DropdeckError {
  // the host's name and a final period are said around it already
  const clean = why.replace(new RegExp(`^${hostId}: `), '').replace(/\.+$/, '')
  // Docker discards the partial download when a write fails: the images and containers are as before.
  if (/no space left on device/i.test(clean)) return diskFullError(hostId, `pulling ${ref} stopped with "no space left on device" (${clean})`, null, ref)
  if (withLogin && isLoginRefused(clean)) {
    return new DropdeckError('AUTH_FAILED', `The registry ${registryOf(splitImage(ref).repo)} refused the login for ${ref} (${clean}). Nothing on the host was changed; check the registry's user name and password or token.`, { data: { image: ref, registry: registryOf(splitImage(ref).repo) } })
  }
  return new DropdeckError('UPSTREAM', `Pulling ${ref} on ${hostId} failed: ${clean}. Nothing on the host was changed; check the tag and the host's registry login.`, { data: { image: ref } })
}
