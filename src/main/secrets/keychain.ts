/**
 * The OS keychain through @napi-rs/keyring: macOS Keychain, Windows Credential Manager, and the
 * Secret Service on Linux (gnome-keyring, KWallet). Tokens never leave this module except to the
 * provider clients in main; there is deliberately no plaintext fallback.
 */
import { DropdeckError } from '../../shared/errors'
import { forkKeychainChild, type KeychainChild, type KeychainLauncher, type KeychainRequest } from './keychain-process'

export const KEYCHAIN_SERVICE = 'dropdeck'

export interface Keychain {
  readonly backend: string
  get(account: string): Promise<string | null>
  set(account: string, value: string): Promise<void>
  delete(account: string): Promise<void>
  /** Stops the helper process, if there is one. */
  dispose?(): void
}

export function backendName(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'macOS Keychain'
  if (platform === 'win32') return 'Windows Credential Manager'
  return 'Secret Service (Linux)'
}

/** What to tell the operator when the keychain cannot be reached, per platform. */
export function unavailableMessage(cause: string, platform: NodeJS.Platform = process.platform): string {
  const fix =
    platform === 'linux'
      ? 'Dropdeck stores tokens only in a Secret Service. Install and unlock one (for example gnome-keyring: `apt install gnome-keyring`, then log in to a desktop session, or run `gnome-keyring-daemon --unlock --components=secrets` inside `dbus-run-session`) and try again.'
      : `Unlock the ${backendName(platform)} and try again.`
  return `The OS keychain is not available (${cause}). ${fix} Tokens are never written to disk in plaintext.`
}

export interface KeychainOptions {
  service?: string
  /** Starts the helper process; the headless host forks it, Electron uses utilityProcess. */
  launch?: KeychainLauncher
  /** A call with no answer after this long fails, and the helper is replaced. */
  timeoutMs?: number
}

/**
 * A call that waits longer than this is taken as hung. Generous: the Secret Service may be showing
 * an unlock prompt to the operator.
 */
export const KEYCHAIN_TIMEOUT_MS = 20_000

/**
 * Every keychain call runs in a helper process (keychain-child.ts), never on this thread: the Linux
 * backend blocks in select() and hangs for good once the process holds fd 1024 or higher. The
 * helper starts on first use; a call that outlives the timeout fails with KEYCHAIN_UNAVAILABLE and
 * the helper is killed, so the next call starts a fresh one.
 */
export function createKeychain(options: KeychainOptions | string = {}): Keychain & { dispose(): void } {
  if (typeof options === 'string') options = { service: options }
  const service = options.service ?? KEYCHAIN_SERVICE
  const launch = options.launch ?? (() => forkKeychainChild())
  const timeoutMs = options.timeoutMs ?? KEYCHAIN_TIMEOUT_MS
  const pending = new Map<number, { resolve: (value: string | null | undefined) => void; reject: (err: Error) => void; timer: NodeJS.Timeout }>()
  let child: KeychainChild | undefined
  let nextId = 1

  const failAll = (from: KeychainChild, cause: string) => {
    if (child !== from) return
    child = undefined
    for (const [id, call] of pending) {
      clearTimeout(call.timer)
      pending.delete(id)
      call.reject(unavailable(cause))
    }
  }

  const helper = (): KeychainChild => {
    if (child) return child
    const started = launch()
    started.onMessage((reply) => {
      const call = pending.get(reply.id)
      if (!call) return
      pending.delete(reply.id)
      clearTimeout(call.timer)
      if (pending.size === 0) started.setBusy(false)
      if (reply.ok) call.resolve(reply.value)
      else call.reject(unavailable(reply.message))
    })
    started.onExit((reason) => failAll(started, reason))
    child = started
    return started
  }

  const call = (op: KeychainRequest['op'], account: string, value?: string) =>
    new Promise<string | null | undefined>((resolve, reject) => {
      const id = nextId++
      let target: KeychainChild
      try {
        target = helper()
      } catch (err) {
        return reject(unavailable(`the keychain helper could not start: ${err instanceof Error ? err.message : String(err)}`))
      }
      const timer = setTimeout(() => {
        // A hung helper answers nothing more: fail everything it holds and start afresh next call.
        failAll(target, `no answer within ${Math.round(timeoutMs / 1000)} s; Dropdeck restarted its keychain helper`)
        target.kill()
      }, timeoutMs)
      pending.set(id, { resolve, reject, timer })
      target.setBusy(true)
      target.send({ id, op, service, account, ...(value === undefined ? {} : { value }) })
    })

  return {
    backend: backendName(),
    async get(account) {
      return (await call('get', account)) ?? null
    },
    async set(account, value) {
      await call('set', account, value)
    },
    async delete(account) {
      await call('delete', account)
    },
    dispose() {
      const current = child
      if (!current) return
      failAll(current, 'Dropdeck is shutting down')
      current.kill()
    }
  }
}

function unavailable(cause: string): DropdeckError {
  return new DropdeckError('KEYCHAIN_UNAVAILABLE', unavailableMessage(cause), { retryable: true })
}
