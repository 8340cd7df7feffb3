/**
 * The OS keychain through @napi-rs/keyring: macOS Keychain, Windows Credential Manager, and the
 * Secret Service on Linux (gnome-keyring, KWallet). Tokens never leave this module except to the
 * provider clients in main; there is deliberately no plaintext fallback.
 */
import { AsyncEntry } from '@napi-rs/keyring'
import { DropdeckError } from '../../shared/errors'

export const KEYCHAIN_SERVICE = 'dropdeck'

export interface Keychain {
  readonly backend: string
  get(account: string): Promise<string | null>
  set(account: string, value: string): Promise<void>
  delete(account: string): Promise<void>
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

export function createKeychain(service = KEYCHAIN_SERVICE): Keychain {
  const entry = (account: string) => new AsyncEntry(service, account)
  return {
    backend: backendName(),
    async get(account) {
      return guard(() => entry(account).getPassword())
    },
    async set(account, value) {
      await guard(() => entry(account).setPassword(value))
    },
    async delete(account) {
      await guard(() => entry(account).deletePassword())
    }
  }
}

async function guard<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op()
  } catch (err) {
    const cause = (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 300)
    throw new DropdeckError('KEYCHAIN_UNAVAILABLE', unavailableMessage(cause), { retryable: true })
  }
}
