/**
 * Read-only commands for one host that are asked for in the same tick run as one exec. The Health
 * area refreshes a host's units and facts together; each exec costs the host an SSH channel, a login
 * shell and a `sh` (bench:inventory: about as much CPU as the work itself, on every host at once),
 * so two reads issued together share those.
 *
 * Each command runs in turn inside one `sh`, in a `{ }` group (no subshell, so no extra fork): its
 * stdout and stderr are framed by marker lines carrying a per-exec random nonce (no output can forge
 * them) and its exit status travels in the closing marker. A command must therefore not `exit` or
 * change the shell's state (cd, set -e) for the next one; facts and `systemctl show` do neither.
 * A command asked for alone runs as it always did.
 */
import { randomBytes } from 'node:crypto'

export interface ExecResult {
  stdout: string
  stderr: string
  code: number | null
}

export type Exec = (hostId: string, command: string, options?: { timeoutMs?: number }) => Promise<ExecResult>

interface Pending {
  command: string
  timeoutMs?: number
  resolve(r: ExecResult): void
  reject(err: unknown): void
}

export class ExecBatch {
  private readonly queued = new Map<string, Pending[]>()

  /** `ssh.exec` is looked up at each run, so a wrapper put on it later (a test's recorder) sees every exec. */
  constructor(private readonly ssh: { exec: Exec }) {}

  /** Runs `command` on `hostId`, together with whatever else is asked for the same host in this tick. */
  run(hostId: string, command: string, options: { timeoutMs?: number } = {}): Promise<ExecResult> {
    return new Promise<ExecResult>((resolve, reject) => {
      let queue = this.queued.get(hostId)
      if (!queue) {
        queue = []
        this.queued.set(hostId, queue)
        setImmediate(() => this.flush(hostId))
      }
      queue.push({ command, timeoutMs: options.timeoutMs, resolve, reject })
    })
  }

  private flush(hostId: string): void {
    const queue = this.queued.get(hostId) ?? []
    this.queued.delete(hostId)
    if (queue.length === 1) {
      const [only] = queue
      this.ssh.exec(hostId, only.command, { timeoutMs: only.timeoutMs }).then(only.resolve, only.reject)
      return
    }
    const nonce = randomBytes(8).toString('hex')
    const timeouts = queue.map((p) => p.timeoutMs).filter((t): t is number => t !== undefined)
    this.ssh.exec(hostId, combinedScript(nonce, queue.map((p) => p.command)), timeouts.length ? { timeoutMs: Math.max(...timeouts) } : {}).then(
      (r) => {
        const parts = splitCombined(nonce, queue.length, r)
        queue.forEach((p, i) => p.resolve(parts[i]))
      },
      (err: unknown) => queue.forEach((p) => p.reject(err))
    )
  }
}

/** The commands one after another, each framed on stdout and stderr by `@@dropdeck-<nonce>:<i>` lines. */
export function combinedScript(nonce: string, commands: readonly string[]): string {
  const mark = `@@dropdeck-${nonce}`
  return commands
    .map((command, i) => [
      `printf '%s\\n' '${mark}:${i}'; printf '%s\\n' '${mark}:${i}' >&2`,
      `{ ${command}`,
      '}',
      // The newline before each closing marker ends a last line that had none; splitCombined drops it.
      `printf '\\n%s:%s\\n' '${mark}:${i}' "$?"; printf '\\n%s\\n' '${mark}:${i}:end' >&2`
    ].join('\n'))
    .join('\n')
}

/** Each command's stdout, stderr and exit status; a command the exec never finished has code null. */
export function splitCombined(nonce: string, count: number, r: ExecResult): ExecResult[] {
  const mark = `@@dropdeck-${nonce}`
  const out: ExecResult[] = []
  for (let i = 0; i < count; i++) {
    const stdout = framed(r.stdout, `${mark}:${i}\n`, `\n${mark}:${i}:`)
    const stderr = framed(r.stderr, `${mark}:${i}\n`, `\n${mark}:${i}:end\n`)
    const code = stdout.end >= 0 ? Number(/^(\d+)/.exec(r.stdout.slice(stdout.end + `\n${mark}:${i}:`.length))?.[1] ?? NaN) : NaN
    out.push({ stdout: stdout.text, stderr: stderr.text, code: Number.isInteger(code) ? code : null })
  }
  return out
}

function framed(text: string, open: string, close: string): { text: string; end: number } {
  const start = text.indexOf(open)
  if (start < 0) return { text: '', end: -1 }
  const from = start + open.length
  const end = text.indexOf(close, from)
  return { text: end < 0 ? text.slice(from) : text.slice(from, end), end }
}

const batches = new WeakMap<object, ExecBatch>()

/** The one batch of an app's SSH services: every service given the same `ssh` shares it. */
export function execBatchFor(ssh: { exec: Exec }): ExecBatch {
  let batch = batches.get(ssh)
  if (!batch) batches.set(ssh, (batch = new ExecBatch(ssh)))
  return batch
}
