/**
 * The tunnel that stays up: sshd killed and restarted under a live tunnel (same port, by itself), a
 * connection arriving meanwhile waits for the session, and a frozen sshd (SIGSTOP: no RST, no FIN,
 * silence) is detected within the keepalive window.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDroplets, type Droplets, type DropletServer } from '../fleet/sshd'
import { descendants } from '../fleet/proc'
import { createSshEnv, hostBlock, waitUntil, type SshEnv } from './support/ssh-env'
import { startEchoServer, type TestServer } from './support/servers'

const hasSshd = existsSync('/usr/sbin/sshd')
const BASE = '127.0.24.2'
const KEEPALIVE_MS = 500
const KEEPALIVE_COUNT = 2

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

describe.skipIf(!hasSshd)('tunnel resilience', () => {
  let fleet: Droplets
  let d: DropletServer
  let dir: string
  let env: SshEnv
  let echo: TestServer

  const tunnelStates = () => env.events.filter((e) => e.event === 'tunnels.changed' && 'tunnel' in (e.payload as object)).map((e) => (e.payload as { tunnel: { state: string } }).tunnel.state)
  const hostState = async () => (await env.call('hosts.list', {}))[0].state

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dd-ssh-res-'))
    fleet = await startDroplets({ count: 1, dir: path.join(dir, 'fleet'), port: 'auto', baseAddress: BASE })
    d = fleet.droplets[0]
    const knownHosts = path.join(dir, 'known_hosts')
    writeFileSync(knownHosts, `[${d.host}]:${d.port} ${d.hostPublicKey}\n`)
    env = createSshEnv(hostBlock('prod', d, [`IdentityFile ${fleet.privateKeyPath}`, 'IdentitiesOnly yes', `UserKnownHostsFile ${knownHosts}`]), {
      tuning: { pool: { backoffBaseMs: 200, backoffMaxMs: 1000, readyTimeoutMs: 5000, keepaliveIntervalMs: KEEPALIVE_MS, keepaliveCountMax: KEEPALIVE_COUNT }, tunnels: { waitMs: 10_000, startTimeoutMs: 10_000 } }
    })
    echo = await startEchoServer()
  })

  afterAll(async () => {
    await env?.close()
    await echo?.close()
    await fleet?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('comes back on the same port by itself after sshd is killed and restarted; a connection made meanwhile waits', async () => {
    const { id, localPort } = await env.call('tunnels.start', { hostId: 'prod', remoteHost: '127.0.0.1', remotePort: echo.port })
    expect(await roundTrip(localPort, 'before')).toBe('before')
    env.events.length = 0

    await fleet.stop() // listener and every session: the connection dies under the tunnel
    await waitUntil(async () => (await env.call('tunnels.list', {}))[0]?.state === 'reconnecting', 5000, 'tunnel reconnecting')
    // The port stays ours while the session is down.
    const probe = net.createServer()
    const bindErr = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      probe.once('error', resolve)
      probe.listen(localPort, '127.0.0.1', () => probe.close(() => resolve(undefined)))
    })
    expect(bindErr?.code).toBe('EADDRINUSE')

    // A connection arriving now waits for the session instead of failing.
    const waiting = roundTrip(localPort, 'during')
    await new Promise((r) => setTimeout(r, 1500))
    fleet = await startDroplets({ count: 1, dir: path.join(dir, 'fleet'), port: d.port, baseAddress: BASE })
    await waitUntil(async () => (await env.call('tunnels.list', {}))[0]?.state === 'up', 10_000, 'tunnel up again')
    expect(await waiting).toBe('during')

    const [t] = await env.call('tunnels.list', {})
    expect(t).toMatchObject({ id, localPort, state: 'up' })
    expect(tunnelStates()).toContain('reconnecting')
    expect(tunnelStates().slice(tunnelStates().indexOf('reconnecting'))).toContain('up')
    expect(await roundTrip(localPort, 'after')).toBe('after')
    expect(await hostState()).toBe('connected')
    await env.call('tunnels.stop', { id })
  })

  it('fails a waiting connection cleanly when the session does not come back in time', async () => {
    const short = createSshEnv(await import('node:fs').then((fs) => fs.readFileSync(env.configPath, 'utf8')), {
      tuning: { pool: { backoffBaseMs: 200, backoffMaxMs: 500, readyTimeoutMs: 2000 }, tunnels: { waitMs: 1000, startTimeoutMs: 5000 } }
    })
    try {
      const { localPort } = await short.call('tunnels.start', { hostId: 'prod', remoteHost: '127.0.0.1', remotePort: echo.port })
      await fleet.stop()
      await waitUntil(async () => (await short.call('tunnels.list', {}))[0]?.state === 'reconnecting', 5000, 'reconnecting')
      const started = Date.now()
      const outcome = await roundTrip(localPort, 'x').then((v) => `data:${v}`, (e: Error) => `error:${e.message}`)
      expect(outcome === 'data:' || outcome.startsWith('error:')).toBe(true) // closed: no bytes, no hang
      expect(Date.now() - started).toBeGreaterThanOrEqual(900)
      expect(Date.now() - started).toBeLessThan(5000)
    } finally {
      await short.close()
      fleet = await startDroplets({ count: 1, dir: path.join(dir, 'fleet'), port: d.port, baseAddress: BASE })
    }
  })

  it('detects a frozen sshd (SIGSTOP, no RST) within the keepalive window, and recovers after SIGCONT', async () => {
    const { id, localPort } = await env.call('tunnels.start', { hostId: 'prod', remoteHost: '127.0.0.1', remotePort: echo.port })
    expect(await roundTrip(localPort, 'warm')).toBe('warm')
    const pids = [fleet.droplets[0].pid, ...descendants(fleet.droplets[0].pid)]
    expect(pids.length).toBeGreaterThan(1) // the listener and our session's process
    for (const pid of pids) process.kill(pid, 'SIGSTOP')
    const frozenAt = Date.now()
    try {
      await waitUntil(async () => (await hostState()) === 'reconnecting', 10_000, 'dead connection detected')
      const detectedIn = Date.now() - frozenAt
      // ssh2 declares the peer dead after countMax unanswered keepalives: at most (countMax + 1) intervals, plus a tick.
      expect(detectedIn).toBeLessThanOrEqual(KEEPALIVE_MS * (KEEPALIVE_COUNT + 1) + 750)
      expect((await env.call('tunnels.list', {}))[0]).toMatchObject({ state: 'reconnecting', error: { code: 'TIMEOUT' } })
    } finally {
      for (const pid of pids) process.kill(pid, 'SIGCONT')
    }
    await waitUntil(async () => (await env.call('tunnels.list', {}))[0]?.state === 'up', 15_000, 'tunnel up after SIGCONT')
    expect(await roundTrip(localPort, 'thawed')).toBe('thawed')
    await env.call('tunnels.stop', { id })
  })
})
