/**
 * The contract for log streams: docker logs, journalctl and files followed over SSH, streamed as
 * events. Assembled into ../contract.ts; documented in docs/api.md ("Log methods").
 *
 * A log is a stream (./streams.ts). Lines travel in batches (`logs.data`), never one event per line, to
 * the client that opened it; the client acknowledges each batch (`logs.ack`) so main knows when it is behind and batches more, or drops with a count.
 */
import { z } from 'zod'
import { HostIdSchema } from './ssh'
import { ContainerIdSchema } from './containers'

const StreamId = z.string().min(1).max(100)

export const LogSourceSchema = z.discriminatedUnion('kind', [
  /** A container by id or name. */
  z.object({ kind: z.literal('container'), id: ContainerIdSchema }).strict(),
  /** A systemd unit, as `journalctl -u` takes it. */
  z.object({ kind: z.literal('unit'), unit: z.string().min(1).max(256).regex(/^[A-Za-z0-9@._:\\-]+$/, 'a unit name such as nginx.service') }).strict(),
  /** Any file the SSH user can read, followed by name (`tail -F`), so rotation is followed. */
  z.object({ kind: z.literal('file'), path: z.string().min(2).max(4096).regex(/^\/[^\0\n]*$/, 'an absolute path') }).strict()
])
export type LogSource = z.infer<typeof LogSourceSchema>

export const LogLevelSchema = z.enum(['error', 'warn', 'info', 'debug'])
export type LogLevel = z.infer<typeof LogLevelSchema>

export const LogLineSchema = z.object({
  /** When the line was written: epoch ms (docker's or journald's timestamp; for files, when it arrived). */
  ts: z.number(),
  stream: z.enum(['stdout', 'stderr', 'file', 'journal']),
  /** One line, valid text: invalid UTF-8 as U+FFFD, control bytes escaped, cut at 16 KiB with a marker. */
  text: z.string(),
  level: LogLevelSchema.optional()
})
export type LogLine = z.infer<typeof LogLineSchema>

/**
 * `logs.data` carries a batch as parallel columns rather than one object per line: the page parses a
 * column batch about four times faster than the same lines as objects (no keys per line), which is most
 * of its cost at 100,000 lines a second. `stream` and `level` hold one code letter per line.
 */
const STREAM_CODE = { stdout: 'o', stderr: 'e', file: 'f', journal: 'j' } as const satisfies Record<LogLine['stream'], string>
const LEVEL_CODE = { error: 'E', warn: 'W', info: 'I', debug: 'D' } as const satisfies Record<LogLevel, string>
const NO_LEVEL = '-'
/** What a `stream` letter of `logs.data` stands for. */
export const STREAM_OF_CODE: Readonly<Record<string, LogLine['stream']>> = { o: 'stdout', e: 'stderr', f: 'file', j: 'journal' }
/** What a `level` letter of `logs.data` stands for (`-`, no level, is absent). */
export const LEVEL_OF_CODE: Readonly<Record<string, LogLevel | undefined>> = { E: 'error', W: 'warn', I: 'info', D: 'debug' }

export const LogLinesSchema = z
  .object({
    id: z.string(),
    seq: z.number().int(),
    /** Epoch ms of each line. */
    ts: z.array(z.number()),
    text: z.array(z.string()),
    /** One letter per line: o stdout, e stderr, f file, j journal. */
    stream: z.string().regex(/^[oefj]*$/),
    /** One letter per line: E error, W warn, I info, D debug, - none. */
    level: z.string().regex(/^[EWID-]*$/)
  })
  .refine((b) => b.text.length === b.ts.length && b.stream.length === b.ts.length && b.level.length === b.ts.length, 'ts, text, stream and level hold one entry per line')
export type LogLines = z.infer<typeof LogLinesSchema>

/** Lines as the columns of a `logs.data` event. */
export function encodeLogLines(id: string, seq: number, lines: readonly LogLine[]): LogLines {
  const n = lines.length
  const ts = new Array<number>(n)
  const text = new Array<string>(n)
  let stream = ''
  let level = ''
  for (let i = 0; i < n; i++) {
    const l = lines[i]
    ts[i] = l.ts
    text[i] = l.text
    stream += STREAM_CODE[l.stream]
    level += l.level ? LEVEL_CODE[l.level] : NO_LEVEL
  }
  return { id, seq, ts, text, stream, level }
}

/** Line `i` of a `logs.data` batch's columns. */
export function logLineAt(batch: Pick<LogLines, 'ts' | 'text' | 'stream' | 'level'>, i: number): LogLine {
  const level = LEVEL_OF_CODE[batch.level[i]]
  const stream = STREAM_OF_CODE[batch.stream[i]]
  return level ? { ts: batch.ts[i], stream, text: batch.text[i], level } : { ts: batch.ts[i], stream, text: batch.text[i] }
}

/** Every line of a `logs.data` batch, oldest first. */
export function decodeLogLines(batch: Pick<LogLines, 'ts' | 'text' | 'stream' | 'level'>): LogLine[] {
  const lines = new Array<LogLine>(batch.ts.length)
  for (let i = 0; i < lines.length; i++) lines[i] = logLineAt(batch, i)
  return lines
}

export const LogStateSchema = z.enum(['following', 'reconnecting', 'gap', 'dropped', 'ended', 'error'])
export type LogState = z.infer<typeof LogStateSchema>

export const logsMethods = {
  /** Starts following; the stream belongs to the calling window or socket and closes with it. */
  'logs.open': {
    params: z
      .object({
        hostId: HostIdSchema,
        source: LogSourceSchema,
        /** How many existing lines to start with (default 200). */
        tail: z.number().int().min(0).max(100_000).optional(),
        /** Only lines from this time on (ISO 8601 or epoch ms); containers and units only. */
        since: z.union([z.string().datetime({ offset: true }), z.number().int().min(0)]).optional()
      })
      .strict(),
    result: z.object({ id: z.string() })
  },
  /** The client has shown the `logs.data` batch `seq`; un-acked batches hold further lines back. */
  'logs.ack': {
    params: z.object({ id: StreamId, seq: z.number().int().min(0) }).strict(),
    result: z.object({ ok: z.literal(true) })
  },
  'logs.close': {
    params: z.object({ id: StreamId }).strict(),
    result: z.object({ closed: z.literal(true) })
  }
} as const

export const logsEvents = {
  /**
   * A batch of lines of stream `id`, oldest first, as columns (see LogLinesSchema; `decodeLogLines`
   * gives LogLine objects); `seq` counts batches from 0, for `logs.ack`.
   */
  'logs.data': LogLinesSchema,
  /**
   * The stream's state: following; reconnecting (the channel dropped); gap (it was down from `from` to `to`,
   * epoch ms, and `recovered` says whether the lines of that time were fetched again); dropped (`count` lines
   * were dropped because the client fell behind); ended (the container stopped); error (`message` says why).
   */
  'logs.state': z.object({
    id: z.string(),
    state: LogStateSchema,
    message: z.string().optional(),
    from: z.number().optional(),
    to: z.number().optional(),
    recovered: z.boolean().optional(),
    count: z.number().int().optional()
  })
} as const
