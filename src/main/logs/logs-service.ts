/**
 * The logs methods of the contract: logs.open starts a LogStream for a container, unit or file on a
 * host; the stream belongs to the calling context (its window or socket), which alone receives its
 * events, and is closed with it, or by logs.close. logs.ack passes the client's acknowledgements to the
 * stream's outbox. A stream that ends by itself leaves the map and its owner.
 */
import { randomUUID } from 'node:crypto'
import type { MethodName, Params } from '../../shared/contract'
import type { logsMethods } from '../../shared/contract/logs'
import type { OpsDeps } from '../app/ops-deps'
import type { CallContext, Ownership } from '../rpc/context'
import type { Handlers } from '../rpc/router'
import { DockerSource } from './docker-source'
import { FileSource, JournalSource } from './exec-source'
import type { SourceRunner } from './log-source'
import { LogStream, type StreamTuning } from './log-stream'

type LogsMethodName = keyof typeof logsMethods & MethodName

export interface LogsServices {
  handlers: Pick<Handlers, LogsMethodName>
  /** Open streams, for tests and diagnostics. */
  streams: ReadonlyMap<string, LogStream>
  dispose(): Promise<void>
}

const DEFAULT_TAIL = 200

export function createLogsServices(deps: OpsDeps, tuning: StreamTuning = {}): LogsServices {
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

  const handlers: Pick<Handlers, LogsMethodName> = {
    'logs.open': (p, ctx) => open(p, ctx),
    'logs.ack': ({ id, seq }, ctx) => {
      if (ctx.owns(id)) streams.get(id)?.ack(seq) // acks can trail a closed stream
      return { ok: true as const }
    },
    'logs.close': async ({ id }, ctx) => {
      if (ctx.owns(id)) await close(id) // another client's stream is closed as an unknown one: not at all
      return { closed: true as const }
    }
  }

  return {
    handlers,
    streams,
    dispose: async () => {
      await Promise.allSettled([...streams.keys()].map((id) => close(id)))
    }
  }
}

