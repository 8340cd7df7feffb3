/**
 * With no Secret Service on the session bus, storing a token fails with a clear, actionable error,
 * and nothing is written anywhere in plaintext.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RpcSocket, runHost, type RunningHost } from '../support/host-harness'

let running: RunningHost

beforeAll(async () => {
  // A bus address where nothing listens: what a headless Linux box without gnome-keyring looks like.
  process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/dropdeck-no-bus'
  running = await runHost()
})
afterAll(async () => {
  await running?.stop()
})

describe('keychain unavailable', () => {
  it('refuses to store a token, says how to get a keychain, and writes no plaintext', async () => {
    const client = await RpcSocket.open(`ws://127.0.0.1:${running.host.port}/rpc?token=${running.host.token}`)
    const secret = 'cf_' + 'z9'.repeat(20)
    const reply = (await client.call('secrets.set', { key: 'cloudflare', value: secret, verify: false })) as { error: { code: number; message: string; data: { code: string; retryable: boolean } } }
    expect(reply.error.data.code).toBe('KEYCHAIN_UNAVAILABLE')
    expect(reply.error.message).toContain('gnome-keyring')
    expect(reply.error.message).toContain('never written to disk in plaintext')
    const status = (await client.call('secrets.keychain')) as { result: { available: boolean; message: string } }
    expect(status.result.available).toBe(false)
    expect(status.result.message).toContain('Secret Service')
    client.close()
    for (const name of await readdir(running.dataDir)) {
      expect(await readFile(join(running.dataDir, name), 'utf8')).not.toContain(secret)
    }
  })
})
