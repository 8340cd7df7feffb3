/**
 * A local shell: the operator's $SHELL (else /bin/bash) in a PTY from node-pty, started as a login
 * shell in its HOME. node-pty is loaded on first use, so an install whose native addon did not
 * build still starts and says what to do. The shell leads its own session and process group; closing
 * hangs up the whole group (jobs included), then kills what is left after a grace period.
 */
import { existsSync } from 'node:fs'
import os from 'node:os'
import { DropdeckError } from '../../shared/errors'
import type { ShellEnd, ShellSession } from './shell-session'

type NodePty = typeof import('node-pty')
let loaded: Promise<NodePty> | undefined

function loadNodePty(): Promise<NodePty> {
  loaded ??= import('node-pty').catch((err: Error) => {
    loaded = undefined
    throw new DropdeckError('INTERNAL', `Local shells need node-pty's native addon, which did not load (${err.message}). Run \`npm run setup\` (it builds node-pty), then restart Dropdeck.`)
  })
  return loaded
}

/** $SHELL when it names a program that exists, else /bin/bash. */
export function localShellPath(env: NodeJS.ProcessEnv = process.env): string {
  const shell = env.SHELL?.trim()
  return shell && shell.startsWith('/') && existsSync(shell) ? shell : '/bin/bash'
}

const GRACE_MS = 1500

export async function openLocalShell(p: { cols: number; rows: number }, env: NodeJS.ProcessEnv = process.env): Promise<ShellSession> {
  const pty = await loadNodePty()
  const file = localShellPath(env)
  let term: import('node-pty').IPty
  try {
    term = pty.spawn(file, ['-l'], {
      name: 'xterm-256color',
      cols: p.cols,
      rows: p.rows,
      cwd: homeOf(env),
      env: { ...env, TERM: 'xterm-256color', COLORTERM: 'truecolor' },
      // Raw bytes: the service decodes (and counts) them the same way for local and remote shells.
      encoding: null
    })
  } catch (err) {
    throw new DropdeckError('INTERNAL', `Could not start ${file}: ${(err as Error).message}. Set SHELL to a shell that exists, then retry.`)
  }

  const pgid = term.pid
  let ended = false
  const endListeners: Array<(end: ShellEnd) => void> = []
  const gone = new Promise<void>((resolve) => {
    term.onExit(({ exitCode, signal }) => {
      ended = true
      const end: ShellEnd = signal ? { code: null, signal: signalName(signal) } : { code: exitCode }
      for (const listener of endListeners) listener(end)
      resolve()
    })
  })
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pgid, signal)
    } catch {
      // The group is already gone.
    }
  }

  return {
    origin: 'this machine',
    onData(listener) {
      // With `encoding: null` node-pty hands over Buffers, though its typings say string.
      term.onData((data: string | Buffer) => listener(typeof data === 'string' ? Buffer.from(data) : data))
    },
    onEnd(listener) {
      endListeners.push(listener)
    },
    write: (data) => term.write(data),
    resize: (cols, rows) => term.resize(cols, rows),
    pause: () => term.pause(),
    resume: () => term.resume(),
    async close() {
      if (ended) return
      term.resume() // a paused PTY still has to deliver its exit
      signalGroup('SIGHUP') // what closing a terminal window does: the shell passes it on to its jobs
      const timer = setTimeout(() => {
        signalGroup('SIGKILL')
        term.kill('SIGKILL')
      }, GRACE_MS)
      await gone
      clearTimeout(timer)
    }
  }
}

/** The HOME the shell is given when it names a folder, else the account's home. */
function homeOf(env: NodeJS.ProcessEnv): string {
  const home = env.HOME?.trim()
  return home && existsSync(home) ? home : os.homedir()
}

function signalName(signal: number): string {
  const name = Object.entries(os.constants.signals).find(([, n]) => n === signal)?.[0]
  return name ?? String(signal)
}
