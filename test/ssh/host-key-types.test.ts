/**
 * A host known under one key type while it also has others (security review #4): against a real sshd with
 * ed25519 and RSA host keys, Dropdeck asks for the type on record, as OpenSSH does, instead of calling the
 * ed25519 key "never seen"; when only a type the server does not offer is on record, it warns.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fingerprintSha256, startDroplets, type Droplets, type DropletServer } from '../fleet/sshd'
import { createSshEnv, hostBlock, rejection } from './support/ssh-env'

const hasSshd = existsSync('/usr/sbin/sshd')

describe.skipIf(!hasSshd)('host keys of several types', () => {
  let fleet: Droplets
  let d: DropletServer
  let dir: string

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dd-key-types-'))
    fleet = await startDroplets({ count: 1, dir: path.join(dir, 'fleet'), port: 'auto', baseAddress: '127.0.143.2', extraHostKeys: ['rsa'] })
    d = fleet.droplets[0]
  })

  afterAll(async () => {
    await fleet?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  const knownHosts = (file: string, line: string, hashed = false) => {
    const p = path.join(dir, file)
    writeFileSync(p, `${line}\n`)
    if (hashed) execFileSync('ssh-keygen', ['-H', '-f', p], { stdio: 'ignore' })
    return p
  }
  const config = (alias: string, file: string) => hostBlock(alias, d, [`IdentityFile ${fleet.privateKeyPath}`, 'IdentitiesOnly yes', `UserKnownHostsFile ${file}`])

  it('connects to a host whose known_hosts holds only its RSA key, plain and hashed (OpenSSH does too)', async () => {
    const rsa = d.extraHostPublicKeys.rsa!
    const plain = knownHosts('rsa_plain', `[${d.host}]:${d.port} ${rsa}`)
    const hashed = knownHosts('rsa_hashed', `[${d.host}]:${d.port} ${rsa}`, true)
    expect(readFileSync(hashed, 'utf8')).toMatch(/^\|1\|/)
    // The peer: OpenSSH itself connects without a prompt, negotiating the RSA key.
    const openssh = execFileSync('ssh', ['-v', '-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${plain}`, '-o', 'IdentitiesOnly=yes', '-i', fleet.privateKeyPath, '-p', String(d.port), `${d.user}@${d.host}`, 'true'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    expect(openssh).toBe('')
    for (const [alias, file] of [['rsa-plain', plain], ['rsa-hashed', hashed]]) {
      const env = createSshEnv(config(alias, file))
      try {
        expect(await env.call('hosts.connect', { hostId: alias })).toMatchObject({ state: 'connected' })
        expect(await env.ssh.exec(alias, 'echo ok')).toMatchObject({ stdout: 'ok\n', code: 0 })
        expect(existsSync(path.join(env.dataDir, 'known_hosts'))).toBe(false) // nothing had to be trusted
      } finally {
        await env.close()
      }
    }
  })

  it('warns when only a type the server does not offer is on record, never "never seen"; trusting still takes the fingerprint', async () => {
    const other = path.join(dir, 'ecdsa_key')
    execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-f', other])
    const ecdsa = readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')
    for (const hashed of [false, true]) {
      const alias = hashed ? 'ecdsa-hashed' : 'ecdsa-plain'
      const file = knownHosts(alias, `[${d.host}]:${d.port} ${ecdsa}`, hashed)
      const env = createSshEnv(config(alias, file))
      try {
        const err = await rejection(env.call('hosts.connect', { hostId: alias }))
        expect(err.code).toBe('HOST_KEY_UNKNOWN')
        expect(err.data).toMatchObject({ hostId: alias, knownTypes: ['ecdsa-sha2-nistp256'], fingerprint: d.hostKeyFingerprintSha256, keyType: 'ssh-ed25519' })
        expect(err.message).toMatch(/^WARNING: /)
        expect(err.message).toContain('ecdsa-sha2-nistp256')
        expect(err.message).not.toContain('never seen')
        await env.call('hosts.trustKey', { hostId: alias, fingerprint: d.hostKeyFingerprintSha256 })
        expect(await env.call('hosts.connect', { hostId: alias })).toMatchObject({ state: 'connected' })
      } finally {
        await env.close()
      }
    }
  })

  it('still says "never seen" for a host with nothing on record, and presents ed25519 first there', async () => {
    const empty = knownHosts('empty', '')
    const env = createSshEnv(config('fresh', empty))
    try {
      const err = await rejection(env.call('hosts.connect', { hostId: 'fresh' }))
      expect(err.code).toBe('HOST_KEY_UNKNOWN')
      expect(err.data?.knownTypes).toBeUndefined()
      expect(err.data?.fingerprint).toBe(fingerprintSha256(d.hostPublicKey))
      expect(err.message).toContain('never seen')
    } finally {
      await env.close()
    }
  })
})
