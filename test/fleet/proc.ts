// Child-process helpers shared by the bench's real servers (sshd, dockerd).
// Servers log to a file rather than a pipe, so a chatty daemon can never block on a full
// pipe and an idle test runner is not kept alive by open stdio handles.
import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { openSync, closeSync, readFileSync, readdirSync, existsSync, accessSync, realpathSync, constants } from 'node:fs'
import path from 'node:path'

export interface Daemon {
  child: ChildProcess
  pid: number
  logPath: string
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>
  hasExited(): boolean
}

/**
 * Start a long-running server with stdout+stderr appended to logPath. It gets its own process
 * group, so a Ctrl-C in the terminal reaches only us and we stop servers in a sensible order
 * (dockerd after its containers) instead of all of them being interrupted at once.
 */
export function spawnDaemon(command: string, args: string[], logPath: string, env?: NodeJS.ProcessEnv): Daemon {
  const fd = openSync(logPath, 'a')
  const child = spawn(command, args, { stdio: ['ignore', fd, fd], env: env ?? process.env, detached: true })
  closeSync(fd) // the child holds its own copy
  if (child.pid === undefined) throw new Error(`could not start ${command}`)
  let done = false
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true
      resolve(code ?? signal ?? 'unknown')
    })
    child.once('error', () => {
      done = true
      resolve('spawn-error')
    })
  })
  return { child, pid: child.pid, logPath, exited, hasExited: () => done }
}

/** SIGTERM, then SIGKILL after graceMs; resolves once the process is gone. */
export async function stopDaemon(d: Daemon, graceMs = 5000): Promise<void> {
  if (d.hasExited()) return
  d.child.kill('SIGTERM')
  const timer = setTimeout(() => d.child.kill('SIGKILL'), graceMs)
  await d.exited
  clearTimeout(timer)
}

/** Last lines of a daemon's log, for error messages that say what went wrong. */
export function tailLog(logPath: string, lines = 20): string {
  try {
    return readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

/** Run a command to completion; rejects with its stderr on a non-zero exit. */
export function run(command: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { timeout: opts.timeoutMs ?? 30_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(' ')} failed: ${stderr.trim() || err.message}`))
      else resolve(stdout)
    })
    if (opts.input !== undefined) child.stdin?.end(opts.input)
  })
}

/** Poll until fn returns a truthy value or the deadline passes. */
export async function waitFor<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, opts: { timeoutMs: number; intervalMs?: number; what: string; abort?: () => string | undefined }): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs
  let lastError: unknown
  for (;;) {
    const reason = opts.abort?.()
    if (reason) throw new Error(`${opts.what}: ${reason}`)
    try {
      const v = await fn()
      if (v) return v
    } catch (e) {
      lastError = e
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : ''
      throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}${detail}`)
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100))
  }
}

/** True while pid runs; a zombie (exited, not yet reaped) counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true // no /proc (not Linux): trust kill(0)
  }
}

/** SIGTERM a set of pids, wait for them to go, SIGKILL what is left after graceMs. */
export async function terminatePids(pids: number[], graceMs = 3000): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    for (const pid of pids.filter(isAlive)) {
      try {
        process.kill(pid, sig)
      } catch {
        /* already gone */
      }
    }
  }
  const waitGone = async (ms: number) => {
    const deadline = Date.now() + ms
    while (pids.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  }
  if (!pids.length) return
  signal('SIGTERM')
  await waitGone(graceMs)
  if (!pids.some(isAlive)) return
  signal('SIGKILL')
  await waitGone(2000)
}

/**
 * The executable of a live pid (Linux /proc/<pid>/exe; sshd rewrites its argv, so not cmdline),
 * used to avoid signalling a recycled pid.
 */
export function exeOf(pid: number): string | undefined {
  try {
    return realpathSync(`/proc/${pid}/exe`)
  } catch {
    return undefined
  }
}

/**
 * All descendants of pid (Linux /proc). sshd's per-connection children call setsid(), so
 * killing the listener's process group would leave them behind; we find them by parentage.
 */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>()
  let entries: string[]
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e))
  } catch {
    return []
  }
  for (const e of entries) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8')
      // the command name may contain spaces and parentheses: parse after the last ')'
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      const list = children.get(ppid) ?? []
      list.push(Number(e))
      children.set(ppid, list)
    } catch {
      /* process went away while we looked */
    }
  }
  const out: number[] = []
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c)
      walk(c)
    }
  }
  walk(pid)
  return out
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  } catch {
    return undefined
  }
}

/**
 * Live processes whose command line names a path under dir: how the bench finds its own servers
 * (sshd -f <dir>/..., dockerd --data-root <dir>/..., containerd-shim -address <dir>/...) when the
 * process that started them is gone. Never this process or its ancestors (e.g. `cli.ts --state-dir`).
 */
export function processesUsing(dir: string): number[] {
  const needle = path.resolve(dir) + '/'
  const exclude = new Set<number>()
  for (let p: number | undefined = process.pid; p && !exclude.has(p); p = parentOf(p)) exclude.add(p)
  const out: number[] = []
  for (const e of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    const pid = Number(e)
    if (exclude.has(pid)) continue
    try {
      if (readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(needle) && isAlive(pid)) out.push(pid)
    } catch {
      /* gone */
    }
  }
  return out
}

/** Find an executable on PATH (plus the sbin dirs a non-login shell may lack). */
export function findExecutable(name: string): string | undefined {
  if (name.includes('/')) return existsSync(name) ? name : undefined
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/local/sbin', '/usr/sbin', '/sbin']
  for (const dir of dirs) {
    if (!dir) continue
    const p = path.join(dir, name)
    try {
      accessSync(p, constants.X_OK)
      return p
    } catch {
      /* keep looking */
    }
  }
  return undefined
}
