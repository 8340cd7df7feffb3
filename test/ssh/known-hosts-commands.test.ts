/**
 * The changed-host-key dialog's command and the copy of trusted keys into the operator's known_hosts,
 * against a real sshd, real OpenSSH `ssh-keygen` and `ssh`: the command printed removes exactly the entry
 * that matched (`[host]:port` in a UserKnownHostsFile), and after the copy a plain `ssh` (StrictHostKeyChecking
 * yes) connects without asking, plain or hashed as the file already was.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDroplets, type Droplets, type DropletServer } from '../fleet/sshd'
import { createSshEnv, hostBlock, rejection } from './support/ssh-env'

const hasSshd = existsSync('/usr/sbin/sshd')

describe.skipIf(!hasSshd)('host keys and the operator\'s known_hosts', () => {
  let fleet: Droplets
  let d: DropletServer
  let dir: string

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dd-known-hosts-'))
    fleet = await startDroplets({ count: 1, dir: path.join(dir, 'fleet'), port: 'auto', baseAddress: '127.0.69.2' })
    d = fleet.droplets[0]
  })

  afterAll(async () => {
    await fleet?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  /** A plain OpenSSH `ssh` that refuses unknown keys: exit 0 only if the file already trusts the host. */
  const plainSsh = (knownHosts: string) =>
    spawnSync('ssh', ['-F', '/dev/null', '-i', fleet.privateKeyPath, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null', '-p', String(d.port), `${d.user}@${d.host}`, 'echo ssh-ok'], { encoding: 'utf8', timeout: 20_000 })

  it('a changed key names the exact ssh-keygen command for the file and the [host]:port that matched, and it works', async () => {
    const other = path.join(dir, 'other_key')
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other])
    const changed = path.join(dir, 'changed_known_hosts')
    writeFileSync(changed, `# old\n[${d.host}]:${d.port} ${readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`)
    const env = createSshEnv(hostBlock('odoo-erp-prod', d, [`IdentityFile ${fleet.privateKeyPath}`, `UserKnownHostsFile ${changed}`]))
    try {
      const err = await rejection(env.call('hosts.connect', { hostId: 'odoo-erp-prod' }))
      expect(err.code).toBe('HOST_KEY_MISMATCH')
      const command = `ssh-keygen -f ${changed} -R '[${d.host}]:${d.port}'`
      expect(err.data).toMatchObject({ file: changed, line: 2, host: `[${d.host}]:${d.port}`, removeCommand: command })
      expect(err.message).toContain(command)
      // Run as printed: the old entry goes, and Dropdeck then asks about the key as a new one.
      execFileSync('sh', ['-c', command], { stdio: 'ignore' })
      expect(readFileSync(changed, 'utf8')).not.toContain(d.host)
      expect((await rejection(env.call('hosts.connect', { hostId: 'odoo-erp-prod' }))).code).toBe('HOST_KEY_UNKNOWN')
    } finally {
      await env.close()
    }
  })

  it('copies a key trusted in Dropdeck into the known_hosts file, so a plain ssh stops asking', async () => {
    const userFile = path.join(dir, 'home', '.ssh', 'known_hosts') // no ~/.ssh yet
    const env = createSshEnv(hostBlock('fresh', d, [`IdentityFile ${fleet.privateKeyPath}`, `UserKnownHostsFile ${userFile}`]))
    try {
      expect(plainSsh(userFile).status).not.toBe(0)
      expect((await rejection(env.call('hosts.copyKeyToKnownHosts', { hostId: 'fresh' }))).code).toBe('NOT_FOUND') // nothing trusted yet
      expect((await rejection(env.call('hosts.connect', { hostId: 'fresh' }))).code).toBe('HOST_KEY_UNKNOWN')
      await env.call('hosts.trustKey', { hostId: 'fresh', fingerprint: d.hostKeyFingerprintSha256 })
      expect(await env.call('hosts.copyKeyToKnownHosts', { hostId: 'fresh' })).toEqual({ file: userFile, added: true, hashed: false })
      expect(readFileSync(userFile, 'utf8')).toBe(`[${d.host}]:${d.port} ${d.hostPublicKey}\n`)
      const ssh = plainSsh(userFile)
      expect(ssh.stdout.trim()).toBe('ssh-ok')
      // Twice is once.
      expect(await env.call('hosts.copyKeyToKnownHosts', { hostId: 'fresh' })).toMatchObject({ added: false })
      expect(readFileSync(userFile, 'utf8').split('\n').filter(Boolean)).toHaveLength(1)
    } finally {
      await env.close()
    }
  })

  it('writes a hashed entry when the file already uses hashes, and ssh reads it', async () => {
    const userFile = path.join(dir, 'hashed_known_hosts')
    writeFileSync(userFile, 'elsewhere.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n')
    execFileSync('ssh-keygen', ['-H', '-f', userFile], { stdio: 'ignore' })
    const env = createSshEnv(hostBlock('hashed', d, [`IdentityFile ${fleet.privateKeyPath}`, `UserKnownHostsFile ${userFile}`]))
    try {
      await rejection(env.call('hosts.connect', { hostId: 'hashed' }))
      await env.call('hosts.trustKey', { hostId: 'hashed', fingerprint: d.hostKeyFingerprintSha256 })
      expect(await env.call('hosts.copyKeyToKnownHosts', { hostId: 'hashed' })).toEqual({ file: userFile, added: true, hashed: true })
      const text = readFileSync(userFile, 'utf8')
      expect(text).not.toContain(d.host)
      expect(text.split('\n').filter(Boolean).every((l) => l.startsWith('|1|'))).toBe(true)
      expect(plainSsh(userFile).stdout.trim()).toBe('ssh-ok')
      // ssh-keygen finds it by name, as the mismatch command would.
      expect(execFileSync('ssh-keygen', ['-F', `[${d.host}]:${d.port}`, '-f', userFile], { encoding: 'utf8' })).toContain('ssh-ed25519')
    } finally {
      await env.close()
    }
  })
})
