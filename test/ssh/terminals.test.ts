/**
 * Remote terminals through a real sshd: a PTY shell on the pooled connection, resize, acknowledged
 * flow control (bounded un-acked output, then everything once acked), UTF-8 across chunk boundaries,
 * ownership by the call context, and a dropped connection reported as terminals.state with a reason.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCallContext } from '../../src/main/rpc/context'
import { descendants } from '../fleet/proc'
import { startDroplets, type Droplets, type DropletServer } from '../fleet/sshd'
import { createSshEnv, hostBlock, waitUntil, type SshEnv } from './support/ssh-env'

const hasSshd = existsSync('/usr/sbin/sshd')
const HIGH_WATER = 256 * 1024
/** The service's largest terminals.data event (its default). */
const CHUNK = 64 * 1024

interface Output {
  text: string
  bytes: number
  /** The `bytes` of each terminals.data event, in order. */
  sizes: number[]
  exit?: { code: number | null; signal?: string; reason?: string }
}

describe.skipIf(!hasSshd)('terminals', () => {
  let fleet: Droplets
  let d: DropletServer
  let dir: string
  let env: SshEnv
  const outputs = new Map<string, Output>()

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dd-ssh-term-'))
    fleet = await startDroplets({ count: 1, dir: path.join(dir, 'fleet'), port: 'auto', baseAddress: '127.0.45.3' })
    d = fleet.droplets[0]
    const knownHosts = path.join(dir, 'known_hosts')
    writeFileSync(knownHosts, `[${d.host}]:${d.port} ${d.hostPublicKey}\n`)
    env = createSshEnv(hostBlock('prod', d, [`IdentityFile ${fleet.privateKeyPath}`, 'IdentitiesOnly yes', `UserKnownHostsFile ${knownHosts}`]), {
      tuning: { pool: { backoffBaseMs: 100, backoffMaxMs: 1000, readyTimeoutMs: 10_000 }, terminals: { highWaterBytes: HIGH_WATER } }
    })
    env.bus.subscribe((event, payload) => {
      if (event === 'terminals.data') {
        const p = payload as { id: string; data: string; bytes: number }
        const o = outputs.get(p.id) ?? { text: '', bytes: 0, sizes: [] }
        o.text += p.data
        o.bytes += p.bytes
        o.sizes.push(p.bytes)
        outputs.set(p.id, o)
      } else if (event === 'terminals.state') {
        const p = payload as { id: string; code: number | null; signal?: string; reason?: string }
        const o = outputs.get(p.id) ?? { text: '', bytes: 0, sizes: [] }
        o.exit = p
        outputs.set(p.id, o)
      }
    })
  })

  afterAll(async () => {
    await env?.close()
    await fleet?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  const out = (id: string): Output => outputs.get(id) ?? { text: '', bytes: 0, sizes: [] }
  /** Acks everything received so far, as a renderer that draws instantly would. */
  const ackAll = async (id: string, acked: { n: number }) => {
    const o = out(id)
    if (o.bytes > acked.n) {
      const n = o.bytes - acked.n
      acked.n = o.bytes
      await env.call('terminals.ack', { id, bytes: n })
    }
  }
  const open = async (cols = 80, rows = 24) => {
    const { id } = await env.call('terminals.open', { hostId: 'prod', cols, rows })
    return id
  }
  /** Types a command and waits for a marker the command prints (computed by the shell, so the echo of the typing does not match). */
  const run = async (id: string, command: string, marker: RegExp, acked = { n: 0 }) => {
    await env.call('terminals.write', { id, data: command + '\n' })
    await waitUntil(async () => {
      await ackAll(id, acked)
      return marker.test(out(id).text)
    }, 20_000, `${command} -> ${marker}`)
  }

  it('opens a shell with a PTY and runs what is typed', async () => {
    const id = await open()
    await run(id, 'echo hello-$((6*7))', /hello-42/)
    await run(id, 'echo term=$TERM tty=$(tty)', /term=xterm-256color tty=\/dev\/pts\//)
    await env.call('terminals.close', { id })
    await waitUntil(() => out(id).exit !== undefined, 5000, 'exit event')
    expect(out(id).exit?.reason).toBeUndefined()
    expect(env.ssh.terminals.size).toBe(0)
  })

  it('resizes the PTY', async () => {
    const id = await open(80, 24)
    await run(id, 'echo size-$(stty size | tr " " x)', /size-24x80/)
    await env.call('terminals.resize', { id, cols: 132, rows: 43 })
    await run(id, 'echo size-$(stty size | tr " " x)', /size-43x132/)
    await env.call('terminals.close', { id })
  })

  it('stops at roughly the high-water mark without acks, then delivers all 5,000,000 bytes once acked', async () => {
    const id = await open()
    const acked = { n: 0 }
    await run(id, 'echo ready-$((1+1))', /ready-2/, acked)
    const base = out(id).text.length
    const firstEvent = out(id).sizes.length
    const unackedBefore = out(id).bytes - acked.n
    await env.call('terminals.write', { id, data: "head -c 5000000 /dev/zero | tr '\\0' a; echo; echo done-$((40+2))\n" })
    // Without acks: the output stalls with the un-acked bytes bounded near the high-water mark.
    await waitUntil(() => env.ssh.terminals.stats(id).paused, 20_000, 'the channel to pause')
    await new Promise((r) => setTimeout(r, 1000))
    // Read from the shell and not yet drawn: sent and un-acked, plus what main holds back while the
    // renderer is a chunk or more behind (less than one 64 KB event).
    const { unacked, held } = env.ssh.terminals.stats(id)
    const stalled = unacked + held
    expect(held).toBeLessThan(CHUNK)
    expect(stalled).toBeGreaterThan(HIGH_WATER)
    expect(stalled).toBeLessThan(HIGH_WATER + 256 * 1024)
    expect(out(id).bytes - acked.n).toBe(unacked)
    expect(out(id).text).not.toMatch(/done-42/)
    // While the renderer has a chunk or more to draw, main sends only whole 64 KB events (fewer
    // messages for it to handle); smaller ones only while it has (nearly) caught up, as for typing.
    let inFlight = unackedBefore
    const whileBehind: number[] = []
    for (const size of out(id).sizes.slice(firstEvent)) {
      if (inFlight >= CHUNK) whileBehind.push(size)
      inFlight += size
    }
    expect(whileBehind.length).toBeGreaterThan(0)
    expect(whileBehind.filter((size) => size !== CHUNK)).toEqual([])
    // Acking lets everything through.
    await waitUntil(async () => {
      await ackAll(id, acked)
      return /done-42/.test(out(id).text)
    }, 60_000, 'the whole output')
    // The runs of 'a' (the typed command's echo has a few single ones).
    const count = (out(id).text.slice(base).match(/a{100,}/g) ?? []).reduce((n, run) => n + run.length, 0)
    expect(count).toBe(5_000_000)
    await env.call('terminals.close', { id })
  })

  it('keeps multi-byte characters whole across chunk boundaries', async () => {
    const id = await open()
    const acked = { n: 0 }
    await run(id, 'echo ready-$((2+1))', /ready-3/, acked)
    const base = out(id).text.length
    // 90,000 bytes of 3-byte characters: packet and chunk boundaries fall inside them.
    await run(id, "printf '\\xe2\\x82\\xac%.0s' $(seq 1 30000); echo; echo euros-$((3*3))", /euros-9/, acked)
    const text = out(id).text.slice(base)
    expect(text).not.toContain('\ufffd')
    expect((text.match(/€/g) ?? []).length).toBe(30000)
    await env.call('terminals.close', { id })
  })

  it('belongs to the context that opened it: disposing the context closes the channel', async () => {
    const before = env.ssh.terminals.size
    const ctx = createCallContext('window-2', env.bus)
    const { id } = await env.ssh.handlers['terminals.open']({ hostId: 'prod', cols: 80, rows: 24 }, ctx)
    // Only the context that opened the terminal controls it: its writes reach the shell.
    await env.ssh.handlers['terminals.write']({ id, data: 'echo pid-$$\n' }, ctx)
    await waitUntil(() => /pid-\d+/.test(out(id).text), 20_000, 'pid echo')
    const pid = /pid-(\d+)/.exec(out(id).text)![1]
    expect(ctx.disposables.size).toBe(1)
    expect(env.ssh.terminals.size).toBe(before + 1)
    await ctx.dispose()
    expect(env.ssh.terminals.size).toBe(before)
    expect(out(id).exit).toBeDefined()
    // The remote shell is gone too.
    await waitUntil(async () => (await env.ssh.exec('prod', `kill -0 ${pid} 2>/dev/null && echo alive || echo gone`)).stdout.trim() === 'gone', 5000, 'the remote shell to end')
  })

  it('ends with a reason when the connection drops', async () => {
    const id = await open()
    await run(id, 'echo up-$((5+5))', /up-10/)
    await env.ssh.pool.disconnect('prod')
    await waitUntil(() => out(id).exit !== undefined, 5000, 'exit event')
    expect(out(id).exit?.reason).toBe('Connection to prod lost.')
    expect(env.ssh.terminals.size).toBe(0)
    // An operator's disconnect holds the host down until they connect it again; the next test starts from there.
    await expect(open()).rejects.toThrow(/stays down until you connect it again/)
    env.ssh.pool.allow('prod')
  })

  it('ends with a reason when the session is killed on the server, and a new shell opens once the pool reconnects', async () => {
    const id = await open()
    await run(id, 'echo before-$((7+7))', /before-14/)
    // Every process under the listening sshd: the connection's privileged monitor, its session, the shell.
    const sessions = descendants(d.pid)
    expect(sessions.length).toBeGreaterThan(1)
    for (const pid of sessions) process.kill(pid, 'SIGKILL')
    await waitUntil(() => out(id).exit !== undefined, 10_000, 'exit event')
    expect(out(id).exit?.reason).toBe('Connection to prod lost.')
    const again = await open()
    await run(again, 'echo after-$((8+8))', /after-16/)
    await env.call('terminals.close', { id: again })
  })
})
