/**
 * Log streams: `open` starts a LogStream for a container, unit or file on a host; the stream belongs
 * to the calling context (its window or socket), which alone receives its events, and is closed with
 * it, or by `close`. A stream that ends by itself leaves the map and its owner. The contract's logs.*
 * are in ./logs-handlers.ts.
 */
import { randomUUID } from 'node:crypto'
import type { Params } from '../../shared/contract'
import type { OpsDeps } from '../app/ops-deps'
import type { CallContext, Ownership } from '../rpc/context'
import { DockerSource } from './docker-source'
import { FileSource, JournalSource } from './exec-source'
import type { SourceRunner } from './log-source'
import { LogStream, type StreamTuning } from './log-stream'

export interface LogsService {
  /** Open streams, for tests and diagnostics. */
  streams: ReadonlyMap<string, LogStream>
  open(p: Params<'logs.open'>, ctx: CallContext): Promise<{ id: string }>
  close(id: string): Promise<void>
  /** Closes every stream. */
  dispose(): Promise<void>
}

const DEFAULT_TAIL = 200

export function createLogsService(deps: OpsDeps, tuning: StreamTuning = {}): LogsService {
  const streams = new Map<string, LogStream>()

  async function open(p: Params<'logs.open'>, ctx: CallContext): Promise<{ id: string }> {
    await deps.ssh.hosts.get(p.hostId) // NOT_FOUND for an unknown host before anything connects
    const tail = p.tail ?? DEFAULT_TAIL
    const sinceMs = p.since === undefined ? undefined : typeof p.since === 'number' ? p.since : Date.parse(p.since)
    const exec = { hostId: p.hostId, acquire: () => deps.ssh.pool.acquire(p.hostId) }
    let source: SourceRunner
    switch (p.source.kind) {
      case 'container': {
        const docker = new DockerSource(deps.engine, p.hostId, p.source.id, tail, sinceMs)
        await docker.check() // NOT_FOUND / docker unreachable as the call's error
        source = docker
        break
      }
      case 'unit':
        await deps.ssh.pool.acquire(p.hostId) // connection errors (host key, auth) as the call's error
        source = new JournalSource(exec, p.source.unit, tail, sinceMs)
        break
      case 'file':
        await deps.ssh.pool.acquire(p.hostId)
        source = new FileSource(exec, p.source.path, tail)
        break
    }
    const id = randomUUID()
    const release = deps.ssh.pool.retain(p.hostId) // keep the connection up (and reconnecting) while followed
    // onFinished runs after the stream's first await, so `ownership` is set by then.
    const stream = new LogStream(id, p.hostId, source, ctx, deps.log, tuning, () => {
      release()
      ownership.release()
      if (streams.get(id) === stream) streams.delete(id)
    })
    streams.set(id, stream)
    // Owned once registered: a client already gone closes it at once.
    const ownership: Ownership = ctx.own({ dispose: () => close(id) }, id)
    return { id }
  }

  async function close(id: string): Promise<void> {
    const stream = streams.get(id)
    if (!stream) return
    streams.delete(id)
    await stream.close()
  }

  return {
    streams,
    open,
    close,
    dispose: async () => {
      await Promise.allSettled([...streams.keys()].map((id) => close(id)))
    }
  }
}

