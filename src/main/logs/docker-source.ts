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

/** Docker's timestamp: `since` needs it to the nanosecond, as seconds and a 9-digit fraction. */
export interface DockerTime {
  /** Unix seconds. */
  sec: number
  /** Nanoseconds within the second, 9 digits. */
  frac: string
  ms: number
}

// Lines come many per second: parse each second's date once.
let lastSecond = ''
let lastSecondMs = NaN

function secondMs(second: string): number {
  if (second !== lastSecond) {
    lastSecond = second
    lastSecondMs = Date.parse(second)
  }
  return lastSecondMs
}

/** Docker's timestamp (exact) and the text after it. */
export function splitDockerTimestamp(line: string): (DockerTime & { text: string }) | undefined {
  // Fast path: docker writes RFC 3339 with a fixed 9-digit fraction, "2006-01-02T15:04:05.000000000Z ".
  if (line.length >= 31 && line.charCodeAt(30) === 32 && line.charCodeAt(29) === 90 && line.charCodeAt(19) === 46) {
    const ms = secondMs(line.slice(0, 19) + 'Z')
    if (!Number.isNaN(ms)) {
      const frac = line.slice(20, 29)
      return { sec: ms / 1000, frac, ms: ms + Math.floor(Number(frac) / 1e6), text: line.slice(31) }
    }
  }
  const m = TIMESTAMP.exec(line)
  if (!m) return undefined
  const seconds = secondMs(`${m[1]}${m[3]}`)
  if (Number.isNaN(seconds)) return undefined
  const frac = (m[2] ?? '').padEnd(9, '0')
  return { sec: seconds / 1000, frac, ms: seconds + Math.floor(Number(frac) / 1e6), text: line.slice(m[0].length) }
}

/** `since` for the Engine API: seconds.nanoseconds. */
export function sinceParam(t: Pick<DockerTime, 'sec' | 'frac'>): string {
  return `${t.sec}.${t.frac}`
}

export class DockerSource implements SourceRunner {
  readonly recovers = true
  lastTs: number | undefined
  private last: DockerTime | undefined
  /** `sec.frac` of the last line, for comparing times exactly. */
  private lastKey: string | undefined
  /** Lines delivered with exactly that time: a resumed run (since is inclusive) skips that many. */
  private atLast = 0
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
    if (resume && this.last !== undefined) {
      q.set('since', sinceParam(this.last))
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
    let skip = resume ? this.atLast : 0
    const skipKey = this.lastKey
    const deliver = (kind: DockerStream, text: string) => {
      const parsed = splitDockerTimestamp(text)
      if (!parsed) {
        // no timestamp: a continuation docker did not stamp; keep it, at the last time seen
        sink.line(line(this.lastTs ?? Date.now(), kind, text))
        return
      }
      const key = `${parsed.sec}.${parsed.frac}`
      if (skip > 0 && key === skipKey) {
        skip--
        return
      }
      skip = 0
      if (this.lastKey === key) this.atLast++
      else {
        this.last = parsed
        this.lastKey = key
        this.atLast = 1
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
