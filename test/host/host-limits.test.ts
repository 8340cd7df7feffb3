/**
 * The host's own limits, against the real host over real sockets: the Host header (DNS
 * rebinding), symlinks out of the renderer folder, batch length, calls in flight, WebSocket
 * clients, and a client that stops reading its answers.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createServices } from '../../src/main/app/services'
import { startHost, type Host } from '../../src/main/host/server'
import type { HostLimits } from '../../src/main/host/limits'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { RpcSocket } from '../support/host-harness'

let keyring: SecretService
let dir: string
let rendererDir: string

/** A raw GET with any Host header (fetch will not send a foreign one). */
function get(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

async function hostWith(limits: Partial<HostLimits> = {}, log?: (line: string) => void): Promise<{ host: Host; calls: () => number; stop(): Promise<void> }> {
  const dataDir = await mkdtemp(join(dir, 'data-'))
  const services = createServices({ dataDir, version: '0.0.0-test' })
  // Counts what the router was asked to run: what the host read off the wire.
  let calls = 0
  const call = services.router.call.bind(services.router)
  services.router.call = (...args) => (calls++, call(...args))
  const host = await startHost({ services, rendererDir, limits, log })
  return {
    host,
    calls: () => calls,
    async stop() {
      await host.close()
      await services.dispose()
    }
  }
}

beforeAll(async () => {
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  dir = await mkdtemp(join(tmpdir(), 'dropdeck-limits-'))
  rendererDir = join(dir, 'renderer')
  await mkdir(join(rendererDir, 'assets'), { recursive: true })
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Dropdeck</title>')
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'export const ok = 1\n')
  await writeFile(join(dir, 'outside-secret.txt'), 'not for the browser\n')
  await symlink(join(dir, 'outside-secret.txt'), join(rendererDir, 'assets', 'leak.js'))
  await symlink(join(rendererDir, 'assets', 'app.js'), join(rendererDir, 'assets', 'alias.js'))
})
afterAll(async () => {
  await keyring?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('static files', () => {
  it('does not follow a symlink out of the renderer folder, and still serves one that stays inside', async () => {
    const running = await hostWith()
    try {
      const port = running.host.port
      const leak = await get(port, '/assets/leak.js', `127.0.0.1:${port}`)
      expect(leak.status).toBe(404)
      expect(leak.body).not.toContain('not for the browser')
      expect(await get(port, '/assets/alias.js', `127.0.0.1:${port}`)).toMatchObject({ status: 200, body: 'export const ok = 1\n' })
    } finally {
      await running.stop()
    }
  })
})

describe('Host header', () => {
  it('serves only 127.0.0.1:PORT and localhost:PORT, and refuses a rebound name on / and /rpc', async () => {
    const running = await hostWith()
    try {
      const { port, token } = running.host
      expect((await get(port, '/', `127.0.0.1:${port}`)).status).toBe(200)
      expect((await get(port, '/', `localhost:${port}`)).status).toBe(200)
      // Not [::1] either: the host listens on 127.0.0.1 only.
      for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1:${port + 1}`, '127.0.0.1', `[::1]:${port}`]) {
        expect((await get(port, '/', host)).status, host).toBe(421)
      }
      // No Origin (not a browser), the right token: still refused under a foreign Host.
      await expect(RpcSocket.open(`ws://127.0.0.1:${port}/rpc?token=${token}`, { host: `evil.example:${port}` })).rejects.toMatchObject({ status: 421 })
      const own = await RpcSocket.open(`ws://127.0.0.1:${port}/rpc?token=${token}`)
      expect((await own.call('app.info')).result).toMatchObject({ name: 'Dropdeck' })
      own.close()
    } finally {
      await running.stop()
    }
  })

  it('logs refused upgrades with client headers cut to 120 characters, one line per burst', async () => {
    const lines: string[] = []
    const running = await hostWith({}, (line) => lines.push(line))
    try {
      const { port, token } = running.host
      const origin = `http://evil.example/${'x'.repeat(12 * 1024)}`
      for (let i = 0; i < 30; i++) {
        await expect(RpcSocket.open(`ws://127.0.0.1:${port}/rpc?token=${token}`, { origin })).rejects.toMatchObject({ status: 403 })
      }
      const refusals = lines.filter((l) => l.includes('refused WebSocket'))
      expect(refusals.length).toBeGreaterThan(0)
      expect(refusals.length).toBeLessThan(30)
      expect(refusals[0]).toContain('Origin "http://evil.example/xxx')
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(300)
    } finally {
      await running.stop()
    }
  })
})

describe('JSON-RPC limits', () => {
  it('answers a batch of 100, and refuses a batch of 101 whole with -32600 BAD_REQUEST', async () => {
    const running = await hostWith()
    const client = await RpcSocket.open(`ws://127.0.0.1:${running.host.port}/rpc?token=${running.host.token}`)
    try {
      const batch = (n: number, from: number) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ jsonrpc: '2.0', id: from + i, method: 'app.info' })))
      client.sendRaw(batch(100, 1000))
      const answers = (await client.waitFor((f) => Array.isArray(f))) as unknown[]
      expect(answers).toHaveLength(100)
      const before = running.calls()
      client.sendRaw(batch(101, 2000))
      const refused = (await client.waitFor((f) => (f as { error?: { code: number } }).error?.code === -32600)) as { id: null; error: { message: string; data: { code: string; retryable: boolean } } }
      expect(refused).toMatchObject({ id: null, error: { data: { code: 'BAD_REQUEST', retryable: false } } })
      expect(refused.error.message).toContain('at most 100')
      expect(running.calls()).toBe(before)
    } finally {
      client.close()
      await running.stop()
    }
  })

  it('answers calls beyond the in-flight cap at once with RATE_LIMITED, and serves the socket after', async () => {
    const running = await hostWith({ maxInFlight: 5 })
    const client = await RpcSocket.open(`ws://127.0.0.1:${running.host.port}/rpc?token=${running.host.token}`)
    try {
      client.sendRaw(JSON.stringify(Array.from({ length: 20 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'secrets.status' }))))
      const answers = (await client.waitFor((f) => Array.isArray(f))) as Array<{ result?: unknown; error?: { code: number; data: { code: string; retryable: boolean } } }>
      expect(answers.filter((a) => a.result)).toHaveLength(5)
      const limited = answers.filter((a) => a.error)
      expect(limited).toHaveLength(15)
      for (const a of limited) expect(a.error).toMatchObject({ code: -32000, data: { code: 'RATE_LIMITED', retryable: true } })
      expect((await client.call('secrets.status')).result).toBeDefined()
    } finally {
      client.close()
      await running.stop()
    }
  })

  it('refuses WebSocket clients beyond its cap with 503, and takes one again when one leaves', async () => {
    const running = await hostWith({ maxClients: 3 })
    const url = `ws://127.0.0.1:${running.host.port}/rpc?token=${running.host.token}`
    const clients = [await RpcSocket.open(url), await RpcSocket.open(url), await RpcSocket.open(url)]
    try {
      await expect(RpcSocket.open(url)).rejects.toMatchObject({ status: 503 })
      clients.pop()!.close()
      await expect.poll(async () => RpcSocket.open(url).then((c) => (clients.push(c), true), () => false), { timeout: 5000 }).toBe(true)
    } finally {
      for (const c of clients) c.close()
      await running.stop()
    }
  })
})

describe('a client that does not read its answers', () => {
  /** Sends `frames` batches of 100 calls without ever reading; resolves when all are written or the socket died. */
  async function floodWithoutReading(url: string, frames: number): Promise<{ ws: WebSocket; closed: Promise<void> }> {
    const ws = new WebSocket(url)
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)))
    ;(ws as unknown as { _socket: { pause(): void } })._socket.pause()
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()))
    ws.on('error', () => undefined)
    const frame = JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'settings.get' })))
    for (let i = 0; i < frames && ws.readyState === ws.OPEN; i++) {
      ws.send(frame)
      if (i % 100 === 0) await new Promise((r) => setImmediate(r))
    }
    return { ws, closed }
  }

  it('stops reading its requests once answers pile up, and still serves other clients', async () => {
    const running = await hostWith()
    const url = `ws://127.0.0.1:${running.host.port}/rpc?token=${running.host.token}`
    const frames = 2000
    const { ws } = await floodWithoutReading(url, frames)
    try {
      // Let the host read all it is going to read.
      let seen = -1
      await expect.poll(() => (seen === running.calls() ? true : ((seen = running.calls()), false)), { timeout: 20_000, interval: 500 }).toBe(true)
      expect(running.calls()).toBeLessThan((frames * 100) / 2)
      const other = await RpcSocket.open(url)
      expect((await other.call('app.info')).result).toMatchObject({ name: 'Dropdeck' })
      other.close()
    } finally {
      ws.terminate()
      await running.stop()
    }
  })

  it('is closed once its unread answers stay past the close threshold without draining', async () => {
    const running = await hostWith({ pauseReadingBytes: 64 * 1024 * 1024, closeBufferedBytes: 256 * 1024, stalledReadMs: 1000 })
    const url = `ws://127.0.0.1:${running.host.port}/rpc?token=${running.host.token}`
    const { ws, closed } = await floodWithoutReading(url, 2000)
    try {
      // The client reads nothing, so it learns of the close only when it writes again.
      const poke = setInterval(() => ws.readyState === ws.OPEN && ws.send('{}'), 200)
      await closed.finally(() => clearInterval(poke))
      const other = await RpcSocket.open(url)
      expect((await other.call('app.info')).result).toMatchObject({ name: 'Dropdeck' })
      other.close()
    } finally {
      ws.terminate()
      await running.stop()
    }
  })

  /** A batch of 100 listings of a folder of 1,000 long names: one answer of about 25 MB. */
  async function largeAnswerFolder(): Promise<{ batch: string }> {
    const folder = join(dir, 'wide')
    await mkdir(folder, { recursive: true })
    await Promise.all(Array.from({ length: 1000 }, (_, i) => writeFile(join(folder, `${String(i).padStart(4, '0')}-${'n'.repeat(200)}`), '')))
    return { batch: JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'files.local.list', params: { path: folder } }))) }
  }

  it('is not closed for one answer larger than the close threshold while it reads', async () => {
    const { batch } = await largeAnswerFolder()
    const running = await hostWith({ pauseReadingBytes: 512 * 1024, closeBufferedBytes: 1024 * 1024, stalledReadMs: 2000, maxAnswerBytes: 64 * 1024 * 1024 })
    const url = `ws://127.0.0.1:${running.host.port}/rpc?token=${running.host.token}`
    const socket = await RpcSocket.open(url)
    let closed = false
    socket.ws.once('close', () => (closed = true))
    try {
      socket.sendRaw(batch)
      const answer = (await socket.waitFor((f) => Array.isArray(f), 60_000)) as Array<{ result?: { entries: unknown[] } }>
      expect(answer).toHaveLength(100)
      expect(answer.every((r) => r.result?.entries.length === 1000)).toBe(true)
      expect(closed).toBe(false)
      expect((await socket.call('app.info')).result).toMatchObject({ name: 'Dropdeck' })
    } finally {
      socket.close()
      await running.stop()
    }
  }, 90_000)

  it('answers a call whose answer is over the size cap with BAD_REQUEST naming the size, and serves the socket after', async () => {
    const { batch } = await largeAnswerFolder()
    const running = await hostWith({ maxAnswerBytes: 1024 * 1024 })
    const url = `ws://127.0.0.1:${running.host.port}/rpc?token=${running.host.token}`
    const socket = await RpcSocket.open(url)
    try {
      socket.sendRaw(batch)
      const answer = (await socket.waitFor((f) => Array.isArray(f), 60_000)) as Array<{ id: number; error?: { message: string; data: { code: string } } }>
      expect(answer.map((r) => r.id)).toEqual(Array.from({ length: 100 }, (_, i) => i))
      expect(answer.every((r) => r.error?.data.code === 'BAD_REQUEST')).toBe(true)
      expect(answer[0].error?.message).toMatch(/^The answer would be \d+\.\d MB, more than the 1 MB the host sends at once; narrow the request or split the batch\.$/)
      expect((await socket.call('app.info')).result).toMatchObject({ name: 'Dropdeck' })
    } finally {
      socket.close()
      await running.stop()
    }
  }, 90_000)
})
