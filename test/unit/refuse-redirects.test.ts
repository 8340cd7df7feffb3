/**
 * Provider calls never follow a redirect (security review #15): Electron's provider fetch is wrapped in
 * refuseRedirects, checked here around a real fetch against two real local servers.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { refuseRedirects } from '../../src/main/providers/http/refuse-redirects'

const address = '127.0.161.1'
let origin: Server
let elsewhere: Server
const seenElsewhere: IncomingHttpHeaders[] = []

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, address, () => resolve((server.address() as AddressInfo).port)))

let originUrl = ''
beforeAll(async () => {
  elsewhere = createServer((req, res) => {
    seenElsewhere.push(req.headers)
    res.end('{}')
  })
  const elsewherePort = await listen(elsewhere)
  origin = createServer((_req, res) => res.writeHead(302, { location: `http://${address}:${elsewherePort}/v2/account` }).end())
  originUrl = `http://${address}:${await listen(origin)}/v2/account`
})

afterAll(async () => {
  await new Promise((resolve) => origin?.close(resolve))
  await new Promise((resolve) => elsewhere?.close(resolve))
})

describe('refuseRedirects', () => {
  it('a plain fetch follows the redirect to the other address', async () => {
    const res = await fetch(originUrl, { headers: { authorization: 'Bearer t' } })
    expect(res.status).toBe(200)
    expect(seenElsewhere).toHaveLength(1)
  })

  it('the wrapped fetch refuses it, even when the caller asked to follow, and nothing reaches the other address', async () => {
    seenElsewhere.length = 0
    const guarded = refuseRedirects(fetch)
    await expect(guarded(originUrl, { headers: { authorization: 'Bearer t' }, redirect: 'follow' })).rejects.toThrow()
    await expect(guarded(new Request(originUrl))).rejects.toThrow()
    expect(seenElsewhere).toEqual([])
  })
})
