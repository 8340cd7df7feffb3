/**
 * Alerts from real check runs against a local HTTP service that fails and recovers: nothing fires
 * before the third failure, the alert fires with what is wrong, since when and the next step, posts to
 * a Slack-compatible webhook (a local receiver), is acknowledged, and resolves after two successes;
 * a scheduled check (jittered timer, no manual run) fires on its own; history survives a restart.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../src/main/app/services'
import type { EventName, EventPayload } from '../../src/shared/contract'
import { createCallContext } from '../../src/main/rpc/context'
import { routerCalls } from '../support/router-calls'
import { memoryKeychain } from '../ssh/support/ssh-env'

const HOST = '127.0.52.21'
let dir: string
let services: Services
let service: Server
let receiver: Server
let status = 500
const posted: Array<{ text: string }> = []
let receiverStatus = 200
const events: Array<{ event: EventName; payload: unknown }> = []

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve))
  return `http://${HOST}:${(server.address() as AddressInfo).port}`
}
let serviceUrl: string
let receiverUrl: string

function start(): Services {
  const s = createServices({ dataDir: dir, version: '0.0.0-test', keychain: memoryKeychain(), env: {}, log: () => undefined })
  s.bus.subscribe((event, payload) => events.push({ event, payload }))
  return s
}
const call: ReturnType<typeof routerCalls>['call'] = (method, params) => routerCalls(() => services, createCallContext('test:alerts', () => services.bus)).call(method, params)
const eventsOf = <E extends EventName>(e: E) => events.filter((x) => x.event === e).map((x) => x.payload as EventPayload<E>)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dd-alerts-'))
  service = createServer((_req, res) => {
    res.writeHead(status)
    res.end(status === 200 ? 'ok' : 'upstream database unavailable')
  })
  receiver = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      if (req.method === 'POST' && req.headers['content-type'] === 'application/json') posted.push(JSON.parse(body) as { text: string })
      res.writeHead(receiverStatus)
      res.end('ok')
    })
  })
  serviceUrl = await listen(service)
  receiverUrl = await listen(receiver)
  services = start()
})

afterAll(async () => {
  await services?.dispose()
  service?.close()
  receiver?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('alerts', () => {
  let checkId: string

  it('the webhook is tested against the local receiver, and a failing one says so', async () => {
    await call('alerts.webhook.set', { url: `${receiverUrl}/services/T000/B000/XXXX` })
    expect(await call('alerts.webhook.test', {})).toEqual({ status: 200 })
    expect(posted.at(-1)!.text).toContain('test alert')
    receiverStatus = 404
    await expect(call('alerts.webhook.test', {})).rejects.toMatchObject({ code: 'UPSTREAM', message: expect.stringContaining('answered 404') })
    receiverStatus = 200
  })

  it('fires on the third failure in a row, not before, with the next step, and posts it', async () => {
    const created = await call('checks.create', { check: { kind: 'http', name: 'API health', url: `${serviceUrl}/health`, enabled: false } })
    checkId = created.check.id
    expect(created.check).toMatchObject({ failuresToDown: 3, successesToUp: 2, intervalSeconds: 60, timeoutSeconds: 10 })
    posted.length = 0
    expect((await call('checks.run', { id: checkId })).state).toBe('pending')
    expect((await call('checks.run', { id: checkId })).state).toBe('pending')
    expect(await call('alerts.list', {})).toEqual([])
    const down = await call('checks.run', { id: checkId })
    expect(down).toMatchObject({ state: 'down', severity: 'critical', consecutiveFailures: 3, message: expect.stringContaining('answered 500; expected 200-299'), detail: 'upstream database unavailable' })
    const [alert] = await call('alerts.list', {})
    expect(alert).toMatchObject({ checkId, checkName: 'API health', state: 'firing', severity: 'critical', firedAt: down.since, resolvedAt: null, acknowledgedAt: null, nextStep: { area: 'health' } })
    expect(eventsOf('alerts.changed').at(-1)).toMatchObject({ alert: { id: alert.id, state: 'firing' }, firing: 1 })
    expect(eventsOf('checks.changed').filter((e) => e.id === checkId).map((e) => e.status?.state)).toEqual(['pending', 'down'])
    await expect.poll(() => posted.map((p) => p.text)).toEqual([expect.stringMatching(/^:rotating_light: CRITICAL API health: .*answered 500/)])
  })

  it('is acknowledged, then resolves only after two successes', async () => {
    const [alert] = await call('alerts.list', {})
    const acked = await call('alerts.acknowledge', { id: alert.id })
    expect(acked.acknowledgedAt).toEqual(expect.any(String))
    expect(eventsOf('alerts.changed').at(-1)!.firing).toBe(0) // acknowledged: no longer counted on the badge
    status = 200
    expect((await call('checks.run', { id: checkId })).state).toBe('down')
    expect((await call('alerts.list', {}))[0].state).toBe('firing')
    expect(await call('checks.run', { id: checkId })).toMatchObject({ state: 'up', severity: null })
    const [resolved] = await call('alerts.list', {})
    expect(resolved).toMatchObject({ id: alert.id, state: 'resolved', resolvedAt: expect.any(String) })
    await expect.poll(() => posted.at(-1)?.text).toMatch(/^:white_check_mark: RESOLVED API health/)
  })

  it('a scheduled check runs by itself on its jittered timer and fires', async () => {
    status = 503
    const created = await call('checks.create', { check: { kind: 'http', name: 'Scheduled', url: `${serviceUrl}/`, intervalSeconds: 5, failuresToDown: 1 } })
    await expect.poll(async () => (await call('alerts.list', {})).find((a) => a.checkId === created.check.id)?.state, { timeout: 15_000, interval: 200 }).toBe('firing')
    await call('checks.delete', { id: created.check.id })
    expect((await call('alerts.list', {})).find((a) => a.checkId === created.check.id)?.state).toBe('resolved') // a deleted check's alert resolves
  })

  it('keeps the history and the webhook across a restart', async () => {
    const before = await call('alerts.list', {})
    await services.dispose()
    services = start()
    expect(await call('alerts.list', {})).toEqual(before)
    expect(await call('alerts.webhook.get', {})).toEqual({ url: `${receiverUrl}/services/T000/B000/XXXX` })
    expect((await call('checks.list', {})).map((c) => [c.check.name, c.status.state])).toEqual([['API health', 'up']])
  })
})
