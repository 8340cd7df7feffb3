/**
 * TLS and HTTP checks from this machine against real local HTTPS servers: a certificate made by the
 * test with five of its six days gone is a warning (under a third of its life left), an expired one and
 * one for another name are critical, a chain the app does not trust is critical; an HTTP check reads
 * status, keyword and JSON through the app's fetch with the test CA trusted as DROPDECK_CA_FILE.
 */
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import { routerCalls } from '../support/router-calls'
import { createTestCa, type TestCa } from '../support/test-ca'
import { memoryKeychain } from '../ssh/support/ssh-env'
import { issueCert } from './issue-cert'

const HOST = '127.0.52.7'
const DAY = 86_400_000

let ca: TestCa
let dir: string
let services: Services
let untrusting: Services
const servers: Server[] = []
const ports: Record<string, number> = {}
let body = '{"status":"ok","checks":{"db":"up"}}'

async function serve(name: string, tls: { key: string; cert: string }): Promise<void> {
  const server = createServer(tls, (req, res) => {
    res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' })
    res.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve))
  servers.push(server)
  ports[name] = (server.address() as AddressInfo).port
}

beforeAll(async () => {
  ca = await createTestCa()
  dir = await mkdtemp(join(tmpdir(), 'dd-tls-'))
  const now = Date.now()
  await serve('fresh', await issueCert(ca, 'fresh', { from: new Date(now - DAY), to: new Date(now + 5 * DAY), ips: [HOST] }))
  await serve('short', await issueCert(ca, 'short', { from: new Date(now - 5 * DAY), to: new Date(now + DAY), ips: [HOST] }))
  await serve('expired', await issueCert(ca, 'expired', { from: new Date(now - 10 * DAY), to: new Date(now - DAY), ips: [HOST] }))
  await serve('othername', await issueCert(ca, 'othername', { from: new Date(now - DAY), to: new Date(now + 60 * DAY), dnsNames: ['other.example.com'] }))
  services = createServices({ dataDir: join(dir, 'a'), version: '0.0.0-test', keychain: memoryKeychain(), env: { DROPDECK_CA_FILE: ca.caCertFile }, log: () => undefined })
  untrusting = createServices({ dataDir: join(dir, 'b'), version: '0.0.0-test', keychain: memoryKeychain(), env: {}, log: () => undefined })
})

afterAll(async () => {
  await Promise.all([services?.dispose(), untrusting?.dispose()])
  for (const s of servers) s.close()
  await ca?.cleanup()
  if (dir) await rm(dir, { recursive: true, force: true })
})

const call: ReturnType<typeof routerCalls>['call'] = (method, params) => routerCalls(() => services, createCallContext('test:tls', () => services.bus)).call(method, params)

async function runOnce(s: Services, check: Record<string, unknown>) {
  const calls = routerCalls(() => s, createCallContext('test:tls', s.bus))
  const created = await calls.call('checks.create', { check: { enabled: false, failuresToDown: 1, ...check } as never })
  return calls.call('checks.run', { id: created.check.id })
}

describe('TLS certificate checks', () => {
  it('a fresh certificate from a trusted CA is up', async () => {
    const s = await runOnce(services, { kind: 'tls', name: 'fresh', host: HOST, port: ports.fresh })
    expect(s).toMatchObject({ state: 'up', message: expect.stringMatching(/valid for (4 days|5 days|1\d\d hours) more/) })
  })

  it('finds a certificate about to expire: a 6-day certificate with 1 day left is a warning', async () => {
    const s = await runOnce(services, { kind: 'tls', name: 'short', host: HOST, port: ports.short })
    expect(s).toMatchObject({ state: 'down', severity: 'warning' })
    expect(s.message).toMatch(/expires in (2[0-4]|1\d) hours, less than a third of its 6-day lifetime/)
    expect(s.detail).toContain('subject short')
  })

  it('an expired certificate, one for another name, and an untrusted chain are critical', async () => {
    expect(await runOnce(services, { kind: 'tls', name: 'expired', host: HOST, port: ports.expired })).toMatchObject({ state: 'down', severity: 'critical', message: expect.stringContaining('expired on') })
    expect(await runOnce(services, { kind: 'tls', name: 'other', host: HOST, port: ports.othername })).toMatchObject({ state: 'down', severity: 'critical', message: expect.stringContaining('not valid for that name') })
    expect(await runOnce(untrusting, { kind: 'tls', name: 'untrusted', host: HOST, port: ports.fresh })).toMatchObject({ state: 'down', severity: 'critical', message: expect.stringContaining('does not verify') })
  })

  it('a port with nothing listening is down, not unknown', async () => {
    const s = await runOnce(services, { kind: 'tls', name: 'closed', host: HOST, port: 9 })
    expect(s).toMatchObject({ state: 'down', message: expect.stringContaining('ECONNREFUSED') })
  })
})

describe('HTTP checks from this machine', () => {
  it('reads status, keyword and a JSON path over HTTPS, trusting DROPDECK_CA_FILE', async () => {
    const url = `https://${HOST}:${ports.fresh}/health`
    expect(await runOnce(services, { kind: 'http', name: 'json', url, jsonPath: 'checks.db', jsonEquals: 'up' })).toMatchObject({ state: 'up', latencyMs: expect.any(Number) })
    body = '{"status":"ok","checks":{"db":"down"}}'
    expect(await runOnce(services, { kind: 'http', name: 'json-down', url, jsonPath: 'checks.db', jsonEquals: 'up' })).toMatchObject({ state: 'down', message: expect.stringContaining('checks.db is down, expected up') })
    expect(await runOnce(services, { kind: 'http', name: 'kw', url, keyword: 'status' })).toMatchObject({ state: 'up' })
    expect(await runOnce(services, { kind: 'http', name: 'missing', url: `https://${HOST}:${ports.fresh}/missing` })).toMatchObject({ state: 'down', message: expect.stringContaining('answered 404; expected 200-299') })
    expect(await runOnce(services, { kind: 'tcp', name: 'tcp', host: HOST, port: ports.fresh })).toMatchObject({ state: 'up' })
  })

  it('lists the checks it made, and keeps them across a restart', async () => {
    const listed = await call('checks.list', {})
    expect(listed.length).toBeGreaterThanOrEqual(9)
    await services.dispose()
    services = createServices({ dataDir: join(dir, 'a'), version: '0.0.0-test', keychain: memoryKeychain(), env: { DROPDECK_CA_FILE: ca.caCertFile }, log: () => undefined })
    const again = await routerCalls(() => services, createCallContext('t', services.bus)).call('checks.list', {})
    expect(again.map((c) => [c.check.name, c.status.state])).toEqual(listed.map((c) => [c.check.name, c.status.state]))
    expect(again.find((c) => c.check.name === 'short')!.status.severity).toBe('warning')
  })
})
