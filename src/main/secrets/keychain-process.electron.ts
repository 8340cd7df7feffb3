/**
 * The keychain helper under Electron: a utilityProcess (Electron's binary cannot run as plain Node,
 * the RunAsNode fuse is off). Chromium starts it with only the fds it maps, so the Secret Service
 * connection's fd number stays low whatever the app holds open.
 */
import { join } from 'node:path'
import { utilityProcess } from 'electron'
import type { KeychainChild, KeychainReply, KeychainRequest } from './keychain-process'

/** The helper is built beside the main bundle (electron.vite.config.ts, main input `keychain-child`). */
export function utilityKeychainChild(entry = join(__dirname, 'keychain-child.js')): KeychainChild {
  const child = utilityProcess.fork(entry, [], { serviceName: 'Dropdeck keychain', stdio: ['ignore', 'ignore', 'inherit'] })
  let exited = false
  const exitListeners: Array<(reason: string) => void> = []
  const exit = (reason: string) => {
    if (exited) return
    exited = true
    for (const listener of exitListeners) listener(reason)
  }
  // Messages wait for the spawn: the child's parentPort listens only once it runs.
  let queue: KeychainRequest[] | undefined = []
  child.once('spawn', () => {
    for (const request of queue ?? []) child.postMessage(request)
    queue = undefined
  })
  child.once('exit', (code) => exit(`the keychain helper exited (code ${code})`))
  child.once('error', (type, location) => exit(`the keychain helper crashed (${type} at ${location})`))
  return {
    get pid() {
      return child.pid
    },
    send: (request) => (queue ? queue.push(request) : child.postMessage(request)),
    onMessage: (listener) => void child.on('message', (reply: KeychainReply) => listener(reply)),
    onExit: (listener) => void exitListeners.push(listener),
    // Electron ends its utility processes when the app quits; there is nothing to unref.
    setBusy: () => undefined,
    kill: () => void child.kill()
  }
}
