/**
 * Password logins against real sshd: a test user with a real password (useradd + chpasswd, removed
 * afterwards), one sshd taking `password` and one taking `keyboard-interactive` through PAM. The
 * password is asked for once, kept through reconnects, optionally in the keychain, and a refused
 * login never deletes what is stored.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { passwordAccount } from '../../src/main/ssh/auth'
import { descendants } from '../fleet/proc'
import { startDroplets, type Droplets, type DropletServer } from '../fleet/sshd'
import { createSshEnv, hostBlock, memoryKeychain, rejection, waitUntil, type SshEnv } from './support/ssh-env'

const canRun = existsSync('/usr/sbin/sshd') && process.getuid?.() === 0 && existsSync('/usr/sbin/useradd')
const USER = `ddpw${randomBytes(3).toString('hex')}`

function setServerPassword(password: string): void {
  execFileSync('chpasswd', { input: `${USER}:${password}\n` })
}

describe.skipIf(!canRun)('password logins', () => {
  let dir: string
  const fleets: Droplets[] = []
  let pw: DropletServer
  let kbd: DropletServer
  let keysOnly: DropletServer
  let config: string
  const envs: SshEnv[] = []
  const newEnv = (keychain = memoryKeychain()) => {
    const env = createSshEnv(config, { keychain })
    envs.push(env)
    return env
  }

  beforeAll(async () => {
    execFileSync('useradd', ['--no-create-home', '--shell', '/bin/sh', USER])
    setServerPassword('first-Secret-1')
    dir = mkdtempSync(path.join(os.tmpdir(), 'dd-ssh-pw-'))
    const start = async (name: string, baseAddress: string, passwordLogins?: 'password' | 'keyboard-interactive') => {
      const fleet = await startDroplets({ count: 1, names: [name], dir: path.join(dir, name), port: 'auto', baseAddress, user: USER, ...(passwordLogins ? { passwordLogins } : {}) })
      fleets.push(fleet)
      return fleet.droplets[0]
    }
    ;[pw, kbd, keysOnly] = await Promise.all([start('pw', '127.0.47.10', 'password'), start('kbd', '127.0.48.10', 'keyboard-interactive'), start('keys', '127.0.47.11')])
    const knownHosts = path.join(dir, 'known_hosts')
    writeFileSync(knownHosts, [pw, kbd, keysOnly].map((d) => `[${d.host}]:${d.port} ${d.hostPublicKey}`).join('\n') + '\n')
    // No agent (the env has no SSH_AUTH_SOCK) and a key file that does not exist: only a password can get in.
    const noKey = [`IdentityFile ${path.join(dir, 'no_such_key')}`, 'IdentitiesOnly yes', `UserKnownHostsFile ${knownHosts}`]
    config = [hostBlock('pw', pw, noKey), hostBlock('kbd', kbd, noKey), hostBlock('keys', keysOnly, noKey)].join('\n')
  })

  afterAll(async () => {
    for (const env of envs) await env.close()
    for (const fleet of fleets) await fleet.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
    try {
      execFileSync('userdel', [USER])
    } catch {
      // never created
    }
  })

  it('asks for the password where the host takes one, connects with it, and keeps it through a reconnect', async () => {
    const env = newEnv()
    const err = await rejection(env.call('hosts.connect', { hostId: 'pw' }))
    expect(err.code).toBe('AUTH_FAILED')
    expect(err.data).toEqual({ hostId: 'pw', needsPassword: true, user: USER })
    expect(err.message).toContain('takes a password')

    expect(await env.call('hosts.setPassword', { hostId: 'pw', password: 'first-Secret-1' })).toEqual({ saved: true, remembered: false })
    expect((await env.call('hosts.connect', { hostId: 'pw' })).state).toBe('connected')
    expect((await env.ssh.exec('pw', 'id -un')).stdout.trim()).toBe(USER)

    // The session dies; it comes back by itself with the same password, nobody asked again.
    for (const pid of descendants(pw.pid)) process.kill(pid, 'SIGKILL')
    await waitUntil(() => env.events.some((e) => e.event === 'hosts.changed' && (e.payload as { state: string }).state === 'reconnecting'), 5000, 'the drop')
    await waitUntil(async () => (await env.call('hosts.list', {})).find((h) => h.id === 'pw')?.state === 'connected', 10_000, 'the reconnect')
    expect((await env.ssh.exec('pw', 'echo back')).stdout.trim()).toBe('back')
  })

  it('refuses a wrong password, and a failed login never deletes the stored one', async () => {
    const keychain = memoryKeychain()
    const env = newEnv(keychain)
    const account = passwordAccount({ user: USER, hostname: pw.host, port: pw.port })
    expect(await env.call('hosts.setPassword', { hostId: 'pw', password: 'first-Secret-1', remember: true })).toEqual({ saved: true, remembered: true })
    expect(keychain.store.get(account)).toBe('first-Secret-1')
    expect((await env.call('hosts.connect', { hostId: 'pw' })).state).toBe('connected')
    await env.call('hosts.disconnect', { hostId: 'pw' })

    setServerPassword('second-Secret-2') // changed on the server
    try {
      const err = await rejection(env.call('hosts.connect', { hostId: 'pw' }))
      expect(err.code).toBe('AUTH_FAILED')
      expect(err.data).toMatchObject({ needsPassword: true, wrongPassword: true })
      expect(err.message).toMatch(/refused the password.*stored one is kept/)
      expect(keychain.store.get(account)).toBe('first-Secret-1')

      // A new session (the app restarted) takes it from the keychain, is refused, and still keeps it.
      const later = newEnv(keychain)
      expect((await rejection(later.call('hosts.connect', { hostId: 'pw' }))).data).toMatchObject({ wrongPassword: true })
      expect(keychain.store.get(account)).toBe('first-Secret-1')

      // Only the operator replaces it.
      await later.call('hosts.setPassword', { hostId: 'pw', password: 'second-Secret-2', remember: true })
      expect((await later.call('hosts.connect', { hostId: 'pw' })).state).toBe('connected')
      expect(keychain.store.get(account)).toBe('second-Secret-2')
    } finally {
      setServerPassword('first-Secret-1')
    }
  })

  it('answers a keyboard-interactive password prompt (PAM) with the password', async () => {
    const env = newEnv()
    const err = await rejection(env.call('hosts.connect', { hostId: 'kbd' }))
    expect(err.data).toMatchObject({ needsPassword: true })
    await env.call('hosts.setPassword', { hostId: 'kbd', password: 'wrong-one' })
    expect((await rejection(env.call('hosts.connect', { hostId: 'kbd' }))).data).toMatchObject({ needsPassword: true, wrongPassword: true })
    await env.call('hosts.setPassword', { hostId: 'kbd', password: 'first-Secret-1' })
    expect((await env.call('hosts.connect', { hostId: 'kbd' })).state).toBe('connected')
    expect((await env.ssh.exec('kbd', 'id -un')).stdout.trim()).toBe(USER)
  })

  it('does not ask for a password where the host takes keys only, nor send one there', async () => {
    const env = newEnv()
    await env.call('hosts.setPassword', { hostId: 'keys', password: 'first-Secret-1' })
    const err = await rejection(env.call('hosts.connect', { hostId: 'keys' }))
    expect(err.code).toBe('AUTH_FAILED')
    expect(err.data).toEqual({ hostId: 'keys' })
    expect(err.message).toContain('refused the login')
  })
})
