/**
 * Hosts from a real ssh_config, host-key checks (unknown, trusted, changed, hashed entries) and
 * authentication (key files, the agent, passphrases) against real OpenSSH sshd droplets.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDroplets, type Droplets, type DropletServer } from '../fleet/sshd'
import { createSshEnv, hostBlock, memoryKeychain, rejection, waitUntil } from './support/ssh-env'

const hasSshd = existsSync('/usr/sbin/sshd')

describe.skipIf(!hasSshd)('ssh hosts, host keys and auth', () => {
  let fleet: Droplets
  let d: DropletServer
  let dir: string
  let knownHosts: string
  let agent: ChildProcess | undefined

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dd-ssh-auth-'))
    fleet = await startDroplets({ count: 1, dir: path.join(dir, 'fleet'), port: 'auto', baseAddress: '127.0.21.2' })
    d = fleet.droplets[0]
    knownHosts = path.join(dir, 'known_hosts')
    writeFileSync(knownHosts, `[${d.host}]:${d.port} ${d.hostPublicKey}\n`)
  })

  afterAll(async () => {
    agent?.kill()
    await fleet?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  const keyed = (alias: string, extra: string[] = []) =>
    hostBlock(alias, d, [`IdentityFile ${fleet.privateKeyPath}`, 'IdentitiesOnly yes', `UserKnownHostsFile ${knownHosts}`, ...extra])

  it('reads hosts from a real ssh_config: aliases, options, LocalForwards as presets; wildcards skipped', async () => {
    const config = [
      keyed('e2i-prod', ['LocalForward 5000 localhost:5000', 'LocalForward 127.0.0.1:16379 10.0.0.5:6379', 'ServerAliveInterval 7', 'ServerAliveCountMax 2']),
      hostBlock('behind', { host: '10.1.2.3', port: 22, user: 'deploy' }, ['ProxyJump e2i-prod', 'IdentityFile ~/.ssh/deploy_key']),
      'Host *.internal !bastion\n    User nobody\n',
      'Host *\n    StrictHostKeyChecking yes\n'
    ].join('\n')
    const env = createSshEnv(config)
    try {
      const hosts = await env.call('hosts.list', {})
      expect(hosts.map((h) => h.id)).toEqual(['e2i-prod', 'behind'])
      const prod = hosts[0]
      expect(prod).toMatchObject({ hostname: d.host, port: d.port, user: d.user, source: 'ssh-config', identityFiles: [fleet.privateKeyPath], state: 'idle' })
      expect(prod.localForwards).toEqual([
        { localPort: 5000, remoteHost: 'localhost', remotePort: 5000 },
        { localPort: 16379, remoteHost: '10.0.0.5', remotePort: 6379 }
      ])
      expect(hosts[1]).toMatchObject({ hostname: '10.1.2.3', port: 22, user: 'deploy', proxyJump: 'e2i-prod', identityFiles: [path.join(os.homedir(), '.ssh/deploy_key')] })
      const internal = await env.ssh.hosts.get('e2i-prod')
      expect(internal).toMatchObject({ serverAliveInterval: 7, serverAliveCountMax: 2, identitiesOnly: true, knownHostsFiles: [knownHosts], strictHostKeyChecking: 'yes' })

      const presets = await env.call('tunnels.presets', {})
      expect(presets.filter((p) => p.source === 'seed').map((p) => p.remotePort)).toEqual([5000, 5173, 3100, 9091, 3001, 3030, 6381, 6382])
      expect(presets.find((p) => p.id === 'seed:grafana')?.url).toBe('http://127.0.0.1:3100/')
      expect(presets.find((p) => p.id === 'seed:redis')?.url).toBeUndefined()
      expect(presets.filter((p) => p.source === 'ssh-config')).toEqual([
        expect.objectContaining({ hostId: 'e2i-prod', localPort: 5000, remotePort: 5000, url: 'http://127.0.0.1:5000/', label: 'MLflow on e2i-prod' }),
        expect.objectContaining({ hostId: 'e2i-prod', localPort: 16379, remoteHost: '10.0.0.5', remotePort: 6379 })
      ])
      expect((presets.find((p) => p.localPort === 16379) ?? {}).url).toBeUndefined()

      // Hosts by hand persist in dataDir/hosts.json; they cannot shadow an ssh_config alias.
      await env.call('hosts.add', { id: 'manual-1', hostname: d.host, port: d.port, user: d.user, identityFiles: [fleet.privateKeyPath] })
      expect((await rejection(env.call('hosts.add', { id: 'e2i-prod', hostname: 'x', port: 22, user: 'y', identityFiles: [] }))).code).toBe('BAD_REQUEST')
      expect(JSON.parse(readFileSync(path.join(env.dataDir, 'hosts.json'), 'utf8'))).toHaveLength(1)
      expect((await env.call('hosts.list', {})).map((h) => [h.id, h.source])).toContainEqual(['manual-1', 'manual'])
      await env.call('hosts.remove', { hostId: 'manual-1' })
      expect((await env.call('hosts.list', {})).map((h) => h.id)).not.toContain('manual-1')
      expect((await rejection(env.call('hosts.remove', { hostId: 'e2i-prod' }))).code).toBe('BAD_REQUEST')
    } finally {
      await env.close()
    }
  })

  it('refuses an unknown host key with its SHA256 fingerprint, connects once trusted, and remembers it', async () => {
    const empty = path.join(dir, 'empty_known_hosts')
    writeFileSync(empty, '')
    // StrictHostKeyChecking no is deliberately not honoured: unknown keys are always the operator's call.
    const env = createSshEnv(hostBlock('fresh', d, [`IdentityFile ${fleet.privateKeyPath}`, `UserKnownHostsFile ${empty}`, 'StrictHostKeyChecking no']))
    try {
      const err = await rejection(env.call('hosts.connect', { hostId: 'fresh' }))
      expect(err.code).toBe('HOST_KEY_UNKNOWN')
      expect(err.data).toMatchObject({ hostId: 'fresh', fingerprint: d.hostKeyFingerprintSha256 })
      expect(err.message).toContain(d.hostKeyFingerprintSha256)
      expect((await env.call('hosts.list', {}))[0]).toMatchObject({ state: 'error', error: { code: 'HOST_KEY_UNKNOWN' } })

      const wrong = 'SHA256:' + 'A'.repeat(43)
      expect((await rejection(env.call('hosts.trustKey', { hostId: 'fresh', fingerprint: wrong }))).code).toBe('BAD_REQUEST')
      await env.call('hosts.trustKey', { hostId: 'fresh', fingerprint: d.hostKeyFingerprintSha256 })
      expect(readFileSync(path.join(env.dataDir, 'known_hosts'), 'utf8')).toBe(`[${d.host}]:${d.port} ${d.hostPublicKey}\n`)
      expect(await env.call('hosts.connect', { hostId: 'fresh' })).toMatchObject({ state: 'connected' })
      expect(env.events.filter((e) => e.event === 'hosts.changed').map((e) => (e.payload as { state: string }).state)).toEqual(['connecting', 'error', 'idle', 'connecting', 'connected'])
      expect(await env.ssh.exec('fresh', 'echo hello; echo oops >&2; exit 3')).toEqual({ stdout: 'hello\n', stderr: 'oops\n', code: 3 })
      expect(readFileSync(empty, 'utf8')).toBe('') // the operator's known_hosts is never written
    } finally {
      await env.close()
    }
  })

  it('refuses a changed host key (HOST_KEY_MISMATCH), and trustKey cannot override it', async () => {
    const other = path.join(dir, 'other_key')
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other])
    const changed = path.join(dir, 'changed_known_hosts')
    writeFileSync(changed, `# old\n[${d.host}]:${d.port} ${readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`)
    const env = createSshEnv(hostBlock('changed', d, [`IdentityFile ${fleet.privateKeyPath}`, `UserKnownHostsFile ${changed}`]))
    try {
      const err = await rejection(env.call('hosts.connect', { hostId: 'changed' }))
      expect(err.code).toBe('HOST_KEY_MISMATCH')
      expect(err.data).toMatchObject({ fingerprint: d.hostKeyFingerprintSha256, file: changed, line: 2 })
      expect((await rejection(env.call('hosts.trustKey', { hostId: 'changed', fingerprint: d.hostKeyFingerprintSha256 }))).code).toBe('NOT_FOUND')
      expect((await rejection(env.call('hosts.connect', { hostId: 'changed' }))).code).toBe('HOST_KEY_MISMATCH')
    } finally {
      await env.close()
    }
  })

  it('accepts hashed known_hosts entries (ssh-keygen -H)', async () => {
    const hashed = path.join(dir, 'hashed_known_hosts')
    writeFileSync(hashed, `[${d.host}]:${d.port} ${d.hostPublicKey}\n`)
    execFileSync('ssh-keygen', ['-H', '-f', hashed], { stdio: 'ignore' })
    expect(readFileSync(hashed, 'utf8')).toMatch(/^\|1\|/)
    const env = createSshEnv(hostBlock('hashed', d, [`IdentityFile ${fleet.privateKeyPath}`, `UserKnownHostsFile ${hashed}`]))
    try {
      expect(await env.call('hosts.connect', { hostId: 'hashed' })).toMatchObject({ state: 'connected' })
    } finally {
      await env.close()
    }
  })

  it('authenticates with the ssh-agent, and fails without it', async () => {
    const sock = path.join(dir, 'agent.sock')
    agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' })
    await waitUntil(() => existsSync(sock), 5000, 'ssh-agent socket')
    execFileSync('ssh-add', [fleet.privateKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' })
    const config = hostBlock('agent-only', d, [`IdentityFile ${path.join(dir, 'no-such-key')}`, `UserKnownHostsFile ${knownHosts}`])
    const withAgent = createSshEnv(config, { env: { SSH_AUTH_SOCK: sock } })
    const without = createSshEnv(config, { env: {} })
    try {
      expect(await withAgent.call('hosts.connect', { hostId: 'agent-only' })).toMatchObject({ state: 'connected' })
      const err = await rejection(without.call('hosts.connect', { hostId: 'agent-only' }))
      expect(err.code).toBe('AUTH_FAILED')
      expect(err.data?.needsPassphrase).toBeUndefined()
    } finally {
      await withAgent.close()
      await without.close()
    }
  })

  it('asks for a key passphrase, refuses a wrong one, keeps a right one in the keychain, and never deletes it on failure', async () => {
    // The test key with a passphrase (OpenSSH format), and a new RSA key in PEM format with one.
    const openssh = path.join(dir, 'id_pass')
    copyFileSync(fleet.privateKeyPath, openssh)
    execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', 'hunter2', '-f', openssh])
    const pem = path.join(dir, 'id_rsa_pem')
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', 'pem-pass', '-f', pem])
    expect(readFileSync(pem, 'utf8')).toContain('ENCRYPTED')
    appendFileSync(path.join(dir, 'fleet', 'authorized_keys'), readFileSync(`${pem}.pub`, 'utf8'))

    const keychain = memoryKeychain()
    const config = [hostBlock('locked', d, [`IdentityFile ${openssh}`, 'IdentitiesOnly yes', `UserKnownHostsFile ${knownHosts}`]), hostBlock('pem', d, [`IdentityFile ${pem}`, 'IdentitiesOnly yes', `UserKnownHostsFile ${knownHosts}`])].join('\n')
    const env = createSshEnv(config, { keychain })
    try {
      const err = await rejection(env.call('hosts.connect', { hostId: 'locked' }))
      expect(err.code).toBe('AUTH_FAILED')
      expect(err.data).toMatchObject({ needsPassphrase: openssh })
      const wrong = await rejection(env.call('hosts.unlockKey', { hostId: 'locked', passphrase: 'nope' }))
      expect(wrong.code).toBe('AUTH_FAILED')
      expect(keychain.store.size).toBe(0)
      expect(await env.call('hosts.unlockKey', { hostId: 'locked', passphrase: 'hunter2', remember: true })).toEqual({ unlocked: true, keyPath: openssh })
      expect(keychain.store.get(`ssh-passphrase:${openssh}`)).toBe('hunter2')
      expect(await env.call('hosts.connect', { hostId: 'locked' })).toMatchObject({ state: 'connected' })

      expect((await rejection(env.call('hosts.connect', { hostId: 'pem' }))).data).toMatchObject({ needsPassphrase: pem })
      await env.call('hosts.unlockKey', { hostId: 'pem', passphrase: 'pem-pass' })
      expect(await env.call('hosts.connect', { hostId: 'pem' })).toMatchObject({ state: 'connected' })
      expect(keychain.store.has(`ssh-passphrase:${pem}`)).toBe(false) // not remembered
    } finally {
      await env.close()
    }

    // A new session finds the passphrase in the keychain.
    const again = createSshEnv(config, { keychain })
    try {
      expect(await again.call('hosts.connect', { hostId: 'locked' })).toMatchObject({ state: 'connected' })
    } finally {
      await again.close()
    }
    // A stale stored passphrase fails the login but stays in the keychain.
    keychain.store.set(`ssh-passphrase:${openssh}`, 'stale')
    const stale = createSshEnv(config, { keychain })
    try {
      expect((await rejection(stale.call('hosts.connect', { hostId: 'locked' }))).data).toMatchObject({ needsPassphrase: openssh })
      expect(keychain.store.get(`ssh-passphrase:${openssh}`)).toBe('stale')
    } finally {
      await stale.close()
    }
  })
})
