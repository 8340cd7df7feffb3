/**
 * `docker logs -f` through the Engine API: GET /containers/{id}/logs?follow=1&timestamps=1 on its own
 * dial-stdio channel. Non-TTY containers send multiplexed stdout/stderr frames (demultiplexed here);
 * TTY containers send the raw terminal stream. Each line starts with docker's RFC 3339 timestamp
 * (nanoseconds, fixed width); after a drop the run resumes with `since` = the last timestamp seen and
 * skips the lines at that very nanosecond it already delivered, so nothing is shown twice or missed.
 */
import type { DockerEngine } from '../docker/engine'
import type { LogLine } from '../../shared/contract/logs'
import { DropdeckError } from '../../shared/errors'
import { DockerDemux, type DockerStream } from './docker-demux'
import { levelOfText } from './level'
import { LineSplitter } from './line-splitter'
import type { RunOutcome, SourceRunner, SourceSink } from './log-source'

const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d) /

/** Docker's timestamp as nanoseconds since the epoch (exact) and the text after it. */
// Lines come many per second: parse each second's date once.
let lastSecond = ''
let lastSecondMs = NaN

export function splitDockerTimestamp(line: string): { ns: bigint; ms: number; text: string } | undefined {
  const m = TIMESTAMP.exec(line)
  if (!m) return undefined
  const second = `${m[1]}${m[3]}`
  if (second !== lastSecond) {
    lastSecond = second
    lastSecondMs = Date.parse(second)
  }
  const seconds = lastSecondMs
  if (Number.isNaN(seconds)) return undefined
  const frac = (m[2] ?? '').padEnd(9, '0')
  const ns = BigInt(seconds) * 1_000_000n + BigInt(frac)
  return { ns, ms: seconds + Math.floor(Number(frac) / 1e6), text: line.slice(m[0].length) }
}

/** `since` for the Engine API: seconds.nanoseconds. */
export function sinceParam(ns: bigint): string {
  return `${ns / 1_000_000_000n}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}`
}

export class DockerSource implements SourceRunner {
  readonly recovers = true
  lastTs: number | undefined
  private lastNs: bigint | undefined
  /** Lines delivered with exactly lastNs: a resumed run (since is inclusive) skips that many. */
  private atLastNs = 0
  private tty: boolean | undefined

  constructor(
    private readonly engine: DockerEngine,
    private readonly hostId: string,
    private readonly container: string,
    private readonly tail: number,
    private readonly sinceMs: number | undefined
  ) {}

  /** Inspects the container: NOT_FOUND for a wrong name before anything streams, and whether it has a TTY. */
  async check(): Promise<void> {
    const info = (await this.engine.request(this.hostId, 'GET', `/containers/${encodeURIComponent(this.container)}/json`)).json<{ Config?: { Tty?: boolean } }>()
    this.tty = Boolean(info.Config?.Tty)
  }

  private path(resume: boolean): string {
    const q = new URLSearchParams({ follow: '1', timestamps: '1', stdout: '1', stderr: '1' })
    if (resume && this.lastNs !== undefined) {
      q.set('since', sinceParam(this.lastNs))
      q.set('tail', 'all')
    } else {
      q.set('tail', this.sinceMs !== undefined ? 'all' : String(this.tail))
      if (this.sinceMs !== undefined) q.set('since', (this.sinceMs / 1000).toFixed(3))
    }
    return `/containers/${encodeURIComponent(this.container)}/logs?${q.toString()}`
  }

  async run(sink: SourceSink, signal: AbortSignal, resume: boolean): Promise<RunOutcome> {
    if (this.tty === undefined) await this.check()
    const stream = await this.engine.stream(this.hostId, 'GET', this.path(resume), { signal })
    sink.following()
    sink.flow({ pause: () => stream.body.pause(), resume: () => stream.body.resume() })
    let skip = resume ? this.atLastNs : 0
    const skipNs = this.lastNs
    const deliver = (kind: DockerStream, text: string) => {
      const parsed = splitDockerTimestamp(text)
      if (!parsed) {
        // no timestamp: a continuation docker did not stamp; keep it, at the last time seen
        sink.line(line(this.lastTs ?? Date.now(), kind, text))
        return
      }
      if (skip > 0 && parsed.ns === skipNs) {
        skip--
        return
      }
      skip = 0
      if (this.lastNs === parsed.ns) this.atLastNs++
      else {
        this.lastNs = parsed.ns
        this.atLastNs = 1
      }
      this.lastTs = parsed.ms
      sink.line(line(parsed.ms, kind, parsed.text))
    }
    const splitters = {
      stdout: new LineSplitter((t) => deliver('stdout', t)),
      stderr: new LineSplitter((t) => deliver('stderr', t))
    }
    const demux = new DockerDemux((kind, bytes) => splitters[kind].push(bytes))
    return new Promise<RunOutcome>((resolve, reject) => {
      let ended = false
      stream.body.on('data', (chunk: Buffer) => {
        try {
          if (this.tty) splitters.stdout.push(chunk)
          else demux.push(chunk)
        } catch (err) {
          stream.close()
          reject(err instanceof DropdeckError ? err : new DropdeckError('INTERNAL', `${this.hostId}: reading the logs of ${this.container} failed: ${(err as Error).message}.`))
        }
      })
      stream.body.once('end', () => {
        ended = true
      })
      stream.body.on('error', () => undefined) // an aborted response: 'close' follows
      // Closing must not wait on a channel the server never confirms closed.
      signal.addEventListener('abort', () => setTimeout(() => resolve('ended'), 3000).unref(), { once: true })
      stream.body.once('close', () => {
        sink.flow(undefined)
        stream.close()
        if (signal.aborted) return resolve('ended')
        // 'end' without a cut frame: docker ended the stream (the container stopped)
        if (ended && !demux.midFrame) {
          splitters.stdout.flush()
          splitters.stderr.flush()
          return resolve('ended')
        }
        resolve('lost')
      })
    })
  }
}

function line(ts: number, stream: DockerStream, text: string): LogLine {
  const level = levelOfText(text)
  return level ? { ts, stream, text, level } : { ts, stream, text }
}
