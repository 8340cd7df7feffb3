/**
 * The contract for remote terminals: a PTY on an SSH `shell` channel over the host's pooled connection.
 * Output flows as terminals.data events with acknowledged flow control (terminals.ack), so a huge `cat`
 * never floods the renderer. Assembled into the one contract in ../contract.ts; documented in docs/api.md.
 */
import { z } from 'zod'
import { HostIdSchema } from './ssh'

const TerminalId = z.string().min(1).max(100)
const Cols = z.number().int().min(1).max(1000)
const Rows = z.number().int().min(1).max(1000)

export const terminalMethods = {
  /** Opens a shell with a PTY on the host's pooled connection; owned by the calling window or socket. */
  'terminals.open': {
    params: z.object({ hostId: HostIdSchema, cols: Cols, rows: Rows }).strict(),
    result: z.object({ id: z.string() })
  },
  /** Keystrokes and pastes, as typed. */
  'terminals.write': {
    params: z.object({ id: TerminalId, data: z.string().max(1024 * 1024) }).strict(),
    result: z.object({ ok: z.literal(true) })
  },
  'terminals.resize': {
    params: z.object({ id: TerminalId, cols: Cols, rows: Rows }).strict(),
    result: z.object({ ok: z.literal(true) })
  },
  /** The renderer has drawn `bytes` more bytes of output (UTF-8 bytes, as counted in terminals.data). */
  'terminals.ack': {
    params: z.object({ id: TerminalId, bytes: z.number().int().min(0).max(2 ** 31) }).strict(),
    result: z.object({ ok: z.literal(true) })
  },
  'terminals.close': {
    params: z.object({ id: TerminalId }).strict(),
    result: z.object({ closed: z.literal(true) })
  }
} as const

export const terminalEvents = {
  /** Output, UTF-8 decoded across chunk boundaries; `bytes` is what to acknowledge once drawn. */
  'terminals.data': z.object({ id: z.string(), data: z.string(), bytes: z.number().int() }),
  /** The shell ended: its exit code, or the signal, or why the connection went away (`reason`). */
  'terminals.exit': z.object({
    id: z.string(),
    code: z.number().int().nullable(),
    signal: z.string().optional(),
    reason: z.string().optional()
  })
} as const
