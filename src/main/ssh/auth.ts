/**
 * Client authentication, in OpenSSH's order: the ssh-agent (SSH_AUTH_SOCK), then the identity files
 * (OpenSSH and PEM formats), then a password where the host takes one. A key with a passphrase is
 * used once the operator unlocked it (for the session, or kept in the OS keychain as
 * `ssh-passphrase:<keypath>`); a password once the operator gave it (for the session, or in the
 * keychain as `ssh-password:<user>@<host>:<port>`). A failed login never deletes a stored secret: a
 * stale passphrase simply stops being offered, a stale password is refused until the operator gives
 * a new one.
 */
import { readFile } from 'node:fs/promises'
// ssh2 is CommonJS whose named exports Node's ESM loader cannot see: take them from the default export.
import ssh2, { type AnyAuthMethod, type BaseAgent, type ParsedKey } from 'ssh2'
import { DropdeckError } from '../../shared/errors'
import { HOST_ADDRESS_HINT, isHostAddress } from '../../shared/contract/host-address'
import type { Keychain } from '../secrets/keychain'
import { chooseAgent } from './agent-choice'
import type { HostConfig } from './host-config'

// Keychain account names are read back by the OS keychain tools and by people: no control characters, and the
// parts of a login must not be able to spell another login's account.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/

export function passphraseAccount(keyPath: string): string {
  if (CONTROL.test(keyPath)) throw new DropdeckError('BAD_REQUEST', `The key path ${JSON.stringify(keyPath.slice(0, 200))} has control characters; rename the key file.`)
  return `ssh-passphrase:${keyPath}`
}

/** One password per login (user, address, port), whichever alias reaches it. */
export function passwordAccount(host: Pick<HostConfig, 'user' | 'hostname' | 'port'>): string {
  if (!isHostAddress(host.hostname)) throw new DropdeckError('BAD_REQUEST', `"${JSON.stringify(host.hostname.slice(0, 100)).slice(1, -1)}" is not ${HOST_ADDRESS_HINT}; no password is kept for it.`)
  if (!/^[^\s@:]+$/.test(host.user) || CONTROL.test(host.user)) throw new DropdeckError('BAD_REQUEST', `The user name ${JSON.stringify(host.user.slice(0, 100))} has spaces, "@", ":" or control characters; no password is kept for it.`)
  return `ssh-password:${host.user}@${host.hostname}:${host.port}`
}

const { createAgent, utils } = ssh2

type ParseResult = { key: ParsedKey } | { encrypted: true } | { invalid: string }

function parse(data: Buffer, passphrase?: string): ParseResult {
  const parsed = utils.parseKey(data, passphrase) as ParsedKey | ParsedKey[] | Error
  if (parsed instanceof Error) {
    if (passphrase === undefined && /encrypted|passphrase/i.test(parsed.message)) return { encrypted: true }
    return { invalid: parsed.message }
  }
  return { key: Array.isArray(parsed) ? parsed[0] : parsed }
}

/** Makes an agent offer only the listed public keys (IdentitiesOnly with IdentityFile, as OpenSSH does). */
function onlyKeys(agent: BaseAgent, allowed: Buffer[]): BaseAgent {
  const getIdentities = agent.getIdentities.bind(agent) as (cb: (err: Error | undefined, keys?: unknown[]) => void) => void
  ;(agent as { getIdentities: typeof getIdentities }).getIdentities = (cb) =>
    getIdentities((err, keys) => {
      if (err || !keys) return cb(err, keys)
      cb(undefined, keys.filter((k) => typeof k === 'object' && k !== null && 'getPublicSSH' in k && allowed.some((a) => a.equals((k as ParsedKey).getPublicSSH()))))
    })
  return agent
}

export interface AuthPlan {
  /** Agent and keys, in order; the password (if any) is offered after them by AuthAttempt. */
  methods: AnyAuthMethod[]
  /** The password the operator gave for this login, if any. */
  password?: string
  /** Identity files that exist but need a passphrase nobody gave yet. */
  locked: string[]
  /** What was tried, in the operator's words, for the failure message. */
  described: string[]
}

export class KeyAuth {
  private readonly passphrases = new Map<string, string>()
  private readonly passwords = new Map<string, string>()

  constructor(private readonly deps: { keychain?: Keychain; env: NodeJS.ProcessEnv; platform?: NodeJS.Platform }) {}

  private async passphraseFor(keyPath: string): Promise<string | undefined> {
    const cached = this.passphrases.get(keyPath)
    if (cached !== undefined) return cached
    try {
      return (await this.deps.keychain?.get(passphraseAccount(keyPath))) ?? undefined
    } catch {
      return undefined // a locked or missing keychain is the same as no stored passphrase
    }
  }

  /** Checks the passphrase against the key before keeping it; remember stores it in the keychain too. */
  async unlock(keyPath: string, passphrase: string, remember: boolean): Promise<void> {
    let data: Buffer
    try {
      data = await readFile(keyPath)
    } catch {
      throw new DropdeckError('NOT_FOUND', `The key file ${keyPath} cannot be read.`)
    }
    const parsed = parse(data, passphrase)
    if (!('key' in parsed)) {
      throw new DropdeckError('AUTH_FAILED', `That passphrase does not unlock ${keyPath}. Try again.`, { data: { needsPassphrase: keyPath, wrongPassphrase: true } })
    }
    this.passphrases.set(keyPath, passphrase)
    if (remember) {
      if (!this.deps.keychain) throw new DropdeckError('KEYCHAIN_UNAVAILABLE', 'No keychain is configured; the passphrase is kept for this session only.')
      await this.deps.keychain.set(passphraseAccount(keyPath), passphrase)
    }
  }

  /**
   * Keeps the password for this login (the next connection offers it); `remember` also stores it in
   * the keychain. It cannot be checked without logging in: a wrong one shows as AUTH_FAILED then.
   */
  async setPassword(host: HostConfig, password: string, remember: boolean): Promise<void> {
    this.passwords.set(passwordAccount(host), password)
    if (remember) {
      if (!this.deps.keychain) throw new DropdeckError('KEYCHAIN_UNAVAILABLE', 'No keychain is configured; the password is kept for this session only.')
      await this.deps.keychain.set(passwordAccount(host), password)
    }
  }

  private async passwordFor(host: HostConfig): Promise<string | undefined> {
    const account = passwordAccount(host)
    const cached = this.passwords.get(account)
    if (cached !== undefined) return cached
    try {
      return (await this.deps.keychain?.get(account)) ?? undefined
    } catch {
      return undefined // a locked or missing keychain is the same as no stored password
    }
  }

  async plan(host: HostConfig): Promise<AuthPlan> {
    const username = host.user
    const keys: { path: string; key: ParsedKey }[] = []
    const locked: string[] = []
    const publicBlobs: Buffer[] = []
    for (const file of host.identityFiles) {
      let data: Buffer
      try {
        data = await readFile(file)
      } catch {
        continue // OpenSSH skips identity files that do not exist
      }
      const pub = await readFile(`${file}.pub`, 'utf8').then((t) => Buffer.from(t.trim().split(/\s+/)[1] ?? '', 'base64')).catch(() => undefined)
      let parsed = parse(data)
      if ('encrypted' in parsed) {
        const passphrase = await this.passphraseFor(file)
        parsed = passphrase === undefined ? parsed : parse(data, passphrase)
        if (!('key' in parsed)) {
          locked.push(file)
          if (pub?.length) publicBlobs.push(pub)
          continue
        }
      }
      if ('key' in parsed) {
        keys.push({ path: file, key: parsed.key })
        publicBlobs.push(parsed.key.getPublicSSH())
      }
    }
    const methods: AnyAuthMethod[] = []
    const described: string[] = []
    const choice = chooseAgent({ platform: this.deps.platform ?? process.platform, env: this.deps.env })
    if (choice) {
      const agent = createAgent(choice.kind === 'pageant' ? 'pageant' : choice.path)
      // IdentitiesOnly: the agent may only sign with the configured keys (it holds them unlocked).
      methods.push({ type: 'agent', username, agent: host.identitiesOnly ? onlyKeys(agent, publicBlobs) : agent })
      described.push(choice.label)
    }
    for (const { path, key } of keys) {
      methods.push({ type: 'publickey', username, key })
      described.push(path)
    }
    const password = await this.passwordFor(host)
    if (password !== undefined) described.push('the password')
    return { methods, locked, described, ...(password !== undefined ? { password } : {}) }
  }
}
