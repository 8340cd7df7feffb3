/**
 * What Dropdeck needs to reach one host, whichever source it came from (ssh_config, a droplet, or
 * added by hand), and the reading of ~/.ssh/config into it (evaluated as OpenSSH does, with Include
 * and Match: ssh-config-eval.ts).
 */
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { evaluateConfig, literalAliases, loadConfigTree, type Computed, type LoadOptions } from './ssh-config-eval'

export interface LocalForward {
  localPort: number
  remoteHost: string
  remotePort: number
}

export interface HostConfig {
  id: string
  name: string
  hostname: string
  port: number
  user: string
  source: 'ssh-config' | 'droplet' | 'manual'
  /** Absolute paths, ~ and %-tokens expanded. */
  identityFiles: string[]
  identitiesOnly: boolean
  proxyJump?: string
  /** `http://user:pass@host:port` or `socks5://host:port`; from the host, ProxyCommand `nc -X`, or DROPDECK_SSH_PROXY. */
  proxy?: string
  localForwards: LocalForward[]
  /** Seconds; Dropdeck defaults to 15 (OpenSSH: 0, which never notices a silent dead peer). */
  serverAliveInterval: number
  serverAliveCountMax: number
  knownHostsFiles: string[]
  hostKeyAlias?: string
  /** As written; Dropdeck still asks about unknown keys when it is `no` (see docs/api.md). */
  strictHostKeyChecking?: string
}

export const DEFAULT_SERVER_ALIVE_INTERVAL = 15
export const DEFAULT_SERVER_ALIVE_COUNT_MAX = 3
export const DEFAULT_IDENTITY_NAMES = ['id_ed25519', 'id_ecdsa', 'id_rsa']

export function defaultSshConfigPath(env: NodeJS.ProcessEnv): string {
  return env.DROPDECK_SSH_CONFIG?.trim() || path.join(os.homedir(), '.ssh', 'config')
}

function localUser(): string {
  try {
    return os.userInfo().username
  } catch {
    return 'root'
  }
}

/** `~` and the %-tokens OpenSSH expands in IdentityFile and UserKnownHostsFile. */
export function expandPath(p: string, tokens: { host: string; user: string; port: number; alias: string }): string {
  const home = os.homedir()
  let out = p.replace(/%([%dhruinp])/g, (_m, t: string) => {
    switch (t) {
      case '%': return '%'
      case 'd': return home
      case 'h': return tokens.host
      case 'r': return tokens.user
      case 'u': return localUser()
      case 'n': return tokens.alias
      case 'p': return String(tokens.port)
      default: return _m
    }
  })
  if (out === '~') out = home
  else if (out.startsWith('~/')) out = path.join(home, out.slice(2))
  return path.resolve(out)
}

/** `5000 localhost:5000`, `127.0.0.1:5000 [::1]:5000` -> {localPort, remoteHost, remotePort}. */
export function parseLocalForward(value: string): LocalForward | undefined {
  const [local, remote] = value.trim().split(/\s+/)
  if (!local || !remote) return undefined
  const localPort = Number(local.slice(local.lastIndexOf(':') + 1))
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(remote)
  if (!m || !Number.isInteger(localPort) || localPort < 1 || localPort > 65535) return undefined
  const remotePort = Number(m[2])
  if (remotePort < 1 || remotePort > 65535) return undefined
  return { localPort, remoteHost: m[1], remotePort }
}

/**
 * `ProxyCommand nc -X connect -x proxy:3128 %h %p` (and `-X 5`) is how OpenSSH users route through a
 * corporate proxy; Dropdeck speaks those two itself. Other ProxyCommands are not run.
 */
export function proxyFromProxyCommand(command: string | undefined): string | undefined {
  if (!command) return undefined
  const m = /\b(?:nc|ncat|netcat)\b.*?-X\s*(connect|5|4)\b.*?-x\s*(\S+)/.exec(command) ?? /\b(?:nc|ncat|netcat)\b.*?-x\s*(\S+).*?-X\s*(connect|5|4)\b/.exec(command)
  if (!m) return undefined
  const [kind, addr] = m[1] === 'connect' || m[1] === '5' || m[1] === '4' ? [m[1], m[2]] : [m[2], m[1]]
  if (kind === '4') return undefined
  const withPort = /:\d+$/.test(addr) ? addr : `${addr}:${kind === 'connect' ? 3128 : 1080}`
  return kind === 'connect' ? `http://${withPort}` : `socks5://${withPort}`
}

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v)
const many = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])

function intOr(v: string | undefined, fallback: number): number {
  const n = Number(v)
  return v !== undefined && Number.isInteger(n) && n >= 0 ? n : fallback
}

/** Turns the computed options for one name into a HostConfig. Also used for ProxyJump hops that are not aliases. */
export function hostFromComputed(alias: string, c: Computed, source: HostConfig['source']): HostConfig {
  const hostname = (one(c.HostName) ?? alias).replace(/%h/g, alias)
  const user = one(c.User) ?? localUser()
  const port = intOr(one(c.Port), 22)
  const tokens = { host: hostname, user, port, alias }
  const identityFiles = many(c.IdentityFile).map((f) => expandPath(f, tokens))
  const knownHosts = many(c.UserKnownHostsFile).flatMap((v) => v.split(/\s+/)).filter((f) => f && f !== 'none')
  const proxyJump = one(c.ProxyJump)
  return {
    id: alias,
    name: alias,
    hostname,
    port,
    user,
    source,
    identityFiles: identityFiles.length ? identityFiles : DEFAULT_IDENTITY_NAMES.map((n) => path.join(os.homedir(), '.ssh', n)),
    identitiesOnly: /^yes$/i.test(one(c.IdentitiesOnly) ?? ''),
    ...(proxyJump && !/^none$/i.test(proxyJump) ? { proxyJump } : {}),
    ...(proxyFromProxyCommand(one(c.ProxyCommand)) ? { proxy: proxyFromProxyCommand(one(c.ProxyCommand)) } : {}),
    localForwards: many(c.LocalForward).map(parseLocalForward).filter((f): f is LocalForward => f !== undefined),
    serverAliveInterval: intOr(one(c.ServerAliveInterval), DEFAULT_SERVER_ALIVE_INTERVAL) || DEFAULT_SERVER_ALIVE_INTERVAL,
    serverAliveCountMax: intOr(one(c.ServerAliveCountMax), DEFAULT_SERVER_ALIVE_COUNT_MAX),
    knownHostsFiles: (knownHosts.length ? knownHosts : ['~/.ssh/known_hosts', '~/.ssh/known_hosts2']).map((f) => expandPath(f, tokens)),
    ...(one(c.HostKeyAlias) ? { hostKeyAlias: one(c.HostKeyAlias) } : {}),
    ...(one(c.StrictHostKeyChecking) ? { strictHostKeyChecking: one(c.StrictHostKeyChecking) } : {})
  }
}

export interface SshConfigFile {
  hosts: HostConfig[]
  /** Names left out of `hosts` because they are the same destination as a listed one: name -> listed id. */
  sameAs: Map<string, string>
  /** Options for any name, as OpenSSH would compute them (for ProxyJump hops given as user@host:port). */
  compute(name: string): HostConfig
}

/** Reads an ssh_config and what it includes; a missing file is an empty one. */
export async function readSshConfig(file: string, options: LoadOptions = {}): Promise<SshConfigFile> {
  let text = ''
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  return parseSshConfig(text, file, options)
}

/**
 * The hosts of a config: every alias a `Host` line names literally and that line applies to it (not
 * one inside an Include that a non-matching block reached), with the options OpenSSH would use.
 */
export function parseSshConfig(text: string, file = path.join(os.homedir(), '.ssh', 'config'), options: LoadOptions = {}): SshConfigFile {
  const tree = loadConfigTree(text, file, options)
  const user = localUser()
  const hosts: HostConfig[] = []
  const seen = new Map<string, string>()
  const sameAs = new Map<string, string>()
  for (const alias of literalAliases(tree)) {
    const { computed, named } = evaluateConfig(tree, alias, user)
    if (!named) continue
    const host = hostFromComputed(alias, computed, 'ssh-config')
    // `Host prod 203.0.113.7` names one machine twice: list it once, by its first name. Names whose
    // every option comes out the same are the same destination; the others still resolve when dialled.
    const { id: _id, name: _name, ...destination } = host
    const key = JSON.stringify(destination)
    const first = seen.get(key)
    if (first !== undefined) {
      sameAs.set(alias, first)
      continue
    }
    seen.set(key, alias)
    hosts.push(host)
  }
  return {
    hosts,
    sameAs,
    compute: (name) => hostFromComputed(name, evaluateConfig(tree, name, user).computed, 'ssh-config')
  }
}
