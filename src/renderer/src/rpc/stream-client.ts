/**
 * The renderer's side of the one stream pattern (docs/api.md "Streams"): one client per stream kind
 * and api, listening once to `x.data` and `x.state` and handing each event to the listeners of its
 * stream id. Events of a stream this client opened that arrive before anyone listens (the open's
 * result and the first output race on some transports; a view may attach after a render) are kept
 * for the first listener, so nothing is lost and nothing needs acknowledging twice.
 */
import type { DropdeckApi, MethodName } from '../../../shared/contract'
import type { StreamAckParams, StreamDataPayload, StreamKind, StreamOpenParams, StreamOpenResult, StreamStatePayload } from '../../../shared/contract/streams'

export interface StreamListener<K extends StreamKind> {
  data?(payload: StreamDataPayload<K>): void
  state?(payload: StreamStatePayload<K>): void
}

type Kept<K extends StreamKind> = { data: true; payload: StreamDataPayload<K> } | { data: false; payload: StreamStatePayload<K> }

/** At most this many events are kept per stream nobody listens to yet. */
const KEEP_MAX = 10_000

export class StreamClient<K extends StreamKind> {
  private readonly listeners = new Map<string, Set<StreamListener<K>>>()
  private readonly everyStream = new Set<StreamListener<K>>()
  /** Events of streams opened here (or opening) that no one listens to yet. */
  private readonly kept = new Map<string, Kept<K>[]>()
  /** Ids opened here and not yet listened to. */
  private readonly unclaimed = new Set<string>()
  private opening = 0
  private readonly off: Array<() => void>

  constructor(
    private readonly api: DropdeckApi,
    readonly kind: K
  ) {
    // The names are the kind's by construction (streams.ts); the api's overloads cannot see that.
    const on = api.on as (event: string, listener: (payload: never) => void) => () => void
    this.off = [
      on(`${kind}.data`, (p: StreamDataPayload<K>) => this.deliver({ data: true, payload: p })),
      on(`${kind}.state`, (p: StreamStatePayload<K>) => this.deliver({ data: false, payload: p }))
    ]
  }

  /** `x.open`: the stream is this client's until `close` (or until it ends by itself). */
  async open(params: StreamOpenParams<K>): Promise<StreamOpenResult<K>> {
    this.opening++
    try {
      const result = (await this.call(`${this.kind}.open`, params as object)) as StreamOpenResult<K> & { id: string }
      this.unclaimed.add(result.id)
      return result
    } finally {
      this.opening--
      // Kept events whose stream no open here claimed: not ours to keep.
      if (this.opening === 0) for (const id of this.kept.keys()) if (!this.unclaimed.has(id)) this.kept.delete(id)
    }
  }

  /** Listens to stream `id`'s events; the first listener gets what arrived before it. */
  listen(id: string, listener: StreamListener<K>): () => void {
    let set = this.listeners.get(id)
    if (!set) this.listeners.set(id, (set = new Set()))
    set.add(listener)
    this.unclaimed.delete(id)
    const early = this.kept.get(id)
    this.kept.delete(id)
    for (const e of early ?? []) this.hand(listener, e)
    return () => {
      set.delete(listener)
      if (set.size === 0 && this.listeners.get(id) === set) this.listeners.delete(id)
    }
  }

  /** Listens to the events of every stream of this kind this client opened. */
  listenAll(listener: StreamListener<K>): () => void {
    this.everyStream.add(listener)
    return () => this.everyStream.delete(listener)
  }

  /** `x.ack`: what the client has taken in of stream `id`. */
  ack(id: string, params: StreamAckParams<K>): Promise<unknown> {
    return this.call(`${this.kind}.ack`, { ...params, id })
  }

  /** `x.close`; a stream that already ended is not an error. */
  async close(id: string): Promise<void> {
    this.unclaimed.delete(id)
    this.kept.delete(id)
    await this.call(`${this.kind}.close`, { id })
  }

  dispose(): void {
    for (const off of this.off) off()
    this.listeners.clear()
    this.everyStream.clear()
    this.kept.clear()
  }

  private deliver(e: Kept<K>): void {
    const { id } = e.payload as { id: string }
    for (const l of this.everyStream) this.hand(l, e)
    const set = this.listeners.get(id)
    if (set) {
      for (const l of set) this.hand(l, e)
    } else if (this.unclaimed.has(id) || this.opening > 0) {
      let list = this.kept.get(id)
      if (!list) this.kept.set(id, (list = []))
      if (list.length < KEEP_MAX) list.push(e)
    }
  }

  private hand(listener: StreamListener<K>, e: Kept<K>): void {
    if (e.data) listener.data?.(e.payload)
    else listener.state?.(e.payload)
  }

  private call(method: string, params: object): Promise<unknown> {
    return (this.api.call as (m: MethodName, p: object) => Promise<unknown>)(method as MethodName, params)
  }
}

const clients = new WeakMap<DropdeckApi, Map<StreamKind, StreamClient<StreamKind>>>()

/** The one client of a stream kind for this api (a window shares it between its views). */
export function streamClient<K extends StreamKind>(api: DropdeckApi, kind: K): StreamClient<K> {
  let byKind = clients.get(api)
  if (!byKind) clients.set(api, (byKind = new Map()))
  let client = byKind.get(kind)
  if (!client) byKind.set(kind, (client = new StreamClient(api, kind) as unknown as StreamClient<StreamKind>))
  return client as unknown as StreamClient<K>
}
