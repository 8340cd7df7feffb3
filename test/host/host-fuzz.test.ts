/**
 * A fuzz pass over the headless host, run as an operator runs it (`src/main/host/cli.ts`, its own
 * process, a real Secret Service): malformed frames, a flood of calls, oversized batches and
 * frames, a client that never reads, and 1,100 connections held by a stranger. Afterwards the host
 * still answers, and its memory and fd count are back near where they started.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { RpcSocket, repoRoot } from '../support/host-harness'

let keyring: SecretService
let child: ChildProcessWithoutNullStreams
let dir: string
let rpcUrl: string
let port: number

/** Flat memory: without the limits, a client that never reads took the host from 105 MB to 1.7 GB. */
const RSS_BOUND_MB = 100
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024
const fds = () => readdirSync(`/proc/${child.pid}/fd`).length

beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'out/renderer/index.html'))) throw new Error('Build the renderer first: npm run build')
  keyring = await startSecretService()
  dir = await mkdtemp(join(tmpdir(), 'dropdeck-fuzz-'))
  await writeFile(join(dir, 'ssh_config'), '')
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main/host/cli.ts', '--port', '0'], {
    cwd: repoRoot,
    env: { ...process.env, ...keyring.env, DROPDECK_DATA_DIR: join(dir, 'data'), DROPDECK_SSH_CONFIG: join(dir, 'ssh_config') }
  })
  child.stderr.resume()
  let stdout = ''
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line; stdout: ${stdout}`)), 30_000)
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString()
      const match = /^DROPDECK_URL=(\S+)$/m.exec(stdout)
      if (match) {
        clearTimeout(timer)
        resolve(new URL(match[1]))
      }
    })
    child.once('exit', (code) => reject(new Error(`host exited with ${code}`)))
  })
  port = Number(url.port)
  rpcUrl = `ws://127.0.0.1:${port}/rpc?token=${url.searchParams.get('token')}`
})

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
  }
  await keyring?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

/**
 * Opens a raw socket, sends `frames`, and resolves with what came back once the socket closed, or
 * `answers` calls were answered, or (without `answers`) it went quiet.
 */
async function exchange(frames: Array<string | Buffer | { text: Buffer }>, answers?: number): Promise<{ replies: unknown[]; closeCode?: number }> {
  const ws = new WebSocket(rpcUrl)
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)))
  const replies: unknown[] = []
  let closeCode: number | undefined
  let last = Date.now()
  let answered = 0
  ws.on('message', (data) => {
    const reply = JSON.parse(data.toString()) as unknown
    replies.push(reply)
    answered += Array.isArray(reply) ? reply.length : 1
    last = Date.now()
  })
  ws.on('error', () => undefined)
  const closed = new Promise<void>((resolve) => ws.once('close', (code) => ((closeCode = code), resolve())))
  for (const f of frames) {
    if (ws.readyState !== ws.OPEN) break
    // { text } sends raw bytes in a text frame: the way to send invalid UTF-8.
    if (typeof f === 'object' && 'text' in f) ws.send(f.text, { binary: false })
    else ws.send(f, { binary: Buffer.isBuffer(f) })
  }
  const done = () => closeCode !== undefined || (answers === undefined ? Date.now() - last > 500 : answered >= answers || Date.now() - last > 15_000)
  while (!done()) await new Promise((r) => setTimeout(r, 50))
  ws.close()
  await Promise.race([closed, new Promise((r) => setTimeout(r, 1000))])
  return { replies, closeCode }
}

function malformedFrames(): Array<string | Buffer> {
  const frames: Array<string | Buffer> = ['', '{', '[', ']', 'null', 'true', '1', '"x"', '[]', '[1,2]', '{}', '{"jsonrpc":"1.0"}', '{"jsonrpc":"2.0"}', '{"jsonrpc":"2.0","method":1}', '{"jsonrpc":"2.0","method":"app.info","id":{}}', '{"jsonrpc":"2.0","method":"app.info","id":[1]}']
  frames.push(JSON.stringify({ jsonrpc: '2.0', id: 1, method: '__proto__' }), JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'constructor' }), JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'x'.repeat(100_000) }))
  frames.push(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'settings.update', params: JSON.parse('{"__proto__":{"polluted":true}}') }))
  frames.push(JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'settings.get', params: [1, 2, 3] }))
  frames.push(`{"jsonrpc":"2.0","id":6,"method":"app.info","params":${'['.repeat(10_000)}${']'.repeat(10_000)}}`)
  frames.push(Buffer.from([0x00, 0xff, 0x10]))
  // Seeded noise: byte soup and truncated calls.
  let seed = 12345
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x7fffffff)
  const valid = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'hosts.list', params: {} })
  for (let i = 0; i < 300; i++) {
    if (i % 3 === 0) frames.push(valid.slice(0, Math.floor(rand() * valid.length)))
    else if (i % 3 === 1) frames.push(Array.from({ length: 1 + Math.floor(rand() * 200) }, () => String.fromCharCode(32 + Math.floor(rand() * 95))).join(''))
    else frames.push(valid.replace(/[a-z]/, String.fromCharCode(97 + Math.floor(rand() * 26))))
  }
  return frames
}

describe('host fuzz', () => {
  it('survives malformed frames, floods, oversized batches, a client that never reads and 1,100 held connections, with flat memory', async () => {
    const probe = await RpcSocket.open(rpcUrl)
    expect((await probe.call('secrets.status')).result).toBeDefined()
    await new Promise((r) => setTimeout(r, 500))
    const before = { rss: rssMb(), fds: fds() }

    // 1. Malformed frames: each gets a JSON-RPC error (or, for a binary frame, BAD_REQUEST); nothing kills the host.
    const malformed = await exchange(malformedFrames(), 300)
    expect(malformed.replies.length).toBeGreaterThanOrEqual(300)
    for (const r of malformed.replies as Array<{ jsonrpc?: string; error?: { code: number } }>) {
      const list = Array.isArray(r) ? r : [r]
      for (const item of list) expect(item.jsonrpc).toBe('2.0')
    }
    // Invalid UTF-8 and a frame over 4 MiB close the socket with the WebSocket codes for them.
    expect((await exchange([{ text: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]) }], 1)).closeCode).toBe(1007)
    const huge = await exchange(['"' + 'x'.repeat(5 * 1024 * 1024) + '"'], 1)
    expect(huge.closeCode).toBe(1009)

    // 2. Oversized batches: refused whole, one error each.
    const batch = JSON.stringify(Array.from({ length: 5000 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'settings.get' })))
    const oversized = await exchange([batch, batch, batch], 3)
    expect(oversized.replies).toHaveLength(3)
    for (const r of oversized.replies) expect(r).toMatchObject({ id: null, error: { code: -32600, data: { code: 'BAD_REQUEST' } } })

    // 3. A flood from 10 sockets: every call answered (or refused as RATE_LIMITED), none lost.
    const mix = ['app.info', 'hosts.list', 'secrets.status', 'settings.get']
    const floodFrame = (s: number, f: number) => JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ jsonrpc: '2.0', id: `${s}-${f}-${i}`, method: mix[i % mix.length] })))
    const floods = await Promise.all(Array.from({ length: 10 }, (_, s) => exchange(Array.from({ length: 20 }, (_, f) => floodFrame(s, f)), 2000)))
    for (const flood of floods) {
      const answers = flood.replies.flat() as Array<{ result?: unknown; error?: { data: { code: string } } }>
      expect(answers).toHaveLength(2000)
      for (const a of answers) if (a.error) expect(a.error.data.code).toBe('RATE_LIMITED')
    }

    // 4. A client that sends but never reads.
    const deaf = new WebSocket(rpcUrl)
    await new Promise((resolve, reject) => (deaf.once('open', resolve), deaf.once('error', reject)))
    ;(deaf as unknown as { _socket: net.Socket })._socket.pause()
    deaf.on('error', () => undefined)
    const deafFrame = JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'settings.get' })))
    for (let i = 0; i < 3000 && deaf.readyState === deaf.OPEN; i++) {
      deaf.send(deafFrame)
      if (i % 200 === 0) await new Promise((r) => setImmediate(r))
    }
    await new Promise((r) => setTimeout(r, 2000))
    expect((await probe.call('app.info')).result).toMatchObject({ name: 'Dropdeck' })
    deaf.terminate()

    // 5. 1,100 connections held by a stranger (no token): the keychain and the host still answer.
    const held: net.Socket[] = []
    await Promise.all(
      Array.from({ length: 1100 }, () => new Promise<void>((resolve) => {
        const s = net.connect({ host: '127.0.0.1', port }, () => resolve())
        s.on('error', () => resolve())
        s.on('close', () => resolve())
        held.push(s)
      }))
    )
    expect(fds()).toBeLessThan(before.fds + 300)
    expect((await probe.call('secrets.status')).result).toBeDefined()
    for (const s of held) s.destroy()

    // The host settles back: fds to where they were, memory near where it was.
    await expect.poll(fds, { timeout: 10_000, interval: 200 }).toBeLessThanOrEqual(before.fds + 5)
    let after = rssMb()
    for (let i = 0; i < 20 && after > before.rss + RSS_BOUND_MB; i++) {
      await new Promise((r) => setTimeout(r, 500))
      after = rssMb()
    }
    console.log(`host fuzz: RSS ${before.rss.toFixed(0)} MB before, ${after.toFixed(0)} MB after; fds ${before.fds} before, ${fds()} after`)
    expect(after).toBeLessThan(before.rss + RSS_BOUND_MB)
    expect((await probe.call('secrets.status')).result).toBeDefined()
    expect((await probe.call('app.info')).result).toMatchObject({ name: 'Dropdeck' })
    probe.close()
  })
})
