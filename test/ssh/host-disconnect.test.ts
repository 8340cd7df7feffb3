/**
 * Disconnect against a real sshd from the bench, through the real SSH services: the host's tunnels
 * stop (their ports freed) and stay listed as "stopped" instead of vanishing; whatever still holds
 * the connection (a log follow, a terminal: here a holder through the pool's own retain and acquire,
 * as they use it) cannot bring it back; the host reports what uses it, so Disconnect can ask; and the
 * next hosts.connect starts the stopped tunnels again on the same ports.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDroplets, type Droplets } from '../fleet/sshd'
import { createSshEnv, hostBlock, rejection, waitUntil, type SshEnv } from './support/ssh-env'
import { startEchoServer, type TestServer } from './support/servers'

const hasSshd = existsSync('/usr/sbin/sshd')
const BASE = '127.0.61.2'

function roundTrip(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = ''
    const s = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true }, () => s.end(payload))
    s.on('data', (c: Buffer) => (out += c.toString()))
    s.on('end', () => {
      s.destroy()
      resolve(out)
    })
    s.on('error', reject)
  })
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

describe.skipIf(!hasSshd)('hosts.disconnect with tunnels and followers on the host', () => {
  let fleet: Droplets
  let dir: string
  let env: SshEnv
  let echo: TestServer

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dd-ssh-disc-'))
    fleet = await startDroplets({ count: 1, dir: path.join(dir, 'fleet'), port: 'auto', baseAddress: BASE })
    const d = fleet.droplets[0]
    const knownHosts = path.join(dir, 'known_hosts')
    writeFileSync(knownHosts, `[${d.host}]:${d.port} ${d.hostPublicKey}\n`)
    env = createSshEnv(hostBlock('prod', d, [`IdentityFile ${fleet.privateKeyPath}`, 'IdentitiesOnly yes', `UserKnownHostsFile ${knownHosts}`]))
    echo = await startEchoServer()
  })

  afterAll(async () => {
    await env?.close()
    await echo?.close()
    await fleet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('stops (not removes) the tunnels, stays down whoever holds it, and the next connect starts them again', async () => {
    await env.call('hosts.connect', { hostId: 'prod' })
    const a = await env.call('tunnels.start', { hostId: 'prod', remoteHost: '127.0.0.1', remotePort: echo.port })
    const b = await env.call('tunnels.start', { hostId: 'prod', remoteHost: '127.0.0.1', remotePort: echo.port })
    expect(await roundTrip(a.localPort, 'one')).toBe('one')
    // a follower holding the host, as a log follow does
    const releaseFollower = env.ssh.pool.retain('prod')
    const host = (await env.call('hosts.list', {})).find((h) => h.id === 'prod')!
    expect(host.inUse).toBe(3)

    await env.call('hosts.disconnect', { hostId: 'prod' })
    const tunnels = await env.call('tunnels.list', {})
    expect(tunnels.map((t) => [t.id, t.state]).sort()).toEqual([[a.id, 'stopped'], [b.id, 'stopped']].sort())
    expect(await portFree(a.localPort)).toBe(true)
    expect(await portFree(b.localPort)).toBe(true)

    // the follower's next try does not reconnect the host
    const err = await rejection(env.ssh.pool.acquire('prod'))
    expect(err.message).toBe('prod was disconnected, and stays down until you connect it again in Hosts.')
    expect(err.data).toMatchObject({ hostId: 'prod', disconnected: true })
    expect((await env.call('hosts.list', {})).find((h) => h.id === 'prod')).toMatchObject({ state: 'idle', inUse: 1 })

    // the operator connects again: the same tunnels listen on the same ports
    await env.call('hosts.connect', { hostId: 'prod' })
    await waitUntil(async () => (await env.call('tunnels.list', {})).every((t) => t.state === 'up'), 10_000, 'tunnels up again')
    const again = await env.call('tunnels.list', {})
    expect(again.map((t) => [t.id, t.localPort]).sort()).toEqual([[a.id, a.localPort], [b.id, b.localPort]].sort())
    expect(await roundTrip(b.localPort, 'two')).toBe('two')
    await env.ssh.pool.acquire('prod') // the follower works again

    // a stopped tunnel leaves the list with tunnels.stop
    await env.call('hosts.disconnect', { hostId: 'prod' })
    await env.call('tunnels.stop', { id: a.id })
    expect((await env.call('tunnels.list', {})).map((t) => t.id)).toEqual([b.id])
    await env.call('tunnels.stop', { id: b.id })
    releaseFollower()
  })
})
