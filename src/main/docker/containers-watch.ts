/**
 * Live container updates from each host's Docker events stream (GET /events, container events only),
 * not polling. One stream per host, shared by every watch on it. On each (re)connect the stream is
 * opened first and the containers listed after it (`synced`), so nothing that happens in between is
 * missed; every event then re-inspects its container (`changed`, or removed). A dropped stream
 * reconnects with exponential backoff and resyncs; containers.watch.state says how the stream is doing.
 * Each watch is a stream (docs/api.md "Streams"): owned by the call context that opened it, and its
 * events (containers.watch.data, containers.watch.state, keyed by the watch's id) go to that client only.
 */
import { randomUUID } from 'node:crypto'
import { StringDecoder } from 'node:string_decoder'
import type { EventPayload } from '../../shared/contract'
import type { Container, ContainersWatchStatus } from '../../shared/contract/containers'
import { DropdeckError } from '../../shared/errors'
import type { CallContext, Ownership } from '../rpc/context'
import type { DockerEngine, EngineSession, EngineStream } from './engine'

export interface WatchTuning {
  /** First reconnect delay; doubles per failed attempt up to maxBackoffMs. */
  backoffMs?: number
  maxBackoffMs?: number
}

export interface WatchDeps {
  engine: DockerEngine
  /** Keeps the host's SSH connection up (and reconnected) while a watch needs it. */
  retain(hostId: string): () => void
  list(hostId: string): Promise<Container[]>
  /** The container now, or undefined once it is gone; over the watch's kept-open session. */
  inspect(session: EngineSession, id: string): Promise<Container | undefined>
  log: (line: string) => void
  tuning?: WatchTuning
}

/**
 * The container events that can change what containers.list shows. Health checks alone emit
 * exec_create/exec_start/exec_die every interval; docker matches `health_status` as a prefix.
 */
const EVENTS = ['create', 'start', 'restart', 'stop', 'die', 'kill', 'oom', 'pause', 'unpause', 'destroy', 'rename', 'update', 'health_status']
const EVENTS_PATH = `/events?filters=${encodeURIComponent(JSON.stringify({ type: ['container'], event: EVENTS }))}`

interface DockerEvent {
  Type?: string
  Action?: string
  id?: string
  Actor?: { ID?: string }
}

/** One watch: its id and the client it belongs to, whose events go only there. */
interface Watch {
  id: string
  hostId: string
  owner: Pick<CallContext, 'emit'>
  ownership?: Ownership
}

type WatchData = EventPayload<'containers.watch.data'>
/** A watch's data event, without the watch's id (the same for every watch on the host). */
type HostData = WatchData extends infer D ? (D extends WatchData ? Omit<D, 'id'> : never) : never

/** The one events stream of a host, kept up while any watch needs it. */
class HostStream {
  status: ContainersWatchStatus
  readonly watches = new Map<string, Watch>()
  private stream?: EngineStream
  /** Re-inspects go over one kept-open channel: a channel and a docker process per event cost ~10x more. */
  private session?: EngineSession
  private stopped = false
  private timer?: NodeJS.Timeout
  private readonly release: () => void
  /** Inspections run one after another, so events apply in the order docker sent them. */
  private queue: Promise<void> = Promise.resolve()
  /** Containers with an inspection queued and not yet started: more events for them add nothing. */
  private readonly pending = new Set<string>()

  constructor(
    readonly hostId: string,
    private readonly deps: WatchDeps
  ) {
    this.status = { hostId, state: 'connecting', message: null, attempt: 0, retryInMs: null }
    this.release = deps.retain(hostId)
    void this.connect()
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
    this.stream?.close()
    this.session?.close()
    this.release()
  }

  private setStatus(patch: Partial<ContainersWatchStatus>): void {
    this.status = { ...this.status, ...patch }
    if (this.stopped) return
    for (const w of this.watches.values()) w.owner.emit('containers.watch.state', { id: w.id, ...this.status })
  }

  /** Tells every watch on this host, each one's client under its own id. */
  private send(data: HostData): void {
    for (const w of this.watches.values()) w.owner.emit('containers.watch.data', { id: w.id, ...data } as WatchData)
  }

  private async connect(): Promise<void> {
    if (this.stopped) return
    let stream: EngineStream
    try {
      stream = await this.deps.engine.stream(this.hostId, 'GET', EVENTS_PATH)
    } catch (err) {
      this.retry(err)
      return
    }
    if (this.stopped) {
      stream.close()
      return
    }
    this.stream = stream
    const decoder = new StringDecoder('utf8')
    let partial = ''
    stream.body.on('data', (chunk: Buffer) => {
      const lines = (partial + decoder.write(chunk)).split('\n')
      partial = lines.pop() ?? ''
      for (const line of lines) if (line.trim()) this.onEvent(line)
    })
    stream.body.on('error', () => undefined) // 'close' follows; the reconnect handles it
    stream.body.once('close', () => {
      if (this.stream === stream) this.stream = undefined
      this.session?.close()
      if (!this.stopped) this.retry(new DropdeckError('UPSTREAM', `${this.hostId}: the Docker events stream ended; reconnecting.`, { retryable: true }))
    })
    // Listed after the stream is open, so no change between the list and the first event is lost.
    this.enqueue(async () => {
      const containers = await this.deps.list(this.hostId)
      if (this.stopped || this.stream !== stream) return
      this.send({ hostId: this.hostId, kind: 'synced', containers })
      this.setStatus({ state: 'live', message: null, attempt: 0, retryInMs: null })
    })
  }

  private retry(err: unknown): void {
    if (this.stopped || this.timer) return
    const attempt = this.status.attempt + 1
    const base = this.deps.tuning?.backoffMs ?? 500
    const delay = Math.min(base * 2 ** (attempt - 1), this.deps.tuning?.maxBackoffMs ?? 10_000)
    this.setStatus({ state: 'reconnecting', message: (err as Error).message, attempt, retryInMs: delay })
    this.timer = setTimeout(() => {
      this.timer = undefined
      void this.connect()
    }, delay)
    // A retry must not keep a process alive that is shutting down.
    this.timer.unref()
  }

  private onEvent(line: string): void {
    let event: DockerEvent
    try {
      event = JSON.parse(line) as DockerEvent
    } catch {
      this.deps.log(`containers: ${this.hostId}: an events line that is not JSON: ${line.slice(0, 200)}`)
      return
    }
    const id = event.Actor?.ID ?? event.id
    if (event.Type !== 'container' || !id || event.Action?.startsWith('exec_')) return
    if (this.pending.has(id)) return
    this.pending.add(id)
    this.enqueue(async () => {
      this.pending.delete(id)
      if (!this.session?.open) this.session = await this.deps.engine.session(this.hostId)
      const container = await this.deps.inspect(this.session, id)
      if (this.stopped) return
      this.send({ hostId: this.hostId, kind: 'changed', container: container ?? { id, removed: true } })
    })
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((err: Error) => {
      // A failed inspection or list means the host is in trouble: start over, which resyncs.
      this.deps.log(`containers: ${this.hostId}: ${err.message}`)
      this.stream?.close()
    })
  }
}

export class ContainersWatches {
  private readonly hosts = new Map<string, HostStream>()
  private readonly watches = new Map<string, Watch>()

  constructor(private readonly deps: WatchDeps) {}

  open(hostId: string, ctx: CallContext): { id: string; status: ContainersWatchStatus } {
    let host = this.hosts.get(hostId)
    if (!host) {
      host = new HostStream(hostId, this.deps)
      this.hosts.set(hostId, host)
    }
    const id = randomUUID()
    const watch: Watch = { id, hostId, owner: ctx }
    host.watches.set(id, watch)
    this.watches.set(id, watch)
    // Owned once registered: a client already gone closes it at once.
    watch.ownership = ctx.own({ dispose: () => this.close(id) }, id)
    return { id, status: host.status }
  }

  close(id: string): void {
    const watch = this.watches.get(id)
    if (!watch) return
    this.watches.delete(id)
    watch.ownership?.release()
    const host = this.hosts.get(watch.hostId)
    if (!host) return
    host.watches.delete(id)
    if (host.watches.size === 0) {
      host.stop()
      this.hosts.delete(watch.hostId)
    }
  }

  /** Hosts with a live events stream open or being opened, for tests and diagnostics. */
  get streams(): number {
    return this.hosts.size
  }

  dispose(): void {
    for (const id of [...this.watches.keys()]) this.close(id)
  }
}
