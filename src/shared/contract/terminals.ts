/**
 * The contract for terminals: remote shells (a PTY on an SSH `shell` channel over the host's pooled
 * connection) and local shells (a PTY from node-pty), plus the saved commands offered per host.
 * A terminal is a stream (./streams.ts): output flows as terminals.data events to the client that opened
 * it, with acknowledged flow control (terminals.ack), so a huge `cat` never floods the renderer. Assembled into the one contract in ../contract.ts; documented in docs/api.md.
 */
import { z } from 'zod'
import { HostIdSchema } from './ssh'

const TerminalId = z.string().min(1).max(100)
const Cols = z.number().int().min(1).max(1000)
const Rows = z.number().int().min(1).max(1000)

/** The host id saved commands use for local shells (no SSH host can be called this: it has a slash). */
export const LOCAL_COMMANDS_HOST = 'local/'

/** Where saved commands apply: one host, a local shell, or every host (`*`). */
export const SavedCommandScopeSchema = z.union([HostIdSchema, z.literal(LOCAL_COMMANDS_HOST), z.literal('*')])

export const SavedCommandSchema = z.object({
  id: z.string(),
  /** The host id it belongs to, `local/` for local shells, or `*` for every host. */
  hostId: SavedCommandScopeSchema,
  label: z.string(),
  command: z.string(),
  /** Shipped with Dropdeck (seed 000's runbooks); these can be hidden but not edited. */
  builtIn: z.boolean()
})
export type SavedCommand = z.infer<typeof SavedCommandSchema>

export const terminalMethods = {
  /**
   * Opens a shell with a PTY, owned by the calling window or socket: on the host's pooled connection
   * (`{hostId}`, `kind` omitted or `remote`), or on this machine (`{kind: 'local'}`: $SHELL, else /bin/bash).
   */
  'terminals.open': {
    params: z.union([
      z.object({ kind: z.literal('remote').optional(), hostId: HostIdSchema, cols: Cols, rows: Rows }).strict(),
      z.object({ kind: z.literal('local'), cols: Cols, rows: Rows }).strict()
    ]),
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
  /** Closes the shell (a local one with its whole process group). */
  'terminals.close': {
    params: z.object({ id: TerminalId }).strict(),
    result: z.object({ closed: z.literal(true) })
  },
  /** Saved commands for a host (or `local/`): its own, then those for every host, then the built-in runbooks. */
  'terminals.commands.list': {
    params: z.object({ hostId: SavedCommandScopeSchema }).strict(),
    result: z.array(SavedCommandSchema)
  },
  /** Saves an operator's command for one host, `local/`, or every host (`*`). */
  'terminals.commands.add': {
    params: z.object({
      hostId: SavedCommandScopeSchema,
      label: z.string().trim().max(80).optional(),
      command: z.string().trim().min(1).max(4000)
    }).strict(),
    result: SavedCommandSchema
  },
  /** Removes an operator's command, or hides a built-in one. */
  'terminals.commands.remove': {
    params: z.object({ id: z.string().min(1).max(100) }).strict(),
    result: z.object({ removed: z.literal(true) })
  }
} as const

export const terminalEvents = {
  /** Output, UTF-8 decoded across chunk boundaries; `bytes` is what to acknowledge once drawn. */
  'terminals.data': z.object({ id: z.string(), data: z.string(), bytes: z.number().int() }),
  /** The shell ended (`exited`, its last event): its exit code, or the signal, or why the connection went away (`reason`). */
  'terminals.state': z.object({
    id: z.string(),
    state: z.literal('exited'),
    code: z.number().int().nullable(),
    signal: z.string().optional(),
    reason: z.string().optional()
  }),
  /** The saved commands changed (added or removed), for the host id given. */
  'terminals.commands.changed': z.object({ hostId: z.string() })
} as const
