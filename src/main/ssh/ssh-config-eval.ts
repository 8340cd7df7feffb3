/**
 * ssh_config evaluated the way OpenSSH's readconf.c does, for the options Dropdeck reads:
 *
 * - `Include`: each argument a path or glob (`~` expanded; relative to ~/.ssh, as for the user's
 *   config and `ssh -F`), files in lexical order, nested up to 16 deep, a file never inside itself.
 *   An included file starts in the block state of the line that includes it; included from a block
 *   that does not apply, none of its `Host`/`Match` lines can apply either (SSHCONF_NEVERMATCH).
 * - `Host` patterns (`*`, `?`, `!negated`) against the name as given; `Match` with `all`, `host`
 *   (the HostName once set, else the name), `originalhost` (the name), `user` (the User once set,
 *   else the local user), `localuser`, `final`, `canonical`, each negatable with `!`, and comma
 *   pattern lists. `Match final` asks for a second pass with the HostName as the name, where
 *   `final` and `canonical` hold; values from the first pass stay (the first value wins).
 * - `Match exec` is never run (Dropdeck does not execute commands from ssh_config to list hosts):
 *   it counts as not matching. Unknown criteria do not match either.
 *
 * The ssh-config package parses the lines; only its parser is used.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import SSHConfig, { LineType, type Line } from 'ssh-config'

export type Computed = Record<string, string | string[] | undefined>

type Node =
  | { kind: 'directive'; key: string; name: string; values: string[] }
  | { kind: 'host'; patterns: string[] }
  | { kind: 'match'; criteria: Criterion[] }
  | { kind: 'include'; files: ConfigFileNode[] }

interface Criterion {
  negate: boolean
  keyword: string
  arg?: string
}

export interface ConfigFileNode {
  path: string
  nodes: Node[]
}

const MAX_INCLUDE_DEPTH = 16
/** Options that accumulate over every matching line; the others keep their first value. */
const ACCUMULATE = new Set(['identityfile', 'certificatefile', 'localforward', 'remoteforward', 'dynamicforward', 'sendenv'])
/** Spelled as hostFromComputed reads them, whatever case the file uses. */
const CANONICAL = new Map(
  ['HostName', 'User', 'Port', 'IdentityFile', 'IdentitiesOnly', 'ProxyJump', 'ProxyCommand', 'LocalForward', 'ServerAliveInterval', 'ServerAliveCountMax', 'UserKnownHostsFile', 'HostKeyAlias', 'StrictHostKeyChecking'].map((n) => [n.toLowerCase(), n])
)
const NO_ARGUMENT = new Set(['all', 'canonical', 'final'])

type LineValue = string | { val: string; separator: string; quoted?: boolean }[]
/** Options whose value is a command line: kept whole, quotes and all (as ssh-config's compute does). */
const COMMAND = new Set(['proxycommand', 'localcommand', 'remotecommand', 'knownhostscommand'])

/**
 * A directive's arguments. The parser gives one string for single-value options (kept whole:
 * `LocalForward 5000 localhost:5000` is one value) and a list for multi-value ones; `split` breaks a
 * string into words where the option is a list (Host, Include).
 */
function lineValues(value: LineValue, split = false): string[] {
  if (Array.isArray(value)) return value.map((v) => v.val)
  return split ? value.trim().split(/\s+/).filter(Boolean) : [value]
}

function commandValue(value: LineValue): string {
  if (!Array.isArray(value)) return value
  return value.map((v) => `${v.separator}${v.quoted ? `"${v.val.replace(/"/g, '\\"')}"` : v.val}`).join('').trim()
}

/** `*` and `?` over a whole string. */
function globRegExp(pattern: string, flags = ''): RegExp {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${source}$`, flags)
}

/** Files matching a path whose components may hold `*`/`?`, sorted as glob(3) does. */
function globFiles(pattern: string): string[] {
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0)
  let found = [parts[0] === '' ? '/' : '.']
  for (const part of parts[0] === '' ? parts.slice(1) : parts) {
    const next: string[] = []
    for (const dir of found) {
      if (!/[*?]/.test(part)) {
        next.push(path.join(dir, part))
        continue
      }
      let names: string[]
      try {
        names = readdirSync(dir)
      } catch {
        continue
      }
      const re = globRegExp(part)
      // As glob(3): a wildcard does not match a leading dot.
      for (const n of names.sort()) if (re.test(n) && !(n.startsWith('.') && !part.startsWith('.'))) next.push(path.join(dir, n))
    }
    found = next
  }
  return found.filter((f) => {
    try {
      return statSync(f).isFile()
    } catch {
      return false
    }
  })
}

export interface LoadOptions {
  /** Where relative Include paths start (OpenSSH: ~/.ssh for the user's config and `ssh -F`). */
  includeBase?: string
  home?: string
}

/** Parses a config text and everything it includes into one tree (reads the included files now). */
export function loadConfigTree(text: string, file: string, options: LoadOptions = {}): ConfigFileNode {
  const home = options.home ?? os.homedir()
  const base = options.includeBase ?? path.join(home, '.ssh')
  const parseInto = (source: string, filePath: string, stack: string[]): ConfigFileNode => {
    const nodes: Node[] = []
    const add = (line: Line) => {
      if (line.type !== LineType.DIRECTIVE) return
      const key = line.param.toLowerCase()
      if (key === 'host') {
        nodes.push({ kind: 'host', patterns: lineValues(line.value as LineValue, true) })
      } else if (key === 'match') {
        nodes.push({ kind: 'match', criteria: parseCriteria(lineValues(line.value as LineValue, true)) })
      } else if (key === 'include') {
        const files: ConfigFileNode[] = []
        if (stack.length < MAX_INCLUDE_DEPTH) {
          for (const arg of lineValues(line.value as LineValue, true)) {
            const expanded = arg === '~' ? home : arg.startsWith('~/') ? path.join(home, arg.slice(2)) : arg
            const pattern = path.isAbsolute(expanded) ? expanded : path.join(base, expanded)
            for (const f of globFiles(pattern)) {
              if (stack.includes(f)) continue // a file inside itself: OpenSSH stops at the depth limit, Dropdeck at once
              let included: string
              try {
                included = readFileSync(f, 'utf8')
              } catch {
                continue
              }
              files.push(parseInto(included, f, [...stack, f]))
            }
          }
        }
        nodes.push({ kind: 'include', files })
      } else {
        const value = line.value as LineValue
        nodes.push({ kind: 'directive', key, name: CANONICAL.get(key) ?? line.param, values: COMMAND.has(key) ? [commandValue(value)] : lineValues(value) })
      }
      if ('config' in line) for (const sub of line.config) add(sub)
    }
    for (const line of SSHConfig.parse(source)) add(line)
    return { path: filePath, nodes }
  }
  return parseInto(text, path.resolve(file), [path.resolve(file)])
}

function parseCriteria(tokens: string[]): Criterion[] {
  const out: Criterion[] = []
  for (let i = 0; i < tokens.length; i++) {
    const raw = tokens[i]
    const negate = raw.startsWith('!')
    const keyword = (negate ? raw.slice(1) : raw).toLowerCase()
    if (NO_ARGUMENT.has(keyword)) out.push({ negate, keyword })
    else out.push({ negate, keyword, arg: tokens[++i] ?? '' })
  }
  return out
}

/** OpenSSH's match_pattern_list: 1 a pattern matched, -1 a negated one did, 0 none. */
function patternList(value: string, list: string[], ignoreCase: boolean): number {
  let matched = 0
  for (const raw of list) {
    const negated = raw.startsWith('!')
    const pattern = negated ? raw.slice(1) : raw
    if (globRegExp(pattern, ignoreCase ? 'i' : '').test(value)) {
      if (negated) return -1
      matched = 1
    }
  }
  return matched
}

export interface Evaluation {
  computed: Computed
  /** A `Host` line naming this alias literally applied (it is a host of the file, not just a pattern's). */
  named: boolean
}

/** The options OpenSSH would use for `name`, from a loaded tree. */
export function evaluateConfig(tree: ConfigFileNode, name: string, localUser: string): Evaluation {
  const values = new Map<string, { name: string; value: string[] }>()
  let named = false
  let wantFinal = false
  const set = (key: string, canonical: string, v: string[]) => {
    const have = values.get(key)
    // Repeats add up, without duplicates (OpenSSH's add_identity_file and add_local_forward skip them).
    if (ACCUMULATE.has(key)) values.set(key, { name: canonical, value: [...new Set([...(have?.value ?? []), ...v])] })
    else if (!have) values.set(key, { name: canonical, value: v })
  }
  const first = (key: string) => values.get(key)?.value[0]

  const walk = (file: ConfigFileNode, host: string, final: boolean, entered: boolean, neverMatch: boolean) => {
    let active = entered
    for (const node of file.nodes) {
      if (node.kind === 'host') {
        active = !neverMatch && patternList(host, node.patterns, false) === 1
        if (active && node.patterns.includes(name)) named = true
      } else if (node.kind === 'match') {
        active = !neverMatch && node.criteria.every((c) => criterion(c, host, final) !== c.negate)
      } else if (node.kind === 'include') {
        for (const f of node.files) walk(f, host, final, active, neverMatch || !active)
      } else if (active) {
        set(node.key, node.name, node.values)
      }
    }
  }
  const criterion = (c: Criterion, host: string, final: boolean): boolean => {
    switch (c.keyword) {
      case 'all':
        return true
      case 'final':
        if (!final) wantFinal = true
        return final
      case 'canonical':
        return final
      case 'host': {
        const hostName = first('hostname')
        return patternList(hostName ? hostName.replace(/%h/g, name) : host, (c.arg ?? '').split(','), true) === 1
      }
      case 'originalhost':
        return patternList(name, (c.arg ?? '').split(','), true) === 1
      case 'user':
        return patternList(first('user') ?? localUser, (c.arg ?? '').split(','), false) === 1
      case 'localuser':
        return patternList(localUser, (c.arg ?? '').split(','), false) === 1
      default:
        return false // exec (never run), and criteria this evaluator does not know
    }
  }

  walk(tree, name, false, true, false)
  if (wantFinal) {
    const hostName = first('hostname')
    walk(tree, hostName ? hostName.replace(/%h/g, name) : name, true, true, false)
  }
  const computed: Computed = {}
  for (const { name: key, value } of values.values()) computed[key] = value.length === 1 && !ACCUMULATE.has(key.toLowerCase()) ? value[0] : value
  return { computed, named }
}

/** Every literal (non-pattern) alias on a Host line anywhere in the tree, in file order. */
export function literalAliases(tree: ConfigFileNode): string[] {
  const out: string[] = []
  const visit = (file: ConfigFileNode) => {
    for (const node of file.nodes) {
      if (node.kind === 'host') for (const p of node.patterns) if (!/[*?!]/.test(p) && !out.includes(p)) out.push(p)
      if (node.kind === 'include') node.files.forEach(visit)
    }
  }
  visit(tree)
  return out
}
