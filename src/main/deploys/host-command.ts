/**
 * A command on the host whose output is shown while it runs (a build, a pre/post-deploy command): run
 * over its own SSH channel, its output (stdout and stderr merged) kept as the last lines plus a count,
 * so a long build log streams into its deploy step without flooding the window. The time limit is
 * enforced on the host (`timeout`, which signals the command's whole process group), and the command
 * runs under the logs' stdin watchdog: a cancel (EOF on the channel) or a dropped connection stops it
 * on the host too, instead of leaving it running there.
 */
import type { Client } from 'ssh2'
import { DropdeckError } from '../../shared/errors'
import { posixCommand } from '../ssh/remote-command'

/** How many of a command's last lines a step keeps and shows. */
export const TAIL_LINES = 12

export interface CommandOutput {
  code: number | null
  /** The last TAIL_LINES lines. */
  lines: string[]
  /** Every line it printed. */
  total: number
  timedOut: boolean
}

/**
 * `script` with stdout and stderr merged, stopped by the host after `seconds` (exit 124) where `timeout`
 * exists, and stopped when the channel's stdin closes (the logs' watchdog pattern, ../logs/exec-follow.ts):
 * `timeout` is the background job the watchdog kills, and it passes the signal to its whole process group.
 */
export function hostCommand(script: string, seconds: number): string {
  const quoted = `'${script.replace(/'/g, `'\\''`)}'`
  return [
    'exec 2>&1',
    `if command -v timeout >/dev/null 2>&1; then T="timeout -k 5 ${Math.max(1, Math.ceil(seconds))}"; else T=; fi`,
    `exec 3<&0; $T sh -c ${quoted} <&- & p=$!; { cat >/dev/null; kill $p; } <&3 >/dev/null 2>&1 & wait $p`
  ].join('\n')
}

/**
 * Runs `script` (POSIX sh) and reports its output as it comes, at most every 250 ms. Resolves with the
 * exit code; the abort signal closes the channel. `timeoutMs` bounds the wait here too, in case the
 * host cannot stop the command.
 */
export function runStreamed(
  client: Client,
  script: string,
  options: { timeoutMs: number; signal?: AbortSignal; onOutput?: (out: { lines: string[]; total: number }) => void }
): Promise<CommandOutput> {
  return new Promise((resolve, reject) => {
    client.exec(posixCommand(hostCommand(script, options.timeoutMs / 1000)), (err, stream) => {
      if (err) return reject(new DropdeckError('UPSTREAM', `The host refused to run the command: ${err.message}.`, { retryable: true }))
      const lines: string[] = []
      let total = 0
      let partial = ''
      let code: number | null = null
      let timedOut = false
      let shown = 0
      let pending: NodeJS.Timeout | undefined
      const report = () => {
        pending = undefined
        shown = Date.now()
        options.onOutput?.({ lines: [...lines], total })
      }
      const take = (text: string) => {
        partial += text
        const parts = partial.split(/\r?\n|\r/)
        partial = parts.pop() ?? ''
        for (const p of parts) {
          total++
          lines.push(p.length > 500 ? `${p.slice(0, 500)}…` : p)
          if (lines.length > TAIL_LINES) lines.shift()
        }
        if (!pending) pending = setTimeout(report, Math.max(0, 250 - (Date.now() - shown)))
      }
      // A margin past the host's own limit: the host normally stops the command first (exit 124).
      const timer = setTimeout(() => {
        timedOut = true
        stream.close()
      }, options.timeoutMs + 10_000)
      // EOF on stdin: the watchdog stops the command, then the channel closes by itself.
      const onAbort = () => stream.end()
      options.signal?.addEventListener('abort', onAbort, { once: true })
      stream.on('data', (c: Buffer) => take(c.toString('utf8')))
      stream.stderr.on('data', (c: Buffer) => take(c.toString('utf8')))
      stream.on('exit', (c: number | null) => {
        code = c
      })
      stream.on('close', () => {
        clearTimeout(timer)
        if (pending) clearTimeout(pending)
        options.signal?.removeEventListener('abort', onAbort)
        if (partial) {
          total++
          lines.push(partial)
          if (lines.length > TAIL_LINES) lines.shift()
        }
        if (code === 124) timedOut = true
        resolve({ code, lines, total, timedOut })
      })
    })
  })
}
