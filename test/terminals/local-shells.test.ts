/**
 * Local shells through node-pty, against a real PTY on this machine: the handlers as the router calls
 * them (params parsed by the contract), $SHELL honoured, resize, acknowledged flow control (the PTY is
 * paused with the un-acked bytes bounded, then everything arrives once acked), close hanging up the
 * whole process group (a background job too), and ownership by the call context.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { methods } from '../../src/shared/contract'
import { createCallContext } from '../../src/main/rpc/context'
import { EventBus } from '../../src/main/rpc/event-bus'
import { createTerminalHandlers } from '../../src/main/terminals/terminal-handlers'
import { localShellPath } from '../../src/main/terminals/local-shell'
import { TerminalsService } from '../../src/main/terminals/terminals-service'
import { waitUntil } from '../ssh/support/ssh-env'

const HIGH_WATER = 128 * 1024

interface Output {
  text: string
  bytes: number
  exit?: { code: number | null; signal?: string; reason?: string }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('local shells', () => {
  let dir: string
  let service: TerminalsService
  let handlers: ReturnType<typeof createTerminalHandlers>
  const bus = new EventBus()
  const ctx = createCallContext('local-test', bus)
  const outputs = new Map<string, Output>()
  const out = (id: string): Output => outputs.get(id) ?? { text: '', bytes: 0 }

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dd-local-term-'))
    // A shell of our own as $SHELL, so the test sees that SHELL is what starts.
    const shell = path.join(dir, 'marked-shell')
    writeFileSync(shell, '#!/bin/bash\nexport DD_MARK=started-by-SHELL\nexec /bin/bash "$@"\n')
    chmodSync(shell, 0o755)
    bus.subscribe((event, payload) => {
      if (event === 'terminals.data') {
        const p = payload as { id: string; data: string; bytes: number }
        const o = out(p.id)
        outputs.set(p.id, { ...o, text: o.text + p.data, bytes: o.bytes + p.bytes })
      } else if (event === 'terminals.state') {
        const p = payload as Output['exit'] & { id: string }
        outputs.set(p.id, { ...out(p.id), exit: p })
      }
    })
    const noPool = {
      acquire: () => Promise.reject(new Error('local shells never touch the SSH pool')),
      retain: () => () => undefined
    }
    service = new TerminalsService({ pool: noPool, bus, log: () => undefined, env: { ...process.env, SHELL: shell, HOME: dir }, tuning: { highWaterBytes: HIGH_WATER } })
    handlers = createTerminalHandlers(service, { get: () => Promise.reject(new Error('no hosts here')) })
  })

  afterAll(async () => {
    await ctx.dispose()
    await service?.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  const open = async (cols = 80, rows = 24) => {
    const params = methods['terminals.open'].params.parse({ kind: 'local', cols, rows })
    return (await handlers['terminals.open'](params, ctx)).id
  }
  const ackAll = (id: string, acked: { n: number }) => {
    const n = out(id).bytes - acked.n
    if (n > 0) {
      acked.n += n
      service.ack(id, n)
    }
  }
  const run = async (id: string, command: string, marker: RegExp, acked = { n: 0 }) => {
    service.write(id, command + '\n')
    await waitUntil(() => {
      ackAll(id, acked)
      return marker.test(out(id).text)
    }, 20_000, `${command} -> ${marker}`)
  }

  it('starts $SHELL in a PTY in the home folder and runs what is typed', async () => {
    const id = await open()
    await run(id, 'echo mark=$DD_MARK term=$TERM tty=$(tty) home=$PWD sum-$((6*7))', /sum-42/)
    expect(out(id).text).toMatch(/mark=started-by-SHELL term=xterm-256color tty=\/dev\/pts\/\d+ home=\S*dd-local-term-/)
    await service.close(id)
    expect(out(id).exit).toBeDefined()
    expect(out(id).exit?.reason).toBeUndefined()
  })

  it('falls back to /bin/bash when $SHELL is missing or names nothing', () => {
    expect(localShellPath({})).toBe('/bin/bash')
    expect(localShellPath({ SHELL: path.join(dir, 'no-such-shell') })).toBe('/bin/bash')
    expect(localShellPath({ SHELL: '/bin/sh' })).toBe(existsSync('/bin/sh') ? '/bin/sh' : '/bin/bash')
  })

  it('resizes the PTY', async () => {
    const id = await open(80, 24)
    await run(id, 'echo size-$(stty size | tr " " x)', /size-24x80/)
    service.resize(id, 132, 43)
    await run(id, 'echo size-$(stty size | tr " " x)', /size-43x132/)
    await service.close(id)
  })

  it('pauses the PTY at the high-water mark without acks, then delivers all 3,000,000 bytes once acked', async () => {
    const id = await open()
    const acked = { n: 0 }
    await run(id, 'echo ready-$((1+1))', /ready-2/, acked)
    const base = out(id).text.length
    service.write(id, "head -c 3000000 /dev/zero | tr '\\0' b; echo; echo done-$((40+2))\n")
    await waitUntil(() => service.stats(id).paused, 20_000, 'the PTY to pause')
    await new Promise((r) => setTimeout(r, 1000))
    // Read from the shell and not yet drawn: sent and un-acked, plus what main holds back while the
    // renderer is a chunk or more behind (less than one 64 KB event).
    const { unacked, held } = service.stats(id)
    const stalled = unacked + held
    expect(held).toBeLessThan(64 * 1024)
    expect(stalled).toBeGreaterThan(HIGH_WATER)
    // One read from the PTY can land after the mark: bounded by a read, far below the 3 MB written.
    expect(stalled).toBeLessThan(HIGH_WATER + 256 * 1024)
    expect(out(id).bytes - acked.n).toBe(unacked)
    expect(out(id).text).not.toMatch(/done-42/)
    await waitUntil(() => {
      ackAll(id, acked)
      return /done-42/.test(out(id).text)
    }, 60_000, 'the whole output')
    const count = (out(id).text.slice(base).match(/b{100,}/g) ?? []).reduce((n, r) => n + r.length, 0)
    expect(count).toBe(3_000_000)
    await service.close(id)
  })

  it('close hangs up the whole process group: the shell, a foreground job and a background job', async () => {
    const id = await open()
    await run(id, 'sleep 600 & echo bg-$!', /bg-\d+/)
    const bg = Number(/bg-(\d+)/.exec(out(id).text)![1])
    await run(id, 'echo shell-$$', /shell-\d+/)
    const shell = Number(/shell-(\d+)/.exec(out(id).text)![1])
    service.write(id, 'sleep 700\n')
    await waitUntil(() => /sleep 700/.test(out(id).text), 5000, 'the foreground job to start')
    expect(alive(bg)).toBe(true)
    expect(alive(shell)).toBe(true)
    await service.close(id)
    expect(out(id).exit).toBeDefined()
    await waitUntil(() => !alive(bg) && !alive(shell), 5000, 'the shell and its jobs to end')
  })

  it('ends with its exit code when the shell exits by itself', async () => {
    const id = await open()
    await run(id, 'echo ok-$((2+2))', /ok-4/)
    service.write(id, 'exit 7\n')
    await waitUntil(() => out(id).exit !== undefined, 5000, 'exit event')
    expect(out(id).exit).toMatchObject({ code: 7 })
    expect(out(id).exit?.reason).toBeUndefined()
    expect(() => service.write(id, 'x')).toThrow(/closed or its connection ended/)
  })

  it('belongs to the context that opened it: disposing the context ends the shell', async () => {
    const own = createCallContext('window-local', bus)
    const params = methods['terminals.open'].params.parse({ kind: 'local', cols: 80, rows: 24 })
    const { id } = await handlers['terminals.open'](params, own)
    await run(id, 'echo pid-$$', /pid-\d+/)
    const pid = Number(/pid-(\d+)/.exec(out(id).text)![1])
    expect(own.disposables.size).toBe(1)
    await own.dispose()
    expect(out(id).exit).toBeDefined()
    await waitUntil(() => !alive(pid), 5000, 'the local shell to end')
  })

  it('refuses a local open that names a host, and a remote open without one', () => {
    expect(methods['terminals.open'].params.safeParse({ kind: 'local', hostId: 'prod', cols: 80, rows: 24 }).success).toBe(false)
    expect(methods['terminals.open'].params.safeParse({ kind: 'remote', cols: 80, rows: 24 }).success).toBe(false)
    expect(methods['terminals.open'].params.safeParse({ hostId: 'prod', cols: 80, rows: 24 }).success).toBe(true)
  })
})
