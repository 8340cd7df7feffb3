/**
 * ssh_config with Include and Match, checked against what OpenSSH itself computes for the same file
 * on this machine (`ssh -G -F <file> <name>`): HostName, User, Port, IdentityFile, ServerAliveInterval,
 * ProxyJump. Relative Includes start in ~/.ssh (OpenSSH takes it from the passwd entry, so the test
 * writes a uniquely named folder there and removes it).
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readSshConfig, type SshConfigFile } from '../../src/main/ssh/host-config'

const hasSsh = (() => {
  try {
    execFileSync('ssh', ['-V'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

/** What OpenSSH computes: lowercased keys, repeated ones (identityfile) as lists. */
function sshG(configFile: string, name: string): Map<string, string[]> {
  const out = execFileSync('ssh', ['-G', '-F', configFile, name], { encoding: 'utf8' })
  const options = new Map<string, string[]>()
  for (const line of out.split('\n')) {
    const i = line.indexOf(' ')
    if (i < 0) continue
    const key = line.slice(0, i)
    options.set(key, [...(options.get(key) ?? []), line.slice(i + 1)])
  }
  return options
}

const home = os.homedir()
const tilde = (p: string) => (p.startsWith('~/') ? path.join(home, p.slice(2)) : p)

describe.skipIf(!hasSsh)('ssh_config Include and Match, as OpenSSH computes them', () => {
  const sshDir = path.join(home, '.ssh')
  const createdSshDir = !existsSync(sshDir)
  const fragments = `dd-include-test-${randomBytes(4).toString('hex')}`
  let dir: string
  let configFile: string
  let config: SshConfigFile

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dd-ssh-config-'))
    mkdirSync(path.join(sshDir, fragments), { recursive: true, mode: 0o700 })
    const frag = (name: string, text: string) => writeFileSync(path.join(sshDir, fragments, name), text)
    frag('10-ci.conf', 'Host ci\n    HostName ci.example.org\n    Port 2201\n')
    frag('20-staging.conf', 'Host staging staging-alt\n    HostName 10.0.2.9\n    ProxyJump jump\n')
    frag('jump-only.inc', 'User jumper\nHost behind-jump\n    HostName 198.51.100.2\n')
    frag('.hidden.conf', 'Host hidden\n    HostName 203.0.113.99\n')
    frag('web.inc', ['Port 8022', 'IdentityFile ~/.ssh/web_key', 'Host only-through-web', '    HostName 198.51.100.1', ''].join('\n'))
    const absolute = path.join(dir, 'absolute.conf')
    writeFileSync(absolute, 'Host abs\n    HostName 192.0.2.44\n    User absuser\n')
    configFile = path.join(dir, 'config')
    writeFileSync(
      configFile,
      [
        `Include ${fragments}/*.conf ${absolute}`,
        'Host web-1 web-2',
        '    HostName 10.0.0.%h',
        `    Include ${fragments}/web.inc`,
        'Host db-1',
        '    HostName 10.0.1.5',
        '    User postgres',
        'Host db-2',
        '    HostName 10.0.1.6',
        'Match host 10.0.1.* user postgres',
        '    Port 5433',
        '    IdentityFile ~/.ssh/db_key',
        'Match originalhost web-*,!web-2',
        '    User deploy',
        'Match host 10.0.0.* !user deploy',
        '    ServerAliveInterval 9',
        // Only in the second pass (Match final), where Host lines see the HostName.
        'Match final host ci.example.org',
        '    ProxyJump jump',
        'Host ci.example.org',
        '    User ci-bot',
        'Host jump',
        '    HostName 192.0.2.7',
        // Inside the jump block: for any other name its Host lines can never apply (SSHCONF_NEVERMATCH).
        `    Include ${fragments}/jump-only.inc`,
        'Host *',
        '    ServerAliveInterval 30',
        '    IdentityFile ~/.ssh/fallback_key',
        ''
      ].join('\n')
    )
    config = await readSshConfig(configFile)
  })

  afterAll(() => {
    rmSync(path.join(sshDir, fragments), { recursive: true, force: true })
    if (createdSshDir) rmSync(sshDir, { recursive: true, force: true })
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('lists the aliases of included files (relative to ~/.ssh, globbed in order, absolute too), not those behind a block that cannot apply', () => {
    // staging-alt is the same destination as staging (every option equal): listed once, by the first name.
    expect(config.hosts.map((h) => h.id)).toEqual(['ci', 'staging', 'abs', 'web-1', 'web-2', 'db-1', 'db-2', 'ci.example.org', 'jump'])
    expect([...config.sameAs]).toEqual([['staging-alt', 'staging']])
  })

  const names = ['ci', 'staging', 'staging-alt', 'web-1', 'web-2', 'db-1', 'db-2', 'jump', 'abs', 'only-through-web', 'behind-jump', 'hidden', '10.0.1.77', 'elsewhere.example.net']
  it.each(names)('computes %s as `ssh -G` does', (name) => {
    const theirs = sshG(configFile, name)
    const ours = config.compute(name)
    expect({ name, hostname: ours.hostname, user: ours.user, port: ours.port, identityFiles: ours.identityFiles, serverAliveInterval: ours.serverAliveInterval, proxyJump: ours.proxyJump ?? 'none' }).toEqual({
      name,
      hostname: theirs.get('hostname')![0],
      user: theirs.get('user')![0],
      port: Number(theirs.get('port')![0]),
      // OpenSSH appends its default key names when none is configured; Dropdeck has its own defaults (docs/api.md).
      identityFiles: theirs.get('identityfile')!.map(tilde),
      serverAliveInterval: Number(theirs.get('serveraliveinterval')![0]),
      proxyJump: theirs.get('proxyjump')?.[0] ?? 'none'
    })
  })

  it('never runs Match exec: it counts as not matching', async () => {
    const marker = path.join(dir, 'exec-ran')
    const file = path.join(dir, 'exec-config')
    writeFileSync(file, `Host box\n    HostName 192.0.2.50\nMatch exec "touch ${marker}"\n    User from-exec\n`)
    const withExec = await readSshConfig(file)
    expect(withExec.compute('box').user).not.toBe('from-exec')
    expect(existsSync(marker)).toBe(false)
  })
})
