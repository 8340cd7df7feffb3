/**
 * Tunnels through a real sshd: byte-exact both ways, half-close, many connections, counters,
 * PORT_IN_USE with the holder's pid, ownership by the call context.
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDroplets, type Droplets, type DropletServer } from '../fleet/sshd'
import { descendants } from '../fleet/proc'
import { EventBus } from '../../src/main/rpc/event-bus'
import { createCallContext } from '../../src/main/rpc/context'
import { createSshServices } from '../../src/main/ssh/ssh-handlers'
import type { Tunnel } from '../../src/shared/contract/ssh'
import { createSshEnv, hostBlock, memoryKeychain, rejection, waitUntil, type SshEnv } from './support/ssh-env'
import { startEchoServer, startSourceSink, type TestServer } from './support/servers'

const hasSshd = existsSync('/usr/sbin/sshd')

/** Connects, writes `payload`, ends its side, and collects everything until the server's EOF. */
function roundTrip(port: number, payload: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const s = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true }, () => s.end(payload))
    s.on('data', (c: Buffer) => chunks.push(c))
    s.on('end', () => {
      s.destroy()
      resolve(Buffer.concat(chunks))
    })
    s.on('error', reject)
  })
}

describe.skipIf(!hasSshd)('tunnels', () => {
  let fleet: Droplets
  let d: DropletServer
  let dir: string
  let env: SshEnv
  let echo: TestServer

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dd-ssh-tun-'))
    fleet = await startDroplets({ count: 1, dir: path.join(dir, 'fleet'), port: 'auto', baseAddress: '127.0.22.2' })
    d = fleet.droplets[0]
    const knownHosts = path.join(dir, 'known_hosts')
    writeFileSync(knownHosts, `[${d.host}]:${d.port} ${d.hostPublicKey}\n`)
    env = createSshEnv(hostBlock('prod', d, [`IdentityFile ${fleet.privateKeyPath}`, 'IdentitiesOnly yes', `UserKnownHostsFile ${knownHosts}`]))
    echo = await startEchoServer()
  })

  afterAll(async () => {
    await env?.close()
    await echo?.close()
    await fleet?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('carries 5 MB each way byte-exact (sha256), and counts bytes and connections', async () => {
    const sink = await startSourceSink(5 * 1024 * 1024)
    try {
      const { id, localPort } = await env.call('tunnels.start', { hostId: 'prod', remoteHost: '127.0.0.1', remotePort: sink.port })
      const up = randomBytes(5 * 1024 * 1024)
      const got = await roundTrip(localPort, up)
      const result = await sink.results[0]
      expect(result.received).toBe(up.length)
      expect(result.receivedSha).toBe(createHash('sha256').update(up).digest('hex'))
      expect(got.length).toBe(5 * 1024 * 1024)
      expect(createHash('sha256').update(got).digest('hex')).toBe(result.sentSha)
      await waitUntil(() => env.call('tunnels.list', {}).then((l) => l[0]?.bytesIn === got.length), 3000, 'counters')
      expect((await env.call('tunnels.list', {})).find((t) => t.id === id)).toMatchObject({ state: 'up', connections: 1, bytesIn: 5 * 1024 * 1024, bytesOut: 5 * 1024 * 1024, hostId: 'prod', localPort })
      await env.call('tunnels.stop', { id })
    } finally {
      await sink.close()
    }
  })

  it('carries TCP half-close: a client that shuts its write side still gets the reply', async () => {
    const replier = await startEchoServer({ afterEof: (got) => Buffer.from(`got ${got.length} bytes: ${got.toString()}`) })
    try {
      const { id, localPort } = await env.call('tunnels.start', { hostId: 'prod', remoteHost: '127.0.0.1', remotePort: replier.port })
      // The server answers only after it saw our EOF, so the reply proves EOF went through and the way back stayed open.
      expect((await roundTrip(localPort, Buffer.from('ping'))).toString()).toBe('got 4 bytes: ping')
      await env.call('tunnels.stop', { id })
    } finally {
      await replier.close()
    }
  })

  it('counts the bytes of a connection that is still open (no counter waits for it to close)', async () => {
    const { id, localPort } = await env.call('tunnels.start', { hostId: 'prod', remoteHost: '127.0.0.1', remotePort: echo.port })
    const s = net.connect({ host: '127.0.0.1', port: localPort })
    try {
      const payload = randomBytes(100_000)
      let got = 0
      s.on('data', (c: Buffer) => (got += c.length))
      s.write(payload)
      await waitUntil(async () => got === payload.length, 5000, 'the echo')
      // The socket stays open: the counters still follow it (tunnels.list and the next counter event).
      await waitUntil(async () => (await env.call('tunnels.list', {})).find((t) => t.id === id)?.bytesIn === payload.length, 3000, 'bytesIn of the open connection')
      expect((await env.call('tunnels.list', {})).find((t) => t.id === id)).toMatchObject({ connections: 1, bytesIn: payload.length, bytesOut: payload.length })
      s.write(Buffer.from('more'))
      await waitUntil(async () => got === payload.length + 4, 5000, 'the second echo')
    } finally {
      s.destroy()
    }
    // Closed: its bytes stay counted.
    await waitUntil(async () => (await env.call('tunnels.list', {})).find((t) => t.id === id)?.bytesOut === 100_004, 3000, 'the closed connection kept in the counts')
    expect((await env.call('tunnels.list', {})).find((t) => t.id === id)?.bytesIn).toBe(100_004)
    await env.call('tunnels.stop', { id })
  })

  it('carries half-close the other way: the far side finishes first, the client answers after that EOF and closes', async () => {
    // The far side greets, ends its side at once and keeps reading; the client answers after that EOF and closes.
    const got: Buffer[] = []
    const received = new Promise<Buffer>((resolve) => {
      const server = net.createServer({ allowHalfOpen: true }, (s) => {
        s.end('hello')
        s.on('data', (c: Buffer) => got.push(c))
        s.on('end', () => {
          resolve(Buffer.concat(got))
          server.close()
        })
      })
      server.listen(0, '127.0.0.1', () => void start((server.address() as net.AddressInfo).port))
    })
    const answer = randomBytes(300_000)
    let tunnelId = ''
    const start = async (port: number) => {
      const { id, localPort } = await env.call('tunnels.start', { hostId: 'prod', remoteHost: '127.0.0.1', remotePort: port })
      tunnelId = id
      const c = net.connect({ host: '127.0.0.1', port: localPort, allowHalfOpen: true })
      const greeting: Buffer[] = []
      c.on('data', (b: Buffer) => greeting.push(b))
      c.on('end', () => {
        expect(Buffer.concat(greeting).toString()).toBe('hello')
        c.end(answer) // both directions now done from the client's view
      })
    }
    const all = await received
    expect(all.length).toBe(answer.length)
    expect(all.equals(answer)).toBe(true)
    await env.call('tunnels.stop', { id: tunnelId })
  })

  it('serves 50 concurrent connections on one tunnel', async () => {
    const { id, localPort } = await env.call('tunnels.start', { hostId: 'prod', remoteHost: '127.0.0.1', remotePort: echo.port })
    const payloads = Array.from({ length: 50 }, () => randomBytes(64 * 1024 + Math.floor(Math.random() * 64 * 1024)))
    const replies = await Promise.all(payloads.map((p) => roundTrip(localPort, p)))
    replies.forEach((r, i) => expect(r.equals(payloads[i])).toBe(true))
    expect((await env.call('tunnels.list', {})).find((t) => t.id === id)?.connections).toBe(50)
    await env.call('tunnels.stop', { id })
  })

  it('refuses a taken port with PORT_IN_USE, naming the holder (this process) and a free port', async () => {
    const holder = net.createServer()
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r))
    const port = (holder.address() as net.AddressInfo).port
    try {
      const err = await rejection(env.call('tunnels.start', { hostId: 'prod', remoteHost: '127.0.0.1', remotePort: echo.port, localPort: port }))
      expect(err.code).toBe('PORT_IN_USE')
      const data = err.data as { port: number; holder?: { pid: number; command: string }; suggestion: number }
      expect(data.port).toBe(port)
      expect(data.holder?.pid).toBe(process.pid)
      expect(data.holder?.command).toMatch(/node/)
      expect(data.suggestion).not.toBe(port)
      // The suggestion really is free.
      const { id, localPort } = await env.call('tunnels.start', { hostId: 'prod', remoteHost: '127.0.0.1', remotePort: echo.port, localPort: data.suggestion })
      expect(localPort).toBe(data.suggestion)
      await env.call('tunnels.stop', { id })
      expect(await env.call('tunnels.list', {})).toEqual([])
    } finally {
      holder.close()
    }
  })

  it('belongs to the context that opened it: disposing the context stops it and frees the port', async () => {
    const { createCallContext } = await import('../../src/main/rpc/context')
    const ctx = createCallContext('window-2', env.bus)
    const { localPort } = await env.ssh.handlers['tunnels.start']({ hostId: 'prod', remoteHost: '127.0.0.1', remotePort: echo.port }, ctx)
    expect((await roundTrip(localPort, Buffer.from('x'))).toString()).toBe('x')
    expect(ctx.disposables.size).toBe(1)
    await ctx.dispose()
    expect(await env.call('tunnels.list', {})).toEqual([])
    await expect(roundTrip(localPort, Buffer.from('x'))).rejects.toThrow(/ECONNREFUSED/)
  })

  it('sends counter changes at most once a second per tunnel, and state changes at once', async () => {
    const { id, localPort } = await env.call('tunnels.start', { hostId: 'prod', remoteHost: '127.0.0.1', remotePort: echo.port })
    const seen: { at: number; tunnel: Tunnel }[] = []
    const unsubscribe = env.bus.subscribe((event, payload) => {
      if (event === 'tunnels.changed' && 'tunnel' in (payload as object) && (payload as { tunnel: Tunnel }).tunnel.id === id) seen.push({ at: Date.now(), tunnel: (payload as { tunnel: Tunnel }).tunnel })
    })
    try {
      const started = Date.now()
      for (let i = 0; i < 25; i++) {
        expect((await roundTrip(localPort, Buffer.from(`c${i}`))).toString()).toBe(`c${i}`)
        await new Promise((r) => setTimeout(r, 100))
      }
      const busyMs = Date.now() - started
      // 25 connections and their bytes over ~3 s: a handful of events, never two within a second.
      const counters = seen.filter((e) => e.tunnel.state === 'up')
      expect(counters.length).toBeGreaterThanOrEqual(2)
      expect(counters.length).toBeLessThanOrEqual(Math.ceil(busyMs / 1000) + 1)
      for (let i = 1; i < counters.length; i++) expect(counters[i].at - counters[i - 1].at).toBeGreaterThanOrEqual(990)
      // The last changes still arrive, in the trailing event.
      await waitUntil(() => seen.at(-1)?.tunnel.connections === 25, 2500, 'the trailing counter event')
      expect(seen.at(-1)?.tunnel).toMatchObject({ connections: 25, bytesIn: seen.at(-1)!.tunnel.bytesOut })

      // A counter event was just sent; the session dying right now is still reported at once.
      await roundTrip(localPort, Buffer.from('last'))
      const killedAt = Date.now()
      for (const pid of descendants(d.pid)) process.kill(pid, 'SIGKILL')
      await waitUntil(() => seen.some((e) => e.tunnel.state === 'reconnecting'), 2000, 'the reconnecting event')
      expect(seen.find((e) => e.tunnel.state === 'reconnecting')!.at - killedAt).toBeLessThan(500)
      await waitUntil(() => seen.at(-1)?.tunnel.state === 'up', 10_000, 'the tunnel to come back')
    } finally {
      unsubscribe()
      await env.call('tunnels.stop', { id })
    }
  })

  it('marks a running tunnel to start on launch (the app owns it, tunnels.json keeps it) and back (the caller owns it)', async () => {
    const window2 = createCallContext('window-2', env.bus)
    const { id, localPort } = await env.ssh.handlers['tunnels.start']({ hostId: 'prod', remoteHost: '127.0.0.1', remotePort: echo.port }, window2)
    const launchFile = path.join(env.dataDir, 'tunnels.json')
    const saved = () => (existsSync(launchFile) ? (JSON.parse(readFileSync(launchFile, 'utf8')) as { localPort: number }[]) : [])
    const marked = await env.ssh.handlers['tunnels.setStartOnLaunch']({ id, startOnLaunch: true }, window2)
    expect(marked).toMatchObject({ id, startOnLaunch: true, localPort, state: 'up' })
    expect(saved()).toEqual([{ hostId: 'prod', remoteHost: '127.0.0.1', remotePort: echo.port, localPort }])
    expect(env.events.at(-1)).toMatchObject({ event: 'tunnels.changed', payload: { tunnel: { id, startOnLaunch: true } } })
    // Closing the window that opened it no longer stops it.
    await window2.dispose()
    expect((await roundTrip(localPort, Buffer.from('still here'))).toString()).toBe('still here')

    // Turned off from another window: that window owns it now, and closing it stops the tunnel.
    const window3 = createCallContext('window-3', env.bus)
    expect(await env.ssh.handlers['tunnels.setStartOnLaunch']({ id, startOnLaunch: false }, window3)).toMatchObject({ startOnLaunch: false })
    expect(saved()).toEqual([])
    await window3.dispose()
    expect((await env.call('tunnels.list', {})).some((t) => t.id === id)).toBe(false)
    await expect(roundTrip(localPort, Buffer.from('x'))).rejects.toThrow(/ECONNREFUSED/)
    expect((await rejection(env.call('tunnels.setStartOnLaunch', { id, startOnLaunch: true }))).code).toBe('NOT_FOUND')
  })

  it('starts a start-on-launch tunnel again at the next launch, on the same port', async () => {
    const first = createSshEnv(readFileSync(env.configPath, 'utf8'))
    try {
      const { id, localPort } = await first.call('tunnels.start', { hostId: 'prod', remoteHost: '127.0.0.1', remotePort: echo.port })
      await first.call('tunnels.setStartOnLaunch', { id, startOnLaunch: true })
      await first.ssh.dispose() // the app quits: the tunnel closes but stays in tunnels.json
      await expect(roundTrip(localPort, Buffer.from('x'))).rejects.toThrow(/ECONNREFUSED/)
      const next = createSshServices({ dataDir: first.dataDir, bus: new EventBus(), env: { DROPDECK_SSH_CONFIG: first.configPath }, keychain: memoryKeychain(), log: () => undefined })
      try {
        await next.startLaunchTunnels()
        expect(next.tunnels.list()).toMatchObject([{ hostId: 'prod', localPort, remotePort: echo.port, startOnLaunch: true }])
        expect((await roundTrip(localPort, Buffer.from('back'))).toString()).toBe('back')
      } finally {
        await next.dispose()
      }
    } finally {
      await first.close()
    }
  })

  it('emits tunnels.changed and fails cleanly for an unknown host', async () => {
    expect((await rejection(env.call('tunnels.start', { hostId: 'nope', remoteHost: 'localhost', remotePort: 80 }))).code).toBe('NOT_FOUND')
    expect(env.events.some((e) => e.event === 'tunnels.changed')).toBe(true)
  })
})
