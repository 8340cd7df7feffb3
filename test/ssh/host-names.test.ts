/**
 * Host names on their way into known_hosts, the CONNECT request and keychain account names (security review
 * #5 and #10): the contract takes only an IP address or a DNS name; a HostName or HostKeyAlias from
 * ssh_config that is neither never reaches a proxy, the app's known_hosts or the keychain. Against a real
 * sshd and a real CONNECT proxy.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { methods } from '../../src/shared/contract'
import { connectViaProxy, parseProxyUrl } from '../../src/main/ssh/proxy-route'
import { startDroplets, type Droplets, type DropletServer } from '../fleet/sshd'
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy'
import { createSshEnv, hostBlock, memoryKeychain, rejection } from './support/ssh-env'

const hasSshd = existsSync('/usr/sbin/sshd')

describe('host names in the contract', () => {
  const add = (hostname: string) => methods['hosts.add'].params.safeParse({ id: 'newbox', hostname, user: 'root' }).success
  const tunnel = (remoteHost: string) => methods['tunnels.start'].params.safeParse({ hostId: 'newbox', remoteHost, remotePort: 80 }).success

  it('takes IP addresses and DNS names', () => {
    for (const ok of ['10.0.0.5', '::1', '2001:db8::7', 'newbox.example', 'db-1.internal', 'localhost', 'svc_a.corp']) expect(add(ok), ok).toBe(true)
    expect(tunnel('localhost')).toBe(true)
  })

  it('refuses names that would be a known_hosts pattern, a header or a second field', () => {
    for (const bad of ['newbox.example,*', '*', 'a b', 'db.internal\r\nX-Injected: 1', 'host\n', '!negated', '|1|salt|hash', '#comment', 'a?b', '-oProxyCommand=x', 'trailing.', '[::1]', 'x'.repeat(254)]) {
      expect(add(bad), JSON.stringify(bad)).toBe(false)
    }
    expect(tunnel('db\r\nX: 1')).toBe(false)
  })
})

describe.skipIf(!hasSshd)('host names from ssh_config', () => {
  let fleet: Droplets
  let d: DropletServer
  let dir: string
  let proxy: ConnectProxy

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dd-host-names-'))
    fleet = await startDroplets({ count: 1, dir: path.join(dir, 'fleet'), port: 'auto', baseAddress: '127.0.143.10' })
    d = fleet.droplets[0]
    proxy = await startConnectProxy()
  })

  afterAll(async () => {
    await proxy?.close()
    await fleet?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('never writes a HostKeyAlias that is a pattern to the app known_hosts, so it cannot trust every host', async () => {
    const empty = path.join(dir, 'empty_known_hosts')
    writeFileSync(empty, '')
    const config = [
      hostBlock('newbox', d, [`IdentityFile ${fleet.privateKeyPath}`, `UserKnownHostsFile ${empty}`, 'HostKeyAlias newbox.example,*']),
      hostBlock('fresh', d, [`IdentityFile ${fleet.privateKeyPath}`, `UserKnownHostsFile ${empty}`])
    ].join('\n')
    const env = createSshEnv(config)
    try {
      expect((await rejection(env.call('hosts.connect', { hostId: 'newbox' }))).code).toBe('HOST_KEY_UNKNOWN')
      const refused = await rejection(env.call('hosts.trustKey', { hostId: 'newbox', fingerprint: d.hostKeyFingerprintSha256 }))
      expect(refused.code).toBe('BAD_REQUEST')
      expect(refused.message).toContain('newbox.example,*')
      expect(existsSync(path.join(env.dataDir, 'known_hosts'))).toBe(false)
      // A host never trusted still asks.
      expect((await rejection(env.call('hosts.connect', { hostId: 'fresh' }))).code).toBe('HOST_KEY_UNKNOWN')
    } finally {
      await env.close()
    }
  })

  it('refuses a HostName that is not a host name before dialling, before any CONNECT, and keeps no password for it', async () => {
    const keychain = memoryKeychain()
    const config = hostBlock('odd', { host: 'db.internal,*', port: d.port, user: d.user }, [`IdentityFile ${fleet.privateKeyPath}`])
    const env = createSshEnv(config, { env: { DROPDECK_SSH_PROXY: proxy.url }, keychain })
    try {
      const err = await rejection(env.call('hosts.connect', { hostId: 'odd' }))
      expect(err.code).toBe('BAD_REQUEST')
      expect(err.message).toContain('db.internal,*')
      expect(proxy.connections).toBe(0)
      expect((await rejection(env.call('hosts.setPassword', { hostId: 'odd', password: 'pw', remember: true }))).code).toBe('BAD_REQUEST')
      expect(keychain.store.size).toBe(0)
    } finally {
      await env.close()
    }
  })

  it('sends no CONNECT request whose target carries CR, LF or spaces', async () => {
    const before = proxy.connections
    for (const target of ['db.internal\r\nX-Injected: 1', 'db internal', 'db.internal\n']) {
      const err = await rejection(connectViaProxy(parseProxyUrl(proxy.url), target, 22, 5000))
      expect(err.code).toBe('BAD_REQUEST')
    }
    expect(proxy.connections).toBe(before)
    expect(proxy.connects).toEqual([])
    expect(readFileSync(d.logPath, 'utf8')).not.toContain('X-Injected')
  })
})
