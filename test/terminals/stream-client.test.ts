// The renderer's StreamClient against the real main side: a local shell (node-pty) behind the real
// router and terminal handlers, events through the event bus to this client only. Output that arrives
// before anyone listens is handed to the first listener (nothing lost, so nothing is left un-acked),
// each stream's events go to its own listener, acks resume a paused shell, and the end comes as
// terminals.state to the kind-wide listener.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { DropdeckApi } from '../../src/shared/contract'
import { createCallContext } from '../../src/main/rpc/context'
import { EventBus } from '../../src/main/rpc/event-bus'
import { createRouter, type Handlers } from '../../src/main/rpc/router'
import { createTerminalHandlers } from '../../src/main/terminals/terminal-handlers'
import { TerminalsService } from '../../src/main/terminals/terminals-service'
import { streamClient } from '../../src/renderer/src/rpc/stream-client'
import { waitUntil } from '../ssh/support/ssh-env'

const HIGH_WATER = 64 * 1024

describe('StreamClient (renderer) over the real terminal handlers', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dd-stream-client-'))
  const bus = new EventBus()
  const ctx = createCallContext('window-1', bus)
  const noPool = { acquire: () => Promise.reject(new Error('no SSH here')), retain: () => () => undefined }
  const terminals = new TerminalsService({ pool: noPool, bus, log: () => undefined, env: { ...process.env, SHELL: '/bin/bash', HOME: dir }, tuning: { highWaterBytes: HIGH_WATER, chunkBytes: 16 * 1024 } })
  const router = createRouter(createTerminalHandlers(terminals, { get: () => Promise.reject(new Error('no hosts')) }) as Handlers)
  const api: DropdeckApi = {
    call: (async (method: string, params?: unknown) => {
      const envelope = await router.call(method, params, ctx)
      if (!envelope.ok) throw new Error(envelope.error.message)
      return envelope.result
    }) as DropdeckApi['call'],
    on: (event, listener) => bus.subscribeClient(ctx.clientId, (e, p) => (e as string) === event && listener(p as never))
  }
  const client = streamClient(api, 'terminals')

  afterAll(async () => {
    await ctx.dispose()
    await terminals.dispose()
    client.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  it('hands a late listener what arrived before it, keeps streams apart, and flows under acks', async () => {
    const one = await client.open({ kind: 'local', cols: 80, rows: 24 })
    const two = await client.open({ kind: 'local', cols: 80, rows: 24 })
    await api.call('terminals.write', { id: one.id, data: 'echo one-$((6*7)); seq 1 20000\r' })
    await api.call('terminals.write', { id: two.id, data: 'echo two-$((6*7))\r' })
    // Nobody listens yet: the shell fills up to the high-water mark and pauses.
    await waitUntil(() => terminals.stats(one.id).paused, 10_000, 'the unread shell to pause')
    let textOne = ''
    let textTwo = ''
    let acked = 0
    const offOne = client.listen(one.id, {
      data: (p) => {
        textOne += p.data
        acked += p.bytes
        void client.ack(one.id, { bytes: p.bytes })
      }
    })
    const offTwo = client.listen(two.id, { data: (p) => (textTwo += p.data) })
    await waitUntil(() => textOne.includes('\n20000'), 20_000, 'all of the first shell\'s output')
    expect(textOne).toContain('one-42')
    expect(textOne).not.toContain('two-42')
    await waitUntil(() => textTwo.includes('two-42'), 10_000, 'the second shell\'s echo')
    expect(textTwo).not.toContain('one-42')
    expect(acked).toBeGreaterThan(HIGH_WATER) // resumed by the acks, past the pause
    const ended: string[] = []
    const offAll = client.listenAll({ state: (p) => ended.push(`${p.id}:${p.state}`) })
    await client.close(one.id)
    await client.close(two.id)
    expect(ended.sort()).toEqual([`${one.id}:exited`, `${two.id}:exited`].sort())
    offOne()
    offTwo()
    offAll()
  })
})
