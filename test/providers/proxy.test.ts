/**
 * The headless host's provider HTTP behind a corporate proxy, through real servers on loopback: an HTTP
 * CONNECT proxy, and an HTTPS stub whose certificate comes from a test CA (made with openssl).
 *
 * Loopback is not exempt from the proxy (see no-proxy.ts), so a stub at 127.0.0.1 is reached through the
 * proxy unless NO_PROXY names it: exactly what these tests rely on.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { createServer as createNetServer, type AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DropdeckError } from '../../src/shared/errors'
import { createNodeFetch, describeProxy, type NodeFetch } from '../../src/main/providers/http/node-fetch'
import { startConnectProxy, type ConnectProxy, type ConnectProxyOptions } from '../support/connect-proxy'
import { createTestCa, type TestCa } from '../support/test-ca'

interface Stub {
  port: number
  requests: Array<{ host: string; url: string }>
  close(): Promise<void>
}

/** Answers every request with JSON naming what it saw; listens on 127.0.0.1 and ::1 on one port. */
async function startStub(make: (handler: (req: IncomingMessage, res: ServerResponse) => void) => Server): Promise<Stub> {
  const requests: Stub['requests'] = []
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    requests.push({ host: req.headers.host ?? '', url: req.url ?? '' })
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, path: req.url }))
  }
  for (let attempt = 0; ; attempt++) {
    const v4 = make(handler)
    await new Promise<void>((resolve) => v4.listen(0, '127.0.0.1', resolve))
    const { port } = v4.address() as AddressInfo
    const v6 = make(handler)
    const ok = await new Promise<boolean>((resolve) => {
      v6.once('error', () => resolve(false))
      v6.listen(port, '::1', () => resolve(true))
    })
    const servers = ok ? [v4, v6] : [v4]
    if (!ok && attempt < 5) {
      v4.close()
      continue
    }
    return {
      port,
      requests,
      async close() {
        await Promise.all(servers.map((s) => new Promise<void>((resolve) => {
          s.close(() => resolve())
          s.closeAllConnections()
        })))
      }
    }
  }
}

async function closedPort(): Promise<number> {
  const server = createNetServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

let ca: TestCa
let otherCa: TestCa
let https: Stub
let http: Stub
const fetches: NodeFetch[] = []
const proxies: ConnectProxy[] = []

beforeAll(async () => {
  ;[ca, otherCa] = await Promise.all([createTestCa(), createTestCa('Some Other CA')])
  https = await startStub((handler) => createHttpsServer({ key: ca.serverKey, cert: ca.serverCert }, handler))
  http = await startStub((handler) => createHttpServer(handler))
})

afterAll(async () => {
  await Promise.all([https?.close(), http?.close(), ca?.cleanup(), otherCa?.cleanup()])
})

afterEach(async () => {
  await Promise.all(fetches.splice(0).map((f) => f.close()))
  await Promise.all(proxies.splice(0).map((p) => p.close()))
})

function makeFetch(env: NodeJS.ProcessEnv, options?: { caFile?: string }): NodeFetch {
  const f = createNodeFetch(env, options)
  fetches.push(f)
  return f
}

async function proxyServer(options?: ConnectProxyOptions): Promise<ConnectProxy> {
  const proxy = await startConnectProxy(options)
  proxies.push(proxy)
  return proxy
}

async function failure(promise: Promise<unknown>): Promise<DropdeckError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(DropdeckError)
  return err as DropdeckError
}

describe('provider HTTP through an HTTPS_PROXY', () => {
  it('tunnels https through the proxy with CONNECT, trusting the extra CA', async () => {
    const proxy = await proxyServer()
    const f = makeFetch({ HTTPS_PROXY: proxy.url }, { caFile: ca.caCertFile })

    const res = await f(`https://127.0.0.1:${https.port}/v2/account`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true, path: '/v2/account' })
    const again = await f(new URL(`https://127.0.0.1:${https.port}/v2/droplets?page=2`))
    expect(await again.json()).toEqual({ ok: true, path: '/v2/droplets?page=2' })

    // Every tunnel is a CONNECT to the stub. (The second request reuses the first tunnel only if the
    // connection is back in the pool by then, which is timing; so no count of exactly one.)
    expect(proxy.connects.length).toBeGreaterThanOrEqual(1)
    expect(proxy.connects.every((c) => c.target === `127.0.0.1:${https.port}` && c.status === 200)).toBe(true)
    expect(proxy.connections).toBe(proxy.connects.length)
    expect(https.requests.at(-1)).toEqual({ host: `127.0.0.1:${https.port}`, url: '/v2/droplets?page=2' })
  })

  it('takes the CA from DROPDECK_CA_FILE, by host name, and a global Request with a body', async () => {
    const proxy = await proxyServer()
    const f = makeFetch({ https_proxy: proxy.url, DROPDECK_CA_FILE: ca.caCertFile })
    const res = await f(new Request(`https://localhost:${https.port}/v2/droplets/1/actions`, { method: 'POST', body: '{"type":"reboot"}' }))
    expect(await res.json()).toEqual({ ok: true, path: '/v2/droplets/1/actions' })
    expect(proxy.connects).toEqual([{ target: `localhost:${https.port}`, status: 200 }])
  })

  it('a CA file without the issuing CA: says the file lacks it', async () => {
    const proxy = await proxyServer()
    const f = makeFetch({ HTTPS_PROXY: proxy.url }, { caFile: otherCa.caCertFile })
    const err = await failure(f(`https://127.0.0.1:${https.port}/`))
    expect(err.message).toContain(`DROPDECK_CA_FILE (${otherCa.caCertFile}) does not include the CA that issued it`)
  })

  it('without the CA, fails through the tunnel and says to set DROPDECK_CA_FILE', async () => {
    const proxy = await proxyServer()
    const f = makeFetch({ HTTPS_PROXY: proxy.url })
    const err = await failure(f(`https://127.0.0.1:${https.port}/v2/account`))
    expect(err.code).toBe('UPSTREAM')
    expect(err.retryable).toBe(false)
    expect(err.message).toMatch(/^Could not reach 127\.0\.0\.1:\d+: its TLS certificate is not trusted \([A-Z_]+\): .*set DROPDECK_CA_FILE/)
    expect(proxy.connects).toEqual([{ target: `127.0.0.1:${https.port}`, status: 200 }])
  })

  it("the caller's abort stays an AbortError, not a network failure", async () => {
    const proxy = await proxyServer()
    const f = makeFetch({ HTTPS_PROXY: proxy.url }, { caFile: ca.caCertFile })
    const err = await f(`https://127.0.0.1:${https.port}/`, { signal: AbortSignal.abort() }).catch((e: unknown) => e)
    expect(err).not.toBeInstanceOf(DropdeckError)
    expect((err as Error).name).toBe('AbortError')
  })

  it('a CA file that cannot be read fails the request with a precise message', async () => {
    const f = makeFetch({}, { caFile: '/nonexistent/ca.pem' })
    const err = await failure(f(`https://127.0.0.1:${https.port}/`))
    expect(err.code).toBe('BAD_REQUEST')
    expect(err.message).toContain('/nonexistent/ca.pem (DROPDECK_CA_FILE) cannot be read (ENOENT)')
  })
})

describe('proxy credentials', () => {
  const credentials = { username: 'ops@corp', password: 'p@ss:w/rd' }

  it('sends the userinfo of HTTPS_PROXY as Proxy-Authorization Basic, decoded', async () => {
    const proxy = await proxyServer({ credentials })
    const f = makeFetch({ HTTPS_PROXY: proxy.urlWith(credentials.username, credentials.password) }, { caFile: ca.caCertFile })
    const res = await f(`https://127.0.0.1:${https.port}/v2/account`)
    expect(res.status).toBe(200)
    expect(proxy.connects).toEqual([{ target: `127.0.0.1:${https.port}`, status: 200 }])
  })

  it('wrong credentials: names the proxy, the 407 and the variable to fix', async () => {
    const proxy = await proxyServer({ credentials })
    const f = makeFetch({ HTTPS_PROXY: proxy.urlWith(credentials.username, 'wrong') }, { caFile: ca.caCertFile })
    const seenByStub = https.requests.length
    const err = await failure(f(`https://127.0.0.1:${https.port}/v2/account`))
    expect(err.message).toBe(
      `Could not reach 127.0.0.1:${https.port}: the proxy at 127.0.0.1:${proxy.port} refused the connection (407 Proxy Authentication Required): check HTTPS_PROXY credentials.`
    )
    expect(err).toMatchObject({ code: 'UPSTREAM', retryable: false, data: { reason: 'PROXY_AUTH', proxy: `http://ops%40corp:****@127.0.0.1:${proxy.port}` } })
    expect(err.message).not.toContain('wrong')
    expect(proxy.connects).toEqual([{ target: `127.0.0.1:${https.port}`, status: 407 }])
    expect(https.requests.length).toBe(seenByStub)
  })

  it('no credentials for a proxy that wants them: says how to give them', async () => {
    const proxy = await proxyServer({ credentials })
    const f = makeFetch({ https_proxy: proxy.url }, { caFile: ca.caCertFile })
    const err = await failure(f(`https://127.0.0.1:${https.port}/`))
    expect(err.message).toContain(
      `the proxy at 127.0.0.1:${proxy.port} refused the connection (407 Proxy Authentication Required): it wants credentials: set https_proxy to http://user:password@127.0.0.1:${proxy.port}`
    )
  })
})

describe('a proxy that says no, or is not there', () => {
  it('refusing CONNECT (403): a precise error, not "fetch failed"', async () => {
    const proxy = await proxyServer({ refuse: true })
    const f = makeFetch({ HTTPS_PROXY: proxy.url }, { caFile: ca.caCertFile })
    const err = await failure(f(`https://127.0.0.1:${https.port}/v2/account`))
    expect(err.message).toContain(`the proxy at 127.0.0.1:${proxy.port} refused the connection (403 Forbidden): the proxy does not allow 127.0.0.1:${https.port}`)
    expect(err.data).toMatchObject({ reason: 'PROXY_REFUSED' })
    expect(proxy.connects).toEqual([{ target: `127.0.0.1:${https.port}`, status: 403 }])
  })

  it('an unreachable proxy: names it and the variable, and is retryable', async () => {
    const port = await closedPort()
    const f = makeFetch({ HTTPS_PROXY: `http://127.0.0.1:${port}` }, { caFile: ca.caCertFile })
    const err = await failure(f(`https://127.0.0.1:${https.port}/`))
    expect(err.message).toBe(
      `Could not reach 127.0.0.1:${https.port}: the proxy at 127.0.0.1:${port} is unreachable (ECONNREFUSED): check HTTPS_PROXY, and that the proxy is running and reachable from here.`
    )
    expect(err.retryable).toBe(true)
  })

  it('a proxy URL that does not parse: says which variable, without the password', async () => {
    const f = makeFetch({ HTTPS_PROXY: 'http://me:secret@exa mple:80' })
    const err = await failure(f(`https://127.0.0.1:${https.port}/`))
    expect(err.code).toBe('BAD_REQUEST')
    expect(err.message).toContain('HTTPS_PROXY is not a valid proxy URL (http://me:****@exa mple:80)')
  })
})

describe('NO_PROXY', () => {
  const cases: Array<{ name: string; noProxy: string; url: () => string }> = [
    { name: 'by name', noProxy: 'localhost', url: () => `https://localhost:${https.port}/v2/account` },
    { name: 'by domain suffix', noProxy: 'corp.example,.localhost', url: () => `https://localhost:${https.port}/v2/account` },
    { name: 'by IPv4 CIDR', noProxy: '10.0.0.0/8 127.0.0.0/8', url: () => `https://127.0.0.1:${https.port}/v2/account` },
    { name: 'by address and port', noProxy: '127.0.0.1:PORT', url: () => `https://127.0.0.1:${https.port}/v2/account` },
    // Plain http here: Node 22's tls.checkServerIdentity does not match the host "::1" against an IPv6
    // SAN (even `IP Address:::1`), which is beside the point of this test.
    { name: 'by IPv6 CIDR', noProxy: 'fd00::/8,::1/128', url: () => `http://[::1]:${http.port}/v2/account` }
  ]
  for (const { name, noProxy, url } of cases) {
    it(`bypasses the proxy ${name}: the proxy sees nothing`, async () => {
      const proxy = await proxyServer()
      const port = new URL(url()).port
      const f = makeFetch({ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: noProxy.replace('PORT', port) }, { caFile: ca.caCertFile })
      const res = await f(url())
      expect(await res.json()).toEqual({ ok: true, path: '/v2/account' })
      expect(proxy.connections).toBe(0)
      expect(proxy.connects).toEqual([])
      expect(proxy.forwarded).toEqual([])
    })
  }

  it('still proxies hosts NO_PROXY does not name (including loopback), and no_proxy wins over NO_PROXY', async () => {
    const proxy = await proxyServer()
    const f = makeFetch({ HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.0/8', no_proxy: 'example.com,10.0.0.0/8,127.0.0.1:1' }, { caFile: ca.caCertFile })
    expect((await f(`https://127.0.0.1:${https.port}/`)).status).toBe(200)
    expect(proxy.connects).toEqual([{ target: `127.0.0.1:${https.port}`, status: 200 }])
  })
})

describe('plain http through HTTP_PROXY', () => {
  it('sends an absolute-form request to the proxy, with credentials', async () => {
    const proxy = await proxyServer({ credentials: { username: 'ops', password: 'pw' } })
    const f = makeFetch({ HTTP_PROXY: proxy.urlWith('ops', 'pw') })
    const res = await f(`http://127.0.0.1:${http.port}/health?x=1`)
    expect(await res.json()).toEqual({ ok: true, path: '/health?x=1' })
    expect(proxy.forwarded).toEqual([{ url: `http://127.0.0.1:${http.port}/health?x=1`, method: 'GET', status: 200 }])
    expect(proxy.connects).toEqual([])
  })

  it('wrong credentials on an absolute-form request: the same precise 407', async () => {
    const proxy = await proxyServer({ credentials: { username: 'ops', password: 'pw' } })
    const f = makeFetch({ HTTP_PROXY: proxy.urlWith('ops', 'nope') })
    const err = await failure(f(`http://127.0.0.1:${http.port}/health`))
    expect(err.message).toContain(`the proxy at 127.0.0.1:${proxy.port} refused the connection (407 Proxy Authentication Required): check HTTP_PROXY credentials`)
  })

  it('HTTPS_PROXY does not capture http URLs, nor HTTP_PROXY https URLs', async () => {
    const proxy = await proxyServer()
    const forHttps = makeFetch({ HTTPS_PROXY: proxy.url })
    expect((await forHttps(`http://127.0.0.1:${http.port}/`)).status).toBe(200)
    const forHttp = makeFetch({ HTTP_PROXY: proxy.url }, { caFile: ca.caCertFile })
    expect((await forHttp(`https://127.0.0.1:${https.port}/`)).status).toBe(200)
    expect(proxy.connections).toBe(0)
  })
})

describe('describeProxy', () => {
  it('shows the proxies with passwords masked, the NO_PROXY list and the CA file', () => {
    const description = describeProxy({
      HTTPS_PROXY: 'http://ops%40corp:s3cret@proxy.corp:3128',
      http_proxy: 'proxy.corp:3128',
      NO_PROXY: 'localhost, .corp.example 10.0.0.0/8 bad/99',
      DROPDECK_CA_FILE: '/etc/corp/ca.pem'
    })
    expect(description).toEqual({
      https: 'http://ops%40corp:****@proxy.corp:3128',
      http: 'proxy.corp:3128',
      noProxy: ['localhost', '.corp.example', '10.0.0.0/8'],
      ignoredNoProxy: ['bad/99'],
      caFile: '/etc/corp/ca.pem',
      summary: 'https via http://ops%40corp:****@proxy.corp:3128; http via proxy.corp:3128; NO_PROXY localhost, .corp.example, 10.0.0.0/8; ignored NO_PROXY entries bad/99; extra CA /etc/corp/ca.pem'
    })
    expect(JSON.stringify(description)).not.toContain('s3cret')
    expect(describeProxy({}).summary).toBe('https via direct; http via direct')
  })
})
