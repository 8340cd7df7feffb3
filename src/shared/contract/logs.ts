/**
 * The contract for log streams: docker logs, journalctl and files followed over SSH, streamed as
 * events. Assembled into ../contract.ts; documented in docs/api.md ("Log methods").
 *
 * Lines travel in batches (`logs.lines`), never one event per line; the client acknowledges each
 * batch (`logs.ack`) so main knows when it is behind and batches more, or drops with a count.
 */
import { z } from 'zod'
import { HostIdSchema } from './ssh'

const StreamId = z.string().min(1).max(100)

export const LogSourceSchema = z.discriminatedUnion('kind', [
  /** A container by id or name. */
  z.object({ kind: z.literal('container'), id: z.string().min(1).max(200).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a container id or name') }).strict(),
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
  /** The client has shown the `logs.lines` batch `seq`; un-acked batches hold further lines back. */
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
  /** A batch of lines of stream `id`, oldest first; `seq` counts batches from 0, for `logs.ack`. */
  'logs.lines': z.object({ id: z.string(), seq: z.number().int(), lines: z.array(LogLineSchema) }),
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
