/**
 * How the app reaches the keychain helper process (keychain-child.ts): one interface, two ways to
 * start it. The headless host forks it with child_process; Electron (where running its binary as
 * Node is fused off) starts it with utilityProcess through keychain-process.electron.ts.
 */
import { fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export interface KeychainRequest {
  id: number
  op: 'get' | 'set' | 'delete'
  service: string
  account: string
  value?: string
}

export type KeychainReply = { id: number; ok: true; value?: string | null } | { id: number; ok: false; message: string }

/** A started helper process. */
export interface KeychainChild {
  readonly pid: number | undefined
  send(request: KeychainRequest): void
  onMessage(listener: (reply: KeychainReply) => void): void
  /** Called once, when the process exits or could not start. */
  onExit(listener: (reason: string) => void): void
  /** While nothing is pending the helper must not keep the app alive. */
  setBusy(busy: boolean): void
  kill(): void
}

export type KeychainLauncher = () => KeychainChild

/** The helper's entry: the built keychain-child.js beside this module, else the TypeScript source. */
export function keychainChildEntry(dir = fileURLToPath(new URL('.', import.meta.url))): string {
  const built = `${dir}keychain-child.js`
  return existsSync(built) ? built : `${dir}keychain-child.ts`
}

/** child_process.fork: the fork gets only stdio and its IPC channel, never the app's other fds. */
export function forkKeychainChild(entry = keychainChildEntry()): KeychainChild {
  const child = fork(entry, [], {
    // The source entry has only erasable TypeScript: Node strips the types itself.
    execArgv: entry.endsWith('.ts') ? ['--experimental-strip-types', '--disable-warning=ExperimentalWarning'] : [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    serialization: 'json'
  })
  let exited = false
  const exitListeners: Array<(reason: string) => void> = []
  const exit = (reason: string) => {
    if (exited) return
    exited = true
    for (const listener of exitListeners) listener(reason)
  }
  child.once('error', (err) => exit(`the keychain helper could not start: ${err.message}`))
  child.once('exit', (code, signal) => exit(`the keychain helper exited (${signal ?? `code ${code}`})`))
  return {
    pid: child.pid,
    send: (request) => void child.send(request),
    onMessage: (listener) => void child.on('message', (reply) => listener(reply as KeychainReply)),
    onExit: (listener) => void exitListeners.push(listener),
    setBusy(busy) {
      if (busy) {
        child.ref()
        child.channel?.ref()
      } else {
        child.unref()
        child.channel?.unref()
      }
    },
    kill: () => void child.kill('SIGKILL')
  }
}
