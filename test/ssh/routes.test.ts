/**
 * Routes out of a corporate network, on the bench: a ProxyJump bastion (a real sshd) in front of a
 * target sshd, an HTTP CONNECT proxy with Basic credentials, and a SOCKS5 proxy, per host and global.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDroplets, type Droplets, type DropletServer } from '../fleet/sshd'
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy'
import { createSshEnv, hostBlock, rejection } from './support/ssh-env'
import { startEchoServer, startSocks5Server, type Socks5Server, type TestServer } from './support/servers'

const hasSshd = existsSync('/usr/sbin/sshd')

function roundTrip(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = ''
    const s = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true }, () => s.end(payload))
    s.on('data', (c: Buffer) => (out += c.toString()))
    s.on('end', () => resolve(out))
    s.on('error', reject)
  })
}

describe.skipIf(!hasSshd)('ssh routes', () => {
  let fleet: Droplets
  let jump: DropletServer
  let target: DropletServer
  let dir: string
  let knownHosts: string
  let proxy: ConnectProxy
  let socks: Socks5Server
  let echo: TestServer

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dd-ssh-routes-'))
    fleet = await startDroplets({ count: 2, names: ['bastion', 'target'], dir: path.join(dir, 'fleet'), port: 'auto', baseAddress: '127.0.25.2' })
    ;[jump, target] = fleet.droplets
    knownHosts = path.join(dir, 'known_hosts')
    writeFileSync(knownHosts, fleet.droplets.map((d) => `[${d.host}]:${d.port} ${d.hostPublicKey}\n`).join(''))
    proxy = await startConnectProxy({ credentials: { username: 'alice', password: 'p@ss:word' } })
    socks = await startSocks5Server()
    echo = await startEchoServer()
  })

  afterAll(async () => {
    await proxy?.close()
    await socks?.close()
    await echo?.close()
    await fleet?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  const opts = () => [`IdentityFile ${fleet.privateKeyPath}`, 'IdentitiesOnly yes', `UserKnownHostsFile ${knownHosts}`]
  const countAccepted = (d: DropletServer) => (readFileSync(d.logPath, 'utf8').match(/Accepted publickey/g) ?? []).length

  it('reaches a target through a ProxyJump bastion, with a tunnel working end to end', async () => {
    const config = [hostBlock('bastion', jump, opts()), hostBlock('target', target, [...opts(), 'ProxyJump bastion'])].join('\n')
    const env = createSshEnv(config)
    const [jumpBefore, targetBefore] = [countAccepted(jump), countAccepted(target)]
    try {
      expect(await env.call('hosts.connect', { hostId: 'target' })).toMatchObject({ state: 'connected', proxyJump: 'bastion' })
      // The bastion's connection was opened (and is pooled) to carry the target's.
      expect((await env.call('hosts.list', {})).find((h) => h.id === 'bastion')?.state).toBe('connected')
      expect(countAccepted(jump)).toBe(jumpBefore + 1)
      expect(countAccepted(target)).toBe(targetBefore + 1)
      const { localPort } = await env.call('tunnels.start', { hostId: 'target', remoteHost: '127.0.0.1', remotePort: echo.port })
      expect(await roundTrip(localPort, 'through the bastion')).toBe('through the bastion')
      // Without the bastion the target is unreachable: the route really goes through it.
      await env.call('hosts.disconnect', { hostId: 'target' })
      await env.call('hosts.disconnect', { hostId: 'bastion' })
      const broken = createSshEnv([hostBlock('bastion', { ...jump, port: 1 }, opts()), hostBlock('target', target, [...opts(), 'ProxyJump bastion'])].join('\n'))
      try {
        const err = await rejection(broken.call('hosts.connect', { hostId: 'target' }))
        expect(err.code).toBe('UPSTREAM')
        expect(err.message).toContain(':1 refused')
      } finally {
        await broken.close()
      }
    } finally {
      await env.close()
    }
  })

  it('follows a ProxyJump chain given as user@host:port hops', async () => {
    const config = [`Host *\n    ${opts().join('\n    ')}\n`, hostBlock('target', target, [`ProxyJump ${jump.user}@${jump.host}:${jump.port}`])].join('\n')
    const env = createSshEnv(config)
    try {
      expect(await env.call('hosts.connect', { hostId: 'target' })).toMatchObject({ state: 'connected' })
      expect((await env.ssh.exec('target', 'echo via-chain')).stdout).toBe('via-chain\n')
    } finally {
      await env.close()
    }
  })

  it('goes through an HTTP CONNECT proxy with Basic credentials (global DROPDECK_SSH_PROXY), and says when they are wrong', async () => {
    const config = hostBlock('target', target, opts())
    const env = createSshEnv(config, { env: { DROPDECK_SSH_PROXY: proxy.urlWith('alice', 'p@ss:word') } })
    try {
      expect(await env.call('hosts.connect', { hostId: 'target' })).toMatchObject({ state: 'connected' })
      expect(proxy.connects).toContainEqual({ target: `${target.host}:${target.port}`, status: 200 })
      const { localPort } = await env.call('tunnels.start', { hostId: 'target', remoteHost: '127.0.0.1', remotePort: echo.port })
      expect(await roundTrip(localPort, 'via connect')).toBe('via connect')
    } finally {
      await env.close()
    }
    const wrong = createSshEnv(config, { env: { DROPDECK_SSH_PROXY: proxy.urlWith('alice', 'nope') } })
    try {
      const err = await rejection(wrong.call('hosts.connect', { hostId: 'target' }))
      expect(err.code).toBe('AUTH_FAILED')
      expect(err.message).toMatch(/407/)
      expect(err.message).not.toContain('nope')
    } finally {
      await wrong.close()
    }
    proxy.refuse = true
    const refused = createSshEnv(config, { env: { DROPDECK_SSH_PROXY: proxy.urlWith('alice', 'p@ss:word') } })
    try {
      const err = await rejection(refused.call('hosts.connect', { hostId: 'target' }))
      expect(err.code).toBe('UPSTREAM')
      expect(err.message).toMatch(/403/)
    } finally {
      proxy.refuse = false
      await refused.close()
    }
  })

  it('goes through a SOCKS5 proxy per host (ProxyCommand nc -X 5) and per manual host', async () => {
    const config = hostBlock('target', target, [...opts(), `ProxyCommand nc -X 5 -x 127.0.0.1:${socks.port} %h %p`])
    const env = createSshEnv(config)
    try {
      expect(await env.call('hosts.connect', { hostId: 'target' })).toMatchObject({ state: 'connected' })
      expect(socks.targets).toEqual([`${target.host}:${target.port}`])
      await env.call('hosts.add', { id: 'by-hand', hostname: target.host, port: target.port, user: target.user, identityFiles: [fleet.privateKeyPath], proxy: `socks5://127.0.0.1:${socks.port}` })
      // by-hand's known_hosts comes from the ssh_config defaults, so trust the key as the operator would.
      const unknown = await rejection(env.call('hosts.connect', { hostId: 'by-hand' }))
      expect(unknown.code).toBe('HOST_KEY_UNKNOWN')
      await env.call('hosts.trustKey', { hostId: 'by-hand', fingerprint: target.hostKeyFingerprintSha256 })
      expect(await env.call('hosts.connect', { hostId: 'by-hand' })).toMatchObject({ state: 'connected' })
      expect(socks.targets).toHaveLength(3)
    } finally {
      await env.close()
    }
  })
})
