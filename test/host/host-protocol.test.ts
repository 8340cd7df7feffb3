/**
 * The headless host's WebSocket: token, origin, JSON-RPC 2.0 framing and error codes, against the
 * real host and services over a real socket. Each bad input is refused and the host keeps serving.
 */
import { connect } from 'node:net'
import { networkInterfaces } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { RpcSocket, runHost, type RunningHost } from '../support/host-harness'

let keyring: SecretService
let running: RunningHost
let ws: string

beforeAll(async () => {
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  running = await runHost()
  ws = `ws://127.0.0.1:${running.host.port}/rpc`
})

afterAll(async () => {
  await running?.stop()
  await keyring?.stop()
})

describe('headless host: who may connect', () => {
  it('issues a url-safe token of at least 20 characters and prints it in the URL', () => {
    expect(running.host.token).toMatch(/^[A-Za-z0-9_-]{20,}$/)
    expect(running.host.url).toBe(`http://127.0.0.1:${running.host.port}/?token=${running.host.token}`)
  })

  it('refuses a missing or wrong token with 401', async () => {
    await expect(RpcSocket.open(ws)).rejects.toMatchObject({ status: 401 })
    await expect(RpcSocket.open(`${ws}?token=${running.host.token}x`)).rejects.toMatchObject({ status: 401 })
    await expect(RpcSocket.open(ws, { authorization: 'Bearer nope' })).rejects.toMatchObject({ status: 401 })
  })

  it('accepts the token as a query parameter or a Bearer header', async () => {
    const a = await RpcSocket.open(`${ws}?token=${running.host.token}`)
    const b = await RpcSocket.open(ws, { authorization: `Bearer ${running.host.token}` })
    expect((await a.call('app.info')).result).toEqual({ name: 'Dropdeck', version: '0.0.0-test' })
    expect((await b.call('app.info')).result).toEqual({ name: 'Dropdeck', version: '0.0.0-test' })
    a.close()
    b.close()
  })

  it('refuses a foreign Origin with 403 even with the right token, and accepts its own', async () => {
    await expect(RpcSocket.open(`${ws}?token=${running.host.token}`, { origin: 'https://evil.example' })).rejects.toMatchObject({ status: 403 })
    await expect(RpcSocket.open(`${ws}?token=${running.host.token}`, { origin: `http://127.0.0.1:${running.host.port + 1}` })).rejects.toMatchObject({ status: 403 })
    const own = await RpcSocket.open(`${ws}?token=${running.host.token}`, { origin: `http://127.0.0.1:${running.host.port}` })
    own.close()
  })

  it('binds to loopback only: the port is closed on every other address of this machine', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => a!.address)
    for (const address of external) {
      const outcome = await new Promise<string>((done) => {
        const socket = connect({ host: address, port: running.host.port })
        socket.once('connect', () => (socket.destroy(), done('connected')))
        socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? 'error'))
      })
      expect(outcome, address).toBe('ECONNREFUSED')
    }
  })
})

describe('headless host: JSON-RPC 2.0', () => {
  let client: RpcSocket
  beforeAll(async () => {
    client = await RpcSocket.open(`${ws}?token=${running.host.token}`)
  })
  afterAll(() => client.close())

  it('answers -32700 to a frame that is not JSON, then keeps serving', async () => {
    client.sendRaw('{"jsonrpc": "2.0", "method": ')
    const reply = (await client.waitFor((f) => (f as { error?: { code: number } }).error?.code === -32700)) as { id: null; error: { data: { code: string } } }
    expect(reply.id).toBeNull()
    expect(reply.error.data.code).toBe('BAD_REQUEST')
    expect((await client.call('app.info')).result).toMatchObject({ name: 'Dropdeck' })
  })

  it('answers -32600 to a frame that is not a request', async () => {
    client.sendRaw(JSON.stringify({ jsonrpc: '1.0', id: 'x', method: 'app.info' }))
    const reply = (await client.waitFor((f) => (f as { id?: unknown }).id === 'x')) as { error: { code: number } }
    expect(reply.error.code).toBe(-32600)
  })

  it('answers -32601 with METHOD_NOT_FOUND to an unknown method', async () => {
    const reply = (await client.call('droplets.destroyEverything', {})) as { error: { code: number; message: string; data: { code: string } } }
    expect(reply.error.code).toBe(-32601)
    expect(reply.error.data.code).toBe('METHOD_NOT_FOUND')
  })

  it('answers -32602 with BAD_REQUEST and the field to params of the wrong shape', async () => {
    for (const params of [{ key: 'aws', value: 'x' }, [1, 2], { key: 'digitalocean', value: '' }]) {
      const reply = (await client.call('secrets.set', params)) as { error: { code: number; message: string; data: { code: string; retryable: boolean } } }
      expect(reply.error.code).toBe(-32602)
      expect(reply.error.data).toMatchObject({ code: 'BAD_REQUEST', retryable: false })
    }
  })

  it('answers a batch in one frame and sends nothing for notifications', async () => {
    client.sendRaw(
      JSON.stringify([
        { jsonrpc: '2.0', id: 'b1', method: 'app.info' },
        { jsonrpc: '2.0', method: 'app.info' },
        { jsonrpc: '2.0', id: 'b2', method: 'nope' }
      ])
    )
    const batch = (await client.waitFor((f) => Array.isArray(f))) as Array<{ id: string }>
    expect(batch.map((r) => r.id).sort()).toEqual(['b1', 'b2'])
  })

  it('pushes contract events as notifications to every client', async () => {
    const other = await RpcSocket.open(`${ws}?token=${running.host.token}`)
    const reply = await client.call('settings.update', { theme: 'dark' })
    expect(reply.result).toMatchObject({ theme: 'dark' })
    const note = (await other.waitFor((f) => (f as { method?: string }).method === 'settings.changed')) as { id?: unknown; params: { theme: string } }
    expect(note.id).toBeUndefined()
    expect(note.params.theme).toBe('dark')
    other.close()
  })

  it('refuses binary frames and keeps the connection', async () => {
    client.ws.send(Buffer.from([1, 2, 3]))
    await client.waitFor((f) => (f as { error?: { message: string } }).error?.message.includes('text frames') === true)
    expect((await client.call('app.info')).result).toMatchObject({ name: 'Dropdeck' })
  })
})

describe('headless host: secrets are write-only', () => {
  it('stores a token in the real keychain, reports presence, and never returns it', async () => {
    const client = await RpcSocket.open(`${ws}?token=${running.host.token}`)
    const token = 'dop_v1_' + 'a1b2c3'.repeat(10)
    expect((await client.call('secrets.set', { key: 'digitalocean', value: token, verify: false })).result).toEqual({ digitalocean: true, cloudflare: false })
    expect(await running.services.secrets.token('digitalocean')).toBe(token)
    // Every method a client can call without params, and every frame it received: none carries the token.
    for (const method of ['app.info', 'secrets.status', 'secrets.keychain', 'settings.get']) await client.call(method)
    expect(JSON.stringify(client.frames)).not.toContain(token)
    expect((await client.call('secrets.delete', { key: 'digitalocean' })).result).toEqual({ digitalocean: false, cloudflare: false })
    expect(await running.services.secrets.token('digitalocean')).toBeNull()
    client.close()
  })
})

describe('headless host: plain HTTP to /rpc', () => {
  it('tells a browser why its handshake would fail: 401, 403, or 426 when it would succeed', async () => {
    const base = `http://127.0.0.1:${running.host.port}/rpc`
    expect((await fetch(base)).status).toBe(401)
    expect((await fetch(`${base}?token=wrong`)).status).toBe(401)
    expect((await fetch(`${base}?token=${running.host.token}`, { headers: { origin: 'https://evil.example' } })).status).toBe(403)
    const ok = await fetch(`${base}?token=${running.host.token}`)
    expect(ok.status).toBe(426)
  })
})
