/**
 * A host that cannot be reached, through the real SSH services: the pooled connection retries with
 * jittered exponential backoff, says which attempt failed and when the next try is, answers other
 * callers with the last error instead of an attempt of their own while it waits (so a log follow
 * retrying every half second cannot defeat the backoff), stops after a bound in a failed state,
 * and starts over when the operator connects again (Retry). The "host" is a real TCP listener on
 * loopback that counts connection attempts and closes each at once; the other has a name that
 * does not resolve.
 */
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Host } from '../../src/shared/contract'
import { createSshEnv, rejection, waitUntil, type SshEnv } from './support/ssh-env'

const ADDRESS = '127.0.59.2'

let env: SshEnv
let listener: net.Server
const attempts: number[] = []

beforeAll(async () => {
  listener = net.createServer((socket) => {
    attempts.push(Date.now())
    socket.destroy()
  })
  await new Promise<void>((resolve) => listener.listen(0, ADDRESS, resolve))
  const port = (listener.address() as net.AddressInfo).port
  const config = ['Host closes', `    HostName ${ADDRESS}`, `    Port ${port}`, '    User root', 'Host nowhere', '    HostName nowhere.invalid', '    User root', ''].join('\n')
  env = createSshEnv(config, { tuning: { pool: { backoffBaseMs: 200, backoffMaxMs: 400, maxAttempts: 4, readyTimeoutMs: 5000 } } })
})

afterAll(async () => {
  await env?.close()
  await new Promise((resolve) => listener?.close(resolve))
})

const hostEvents = (id: string) => env.events.filter((e) => e.event === 'hosts.changed' && (e.payload as Host).id === id).map((e) => e.payload as Host)

describe('a host that keeps failing', () => {
  it('backs off with an attempt count and the next try, answers others with the last error meanwhile, and stops after the bound', async () => {
    const first = await rejection(env.call('hosts.connect', { hostId: 'closes' }))
    expect(first.code).toBe('UPSTREAM')
    expect(attempts).toHaveLength(1)

    // While the retry waits, callers (log follows, terminals, tunnels) get the last error at once, with the next try.
    for (let i = 0; i < 10; i++) {
      const err = await rejection(env.ssh.pool.acquire('closes'))
      expect(err.message).toMatch(/Next try in \d+ s \(attempt 2\)\.$/)
      expect(err.data).toMatchObject({ hostId: 'closes', attempt: 1, nextAt: expect.any(String) })
    }
    expect(attempts).toHaveLength(1)

    await waitUntil(() => hostEvents('closes').some((h) => h.retry?.gaveUp === true), 15_000, 'the pool to give up')
    expect(attempts).toHaveLength(4)
    // each retry waited at least half its step (200, 400, 400 ms): never sooner
    const gaps = attempts.slice(1).map((at, i) => at - attempts[i])
    expect(gaps[0]).toBeGreaterThanOrEqual(100)
    expect(gaps[1]).toBeGreaterThanOrEqual(200)
    expect(gaps[2]).toBeGreaterThanOrEqual(200)

    const retries = hostEvents('closes').filter((h) => h.retry).map((h) => h.retry!)
    expect([...new Set(retries.filter((r) => !r.gaveUp).map((r) => r.attempt))]).toEqual([1, 2, 3])
    // after each failure, when the next try is (null only while an attempt is running)
    for (const attempt of [1, 2, 3]) expect(retries.some((r) => r.attempt === attempt && r.nextAt !== null)).toBe(true)
    const [host] = (await env.call('hosts.list', {})).filter((h) => h.id === 'closes')
    expect(host.state).toBe('error')
    expect(host.retry).toEqual({ attempt: 4, nextAt: null, gaveUp: true })
    expect(host.error?.message).toMatch(/^Dropdeck stopped trying after 4 attempts in a row: .*Retry \(Connect\) tries again\.$/)

    // given up: no attempt of anyone's own, until the operator retries
    const later = await rejection(env.ssh.pool.acquire('closes'))
    expect(later.data).toMatchObject({ gaveUp: true, attempt: 4 })
    expect(attempts).toHaveLength(4)

    await rejection(env.call('hosts.connect', { hostId: 'closes' }))
    expect(attempts).toHaveLength(5)
    expect((await env.call('hosts.list', {})).find((h) => h.id === 'closes')!.retry).toMatchObject({ attempt: 1, gaveUp: false })
    await env.call('hosts.disconnect', { hostId: 'closes' })
    const after = (await env.call('hosts.list', {})).find((h) => h.id === 'closes')!
    expect(after.retry).toBeUndefined()
  })

  it('a name that does not resolve: says so, with the attempt count, instead of "connecting" forever', async () => {
    const err = await rejection(env.call('hosts.connect', { hostId: 'nowhere' }))
    expect(err.message).toContain('nowhere.invalid')
    const host = (await env.call('hosts.list', {})).find((h) => h.id === 'nowhere')!
    expect(host.retry).toMatchObject({ attempt: 1, gaveUp: false, nextAt: expect.any(String) })
    await waitUntil(async () => (await env.call('hosts.list', {})).find((h) => h.id === 'nowhere')!.retry?.gaveUp === true, 15_000, 'the pool to give up on nowhere')
    await env.call('hosts.disconnect', { hostId: 'nowhere' })
  })
})
