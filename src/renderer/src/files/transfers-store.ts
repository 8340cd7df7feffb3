/**
 * The transfers this window started, with their progress, kept while the window lives (switching
 * areas keeps them). One `files.transfers` stream per transfer (docs/api.md "Streams").
 */
import type { DropdeckApi, EventPayload, Params } from '../../../shared/contract'
import { streamClient, type StreamClient } from '../rpc/stream-client'

export type TransferStatus = EventPayload<'files.transfers.state'> & { rate: number }

export class TransfersStore {
  private readonly items = new Map<string, TransferStatus>()
  private readonly listeners = new Set<() => void>()
  private readonly client: StreamClient<'files.transfers'>
  private snapshot: TransferStatus[] = []
  private readonly doneListeners = new Set<(t: TransferStatus) => void>()

  constructor(api: DropdeckApi) {
    this.client = streamClient(api, 'files.transfers')
  }

  async start(params: Params<'files.transfers.open'>): Promise<string> {
    const { id } = await this.client.open(params)
    this.set(id, { id, state: 'queued', bytes: 0, total: 0, resumes: 0, rate: 0, ...params })
    this.client.listen(id, {
      data: (p) => this.set(id, { bytes: p.bytes, total: p.total, rate: p.rate }),
      state: (p) => {
        this.set(id, { ...p, ...(p.state === 'done' ? { rate: 0 } : {}) })
        if (p.state === 'done') for (const l of this.doneListeners) l(this.items.get(id)!)
      }
    })
    return id
  }

  /** Called when a transfer completes (the view refreshes the folder it landed in). */
  whenDone(listener: (t: TransferStatus) => void): () => void {
    this.doneListeners.add(listener)
    return () => this.doneListeners.delete(listener)
  }

  cancel(id: string): Promise<void> {
    return this.client.close(id)
  }

  /**
   * A transfer refused because its destination exists, started again: over it (`overwrite`) or under a
   * free name beside it (`name (1).ext`); the refused one is forgotten.
   */
  async retryExisting(id: string, how: 'overwrite' | 'rename'): Promise<string> {
    const t = this.items.get(id)
    if (!t) throw new Error('That transfer is no longer listed.')
    const params = { hostId: t.hostId, direction: t.direction, localPath: t.localPath, remotePath: t.remotePath }
    const dest = t.direction === 'upload' ? 'remotePath' : 'localPath'
    const next = how === 'overwrite' ? { ...params, overwrite: true } : { ...params, [dest]: numbered(params[dest]) }
    this.items.delete(id)
    this.changed()
    return this.start(next)
  }

  /** Forgets finished transfers. */
  clearFinished(): void {
    for (const [id, t] of this.items) if (['done', 'error', 'cancelled'].includes(t.state)) this.items.delete(id)
    this.changed()
  }

  private set(id: string, patch: Partial<TransferStatus>): void {
    const old = this.items.get(id)
    this.items.set(id, { ...(old as TransferStatus), ...patch })
    this.changed()
  }

  private changed(): void {
    this.snapshot = [...this.items.values()].reverse()
    for (const l of this.listeners) l()
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  getSnapshot = (): TransferStatus[] => this.snapshot
}

/** `/a/b/name.ext` → `/a/b/name (1).ext`, `name (1).ext` → `name (2).ext`. */
export function numbered(path: string): string {
  const slash = path.lastIndexOf('/')
  const [dir, file] = [path.slice(0, slash + 1), path.slice(slash + 1)]
  const dot = file.lastIndexOf('.')
  const [stem, ext] = dot > 0 ? [file.slice(0, dot), file.slice(dot)] : [file, '']
  const m = /^(.*) \((\d+)\)$/.exec(stem)
  return `${dir}${m ? `${m[1]} (${Number(m[2]) + 1})` : `${stem} (1)`}${ext}`
}

const stores = new WeakMap<DropdeckApi, TransfersStore>()

export function transfersFor(api: DropdeckApi): TransfersStore {
  let s = stores.get(api)
  if (!s) stores.set(api, (s = new TransfersStore(api)))
  return s
}
