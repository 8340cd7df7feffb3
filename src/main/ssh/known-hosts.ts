/**
 * Host-key checking against OpenSSH known_hosts files (plain, `[host]:port`, wildcard patterns,
 * negations, hashed `|1|salt|hash` entries, `@revoked`) and the app's own store, which uses the same
 * format so an operator can read it or copy it into ~/.ssh/known_hosts.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { appendFile, mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { DropdeckError } from '../../shared/errors'
import { ensurePrivateDir } from '../storage/private-dir'

export type HostKeyVerdict =
  | { kind: 'known' }
  | { kind: 'unknown' }
  /** A key of the same type is on record for this host, and it is not this one; or this key is @revoked. */
  | { kind: 'mismatch'; file: string; line: number; revoked?: boolean }
  /**
   * No key of this type is on record, but keys of other types are (OpenSSH warns the same way): the
   * server stopped offering the recorded type, or someone in between offers another one.
   */
  | { kind: 'otherType'; knownTypes: string[] }

/** `SHA256:` + unpadded base64, as OpenSSH prints it. */
export function fingerprintSha256(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')
}

/** The key type at the start of an SSH public-key blob (`ssh-ed25519`, ...). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return ''
  const len = blob.readUInt32BE(0)
  return blob.subarray(4, 4 + len).toString('latin1')
}

/** How known_hosts names a host: `host`, or `[host]:port` off port 22. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`
}

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i')
  return re.test(name)
}

function hashedMatch(field: string, name: string): boolean {
  const [, magic, salt, hash] = field.split('|')
  if (magic !== '1' || !salt || !hash) return false
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash
}

/** Does a known_hosts host field (comma list, patterns, negations, or one hashed entry) name this host? */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|')) return hashedMatch(field, name)
  let matched = false
  for (const pattern of field.split(',')) {
    if (pattern.startsWith('!')) {
      if (globMatch(pattern.slice(1), name)) return false
    } else if (globMatch(pattern, name)) {
      matched = true
    }
  }
  return matched
}

export interface KnownHostsEntry {
  file: string
  line: number
  marker?: string
  hosts: string
  keyType: string
  key: Buffer
}

export function parseKnownHosts(text: string, file: string): KnownHostsEntry[] {
  const out: KnownHostsEntry[] = []
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim()
    if (!line || line.startsWith('#')) return
    const parts = line.split(/\s+/)
    const marker = parts[0].startsWith('@') ? parts.shift() : undefined
    if (parts.length < 3) return
    out.push({ file, line: i + 1, marker, hosts: parts[0], keyType: parts[1], key: Buffer.from(parts[2], 'base64') })
  })
  return out
}

/** Checks a presented key against entries for `name` (already in `[host]:port` form where needed). */
export function checkHostKey(entries: KnownHostsEntry[], name: string, keyBlob: Buffer): HostKeyVerdict {
  const type = keyTypeOf(keyBlob)
  let known = false
  let mismatch: HostKeyVerdict | undefined
  for (const e of entries) {
    if (e.marker === '@cert-authority' || !hostFieldMatches(e.hosts, name)) continue
    const same = e.key.equals(keyBlob)
    if (e.marker === '@revoked') {
      if (same) return { kind: 'mismatch', file: e.file, line: e.line, revoked: true }
      continue
    }
    if (same) known = true
    else if (e.keyType === type && !mismatch) mismatch = { kind: 'mismatch', file: e.file, line: e.line }
  }
  // As OpenSSH: a recorded key of the same type that differs wins over a match elsewhere only when no file matches.
  if (known) return { kind: 'known' }
  if (mismatch) return mismatch
  const knownTypes = keyTypesOnRecord(entries, name)
  return knownTypes.length ? { kind: 'otherType', knownTypes } : { kind: 'unknown' }
}

/** The key types on record for `name`, in file order (revoked keys and CAs do not count). */
export function keyTypesOnRecord(entries: KnownHostsEntry[], name: string): string[] {
  const types = new Set<string>()
  for (const e of entries) {
    if (e.marker === '@cert-authority' || e.marker === '@revoked' || !hostFieldMatches(e.hosts, name)) continue
    types.add(e.keyType)
  }
  return [...types]
}

/** The host-key algorithms that produce a key of each type (an RSA key signs as rsa-sha2-*). */
function algorithmsForKeyType(type: string): string[] {
  return type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type]
}

/**
 * The client's host-key algorithm list with the types on record first, as OpenSSH orders it: a host
 * recorded only with its RSA key is then asked for that key rather than for the ed25519 one it also has.
 * `supported` is the client's default order; types it cannot verify are left out.
 */
export function preferredHostKeyAlgorithms(recordedTypes: string[], supported: readonly string[]): string[] {
  const first = recordedTypes.flatMap(algorithmsForKeyType).filter((a) => supported.includes(a))
  return [...new Set([...first, ...supported])]
}

/** Reads every file that exists; unreadable ones count as empty (OpenSSH does the same). */
export async function loadKnownHosts(files: string[]): Promise<KnownHostsEntry[]> {
  const all = await Promise.all(
    files.map(async (f) => {
      try {
        return parseKnownHosts(await readFile(f, 'utf8'), f)
      } catch {
        return []
      }
    })
  )
  return all.flat()
}

/** A plain known_hosts name (`host` or `[host]:port`) that cannot be read as a pattern, a list or a hashed entry. */
export function isKnownHostsName(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  return name.length > 0 && !/[\s,*?!|#\x00-\x1f\x7f]/.test(name)
}

/** For messages: control characters shown as escapes, at most 100 characters. */
function printable(text: string): string {
  return JSON.stringify(text.slice(0, 100)).slice(1, -1)
}

/** The app's own known_hosts, in dataDir: keys the operator accepted in Dropdeck. */
export class AppKnownHosts {
  readonly file: string
  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'known_hosts')
  }

  /**
   * Appends `name keytype base64`. A name with whitespace, `,` or a pattern character would become a
   * pattern (`newbox,*` trusts the key for every host), so such names are refused.
   */
  async add(name: string, keyBlob: Buffer): Promise<void> {
    if (!isKnownHostsName(name)) {
      throw new DropdeckError('BAD_REQUEST', `"${printable(name)}" cannot be written to known_hosts: a host name has no spaces, commas or pattern characters (* ? ! | #). Fix the host's HostName or HostKeyAlias.`)
    }
    await ensurePrivateDir(path.dirname(this.file))
    await appendFile(this.file, `${name} ${keyTypeOf(keyBlob)} ${keyBlob.toString('base64')}\n`, { mode: 0o600 })
  }
}

/** A word for a POSIX shell: as is when it has nothing the shell reads specially, else single-quoted. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_./~:@%+=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

/**
 * The command that removes `name`'s entries from `file`, exactly as the entry was looked up (`[host]:port`
 * off port 22, the HostKeyAlias if set): `ssh-keygen -R odoo-erp-prod` does nothing when the entry is
 * `[127.0.0.3]:2222` in a UserKnownHostsFile. ssh-keygen -R also finds hashed entries by that name.
 */
export function removeEntryCommand(file: string, name: string): string {
  return `ssh-keygen -f ${shellWord(file)} -R ${shellWord(name)}`
}

/** `|1|salt|hmac` for `name`, as `ssh-keygen -H` (and HashKnownHosts yes) writes it. */
function hashedName(name: string): string {
  const salt = randomBytes(20)
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`
}

export interface CopiedKey {
  /** The known_hosts file written (or that already had the key). */
  file: string
  /** False when the file already named this key for the host. */
  added: boolean
  /** Written hashed, because the file already holds hashed entries. */
  hashed: boolean
}

/**
 * Copies the keys Dropdeck trusts for `name` (from its own store) into an OpenSSH known_hosts file, so a
 * plain `ssh` in a terminal stops asking about a host the operator already trusted here. Hashed if the
 * file already uses hashes (HashKnownHosts), so it does not start listing host names in the clear. Keys
 * already there for the name are not written twice; the file and its folder are created private if missing.
 */
export async function copyTrustedKeys(appFile: string, name: string, userFile: string): Promise<CopiedKey> {
  const trusted = (await loadKnownHosts([appFile])).filter((e) => !e.marker && hostFieldMatches(e.hosts, name))
  if (trusted.length === 0) {
    throw new DropdeckError('NOT_FOUND', `Dropdeck trusts no key for ${printable(name)} yet: connect to the host and trust its key first.`)
  }
  let text = ''
  try {
    text = await readFile(userFile, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new DropdeckError('PERMISSION_DENIED', `${userFile} cannot be read (${(err as Error).message}).`)
  }
  const existing = parseKnownHosts(text, userFile)
  const hashed = existing.some((e) => e.hosts.startsWith('|'))
  const missing = trusted.filter((t) => !existing.some((e) => !e.marker && e.key.equals(t.key) && hostFieldMatches(e.hosts, name)))
  if (missing.length === 0) return { file: userFile, added: false, hashed }
  const lines = missing.map((t) => `${hashed ? hashedName(name) : name} ${t.keyType} ${t.key.toString('base64')}\n`).join('')
  try {
    // A missing ~/.ssh is made private; an existing folder is the operator's and keeps its mode.
    await mkdir(path.dirname(userFile), { recursive: true, mode: 0o700 })
    await appendFile(userFile, (text && !text.endsWith('\n') ? '\n' : '') + lines, { mode: 0o600 })
  } catch (err) {
    throw new DropdeckError('PERMISSION_DENIED', `${userFile} cannot be written (${(err as Error).message}). Check its owner and mode.`)
  }
  return { file: userFile, added: true, hashed }
}
