// logs.* on the real bench: a private dockerd and a real sshd, through the real services (router,
// contract validation on every event, SSH pool, Engine API over dial-stdio). Follows containers, a
// file and a unit (a replaying journalctl on the host's PATH) at once; a 1 MB line, invalid UTF-8 and
// binary garbage; a TTY container; a connection killed mid-stream, resumed without losing or
// repeating a line, with a gap notice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createServices, type Services } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import { routerCalls } from '../support/router-calls'
import type { EventPayload } from '../../src/shared/contract'
import { decodeLogLines, type LogLine } from '../../src/shared/contract/logs'
import { findDockerd } from '../fleet/dockerd'
import { descendants, findExecutable, waitFor } from '../fleet/proc'
import { SSHD_PATH } from '../fleet/sshd'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { memoryKeychain } from '../ssh/support/ssh-env'
import { PODMAN_NULL } from './journal-capture'
import { startLogBench, type LogBench } from './log-bench'

const ready = Boolean(findDockerd() && findExecutable('docker') && existsSync(SSHD_PATH))
if (!ready) console.warn('[logs] skipping log stream tests: dockerd, the docker CLI or sshd is missing')

type Lines = LogLine[]

describe.skipIf(!ready)('log streams over SSH (real dockerd and sshd)', () => {
  let dir: string
  let bench: LogBench
  let services: Services
  const ctx = createCallContext('test:logs', () => services.bus)
  const lines = new Map<string, Lines>()
  const states = new Map<string, EventPayload<'logs.state'>[]>()
  const HOST = 'logs-droplet'

  const { call } = routerCalls(() => services, ctx)
  const texts = (id: string) => (lines.get(id) ?? []).map((l) => l.text)
  const stateNames = (id: string) => (states.get(id) ?? []).map((s) => s.state)
  const until = <T>(what: string, fn: () => T | undefined | false, timeoutMs = 20_000) =>
    waitFor(fn, { timeoutMs, intervalMs: 50, what }).catch((err: Error) => {
      // say what the streams did, not only that they did not do it in time
      const perStream = [...new Set([...lines.keys(), ...states.keys()])].map((id) => ({ id: id.slice(0, 8), states: stateNames(id), lines: texts(id).length, last: texts(id).slice(-2) }))
      throw new Error(`${err.message}; streams: ${JSON.stringify(perStream)}`)
    })

  beforeAll(async () => {
    dir = mkdtempSync('/tmp/ddl-')
    bench = await startLogBench(dir, '127.0.43.2')
    const files = writeSshClientFiles(dir, bench.droplets.droplets)
    services = createServices({ dataDir: path.join(dir, 'data'), version: '0.0.0-test', keychain: memoryKeychain(), env: { DROPDECK_SSH_CONFIG: files.sshConfigPath }, log: () => undefined })
    // Act as a client that keeps up: acknowledge each batch once recorded.
    services.bus.subscribe((event, payload) => {
      if (event === 'logs.data') {
        const p = payload as EventPayload<'logs.data'>
        lines.set(p.id, [...(lines.get(p.id) ?? []), ...decodeLogLines(p)])
        void services.router.call('logs.ack', { id: p.id, seq: p.seq }, ctx)
      } else if (event === 'logs.state') {
        const p = payload as EventPayload<'logs.state'>
        states.set(p.id, [...(states.get(p.id) ?? []), p])
      }
    })
  }, 120_000)

  afterAll(async () => {
    await ctx.dispose()
    await services?.dispose()
    await bench?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('follows two containers and a file at once, stdout and stderr apart, with docker\'s timestamps', async () => {
    await bench.container('logs-a', 'i=0; while true; do i=$((i+1)); echo "a out $i"; echo "a ERROR $i" >&2; sleep 0.05; done')
    await bench.container('logs-b', 'i=0; while true; do i=$((i+1)); echo "b out $i"; sleep 0.05; done')
    const before = Date.now()
    const a = await call('logs.open', { hostId: HOST, source: { kind: 'container', id: 'logs-a' }, tail: 100_000 })
    const b = await call('logs.open', { hostId: HOST, source: { kind: 'container', id: 'logs-b' }, tail: 100_000 })
    const f = await call('logs.open', { hostId: HOST, source: { kind: 'file', path: bench.filePath }, tail: 10 })
    await until('lines from both containers and the file', () => texts(a.id).length > 10 && texts(b.id).length > 10 && texts(f.id).includes('boot: file log starts'))
    appendFileSync(bench.filePath, 'GET /api 500 internal error\n')
    await until('the appended file line', () => texts(f.id).includes('GET /api 500 internal error'))

    const aLines = lines.get(a.id)!
    expect(aLines.find((l) => l.text === 'a out 1')).toMatchObject({ stream: 'stdout' })
    expect(aLines.find((l) => l.text === 'a ERROR 1')).toMatchObject({ stream: 'stderr', level: 'error' })
    expect(aLines[0].ts).toBeGreaterThan(before - 60_000)
    expect(aLines[0].ts).toBeLessThanOrEqual(Date.now())
    expect(lines.get(f.id)!.find((l) => l.text.startsWith('GET /api'))).toMatchObject({ stream: 'file', level: 'error' })
    expect(stateNames(a.id)[0]).toBe('following')
    for (const id of [a.id, b.id, f.id]) await call('logs.close', { id })
  })

  it('cuts a 1 MB line with a marker, shows invalid UTF-8 as U+FFFD and binary garbage escaped', async () => {
    await bench.container('logs-big', "echo before; head -c 1048576 /dev/zero | tr '\\0' x; echo; echo after-big; printf 'bad \\377\\376 utf8\\n'; printf '\\001\\002\\033[31m bin\\n'; sleep 600")
    const s = await call('logs.open', { hostId: HOST, source: { kind: 'container', id: 'logs-big' } })
    await until('the lines after the big one', () => texts(s.id).some((t) => t.endsWith(' bin')))
    const got = texts(s.id)
    expect(got[0]).toBe('before')
    expect(got[1].startsWith('x'.repeat(1000))).toBe(true)
    expect(got[1]).toMatch(/… \[line cut: [\d,]+ bytes, first 16,384 shown\]$/)
    expect(got[1].length).toBeLessThan(17_000)
    expect(got.slice(2)).toEqual(['after-big', 'bad \uFFFD\uFFFD utf8', '\\x01\\x02\\x1b[31m bin'])
    await call('logs.close', { id: s.id })
  })

  it('reads a TTY container\'s raw stream, and says when a container\'s log ends', async () => {
    await bench.container('logs-tty', 'echo "tty says hi"; sleep 1; echo "tty bye"', { tty: true })
    const s = await call('logs.open', { hostId: HOST, source: { kind: 'container', id: 'logs-tty' } })
    await until('the stream to end with the container', () => stateNames(s.id).includes('ended'))
    expect(texts(s.id)).toEqual(['tty says hi', 'tty bye'])
    expect(lines.get(s.id)!.every((l) => l.stream === 'stdout')).toBe(true)
  })

  it('refuses an unknown container plainly', async () => {
    const envelope = await services.router.call('logs.open', { hostId: HOST, source: { kind: 'container', id: 'no-such-container' } }, ctx)
    expect(envelope.ok).toBe(false)
    if (!envelope.ok) {
      expect(envelope.error.code).toBe('NOT_FOUND')
      expect(envelope.error.message).toContain('no-such-container')
    }
  })

  it('follows a unit with journalctl -f -o json and parses what it prints', async () => {
    const s = await call('logs.open', { hostId: HOST, source: { kind: 'unit', unit: 'nginx.service' }, tail: 50 })
    await until('the replayed journal entries', () => texts(s.id).length >= 3)
    expect(readFileSync(bench.journalArgsPath, 'utf8').trim().split('\n').at(-1)).toBe('-u nginx.service -f -o json --no-pager -n 50')
    expect(lines.get(s.id)).toEqual([
      { ts: 1790516152035, stream: 'journal', text: '\\x1b[32mINFO\tdone' },
      { ts: 1422990364739, stream: 'journal', text: 'Starting A high performance web server and a reverse proxy server...', level: 'info' },
      { ts: 1762272421322, stream: 'journal', text: '2025-11-04 16:07:01 INFO System is ready release=202511041601', level: 'info' }
    ])
    await call('logs.close', { id: s.id })
  })

  it('resumes every stream after the SSH connection is killed mid-stream: no line lost or repeated, a gap notice', async () => {
    await bench.container('logs-c', 'i=0; while true; do i=$((i+1)); echo "c $i"; sleep 0.02; done')
    const c = await call('logs.open', { hostId: HOST, source: { kind: 'container', id: 'logs-c' }, tail: 0 })
    const u = await call('logs.open', { hostId: HOST, source: { kind: 'unit', unit: 'nginx.service' } })
    const f = await call('logs.open', { hostId: HOST, source: { kind: 'file', path: bench.filePath }, tail: 0 })
    await until('lines flowing', () => texts(c.id).length > 20 && texts(u.id).length === 3)
    appendFileSync(bench.filePath, 'before the cut\n')
    await until('the file line', () => texts(f.id).includes('before the cut'))

    // Kill every sshd process serving our connection: the channels die mid-frame, the pool reconnects.
    const sshd = bench.droplets.droplets[0]
    const killed = descendants(sshd.pid)
    expect(killed.length).toBeGreaterThan(0)
    for (const pid of killed) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        /* already gone with its parent */
      }
    }
    appendFileSync(bench.journalPath, PODMAN_NULL + '\n') // written while the stream is down
    appendFileSync(bench.filePath, 'while down\n')
    await until('all three to say reconnecting, then following with a gap', () => [c.id, u.id, f.id].every((id) => stateNames(id).includes('gap')), 30_000)
    const cCount = texts(c.id).length
    await until('the container to go on after the gap', () => texts(c.id).length > cCount + 20)
    appendFileSync(bench.filePath, 'after the cut\n')
    await until('the file line after the cut', () => texts(f.id).includes('after the cut'))

    for (const id of [c.id, u.id, f.id]) expect(stateNames(id)).toEqual(expect.arrayContaining(['following', 'reconnecting', 'gap']))
    const gap = states.get(c.id)!.find((s) => s.state === 'gap')!
    expect(gap.recovered).toBe(true)
    expect(gap.to! - gap.from!).toBeGreaterThanOrEqual(0)
    // The file resumed from the byte after the last one delivered: what was written while down came too.
    expect(states.get(f.id)!.find((s) => s.state === 'gap')!.recovered).toBe(true)

    // The container's counter: consecutive, each exactly once, across the cut.
    const counters = texts(c.id).map((t) => Number(/^c (\d+)$/.exec(t)![1]))
    const first = counters[0]
    expect(counters).toEqual(counters.map((_, i) => first + i))
    // journalctl resumed after the last cursor, and printed only the entry written while down.
    // (the gap is reported once the channel is back, which can be before journalctl wrote its arguments)
    const lastArgs = () => readFileSync(bench.journalArgsPath, 'utf8').trim().split('\n').at(-1)
    await until('journalctl run again after the cut', () => lastArgs()?.includes('--after-cursor'))
    expect(lastArgs()).toBe('-u nginx.service -f -o json --no-pager -n all --after-cursor=s=55e9886cc9024eb7ad4367e9061be6ce;i=7a6;b=800f36431cb84ddbacbff7fd5539d359;m=241064e;t=642c705aba083;x=e88fc1e4f70c128a')
    await until('the entry written while down', () => texts(u.id).length === 4)
    expect(texts(u.id)[3]).toMatch(/left it out/)
    expect(texts(f.id)).toEqual(['before the cut', 'while down', 'after the cut'])
    for (const id of [c.id, u.id, f.id]) await call('logs.close', { id })
  }, 60_000)

  it('a file that shrank while the stream was down (rotated) is followed from its new start, and the gap says lines may be missing', async () => {
    const path = `${bench.filePath}.rotating`
    writeFileSync(path, 'old 1\nold 2\nold 3\n')
    const f = await call('logs.open', { hostId: HOST, source: { kind: 'file', path }, tail: 2 })
    await until('the last two lines', () => texts(f.id).length === 2)
    expect(texts(f.id)).toEqual(['old 2', 'old 3'])
    const sshd = bench.droplets.droplets[0]
    for (const pid of descendants(sshd.pid)) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        /* already gone with its parent */
      }
    }
    writeFileSync(path, 'new 1\n') // rotated while down: smaller than what was read
    await until('following again after a gap', () => stateNames(f.id).includes('gap'), 30_000)
    await until('the new file\'s line', () => texts(f.id).includes('new 1'))
    expect(states.get(f.id)!.find((s) => s.state === 'gap')!.recovered).toBe(false)
    appendFileSync(path, 'new 2\n')
    await until('a line appended after', () => texts(f.id).includes('new 2'))
    expect(texts(f.id)).toEqual(['old 2', 'old 3', 'new 1', 'new 2'])
    await call('logs.close', { id: f.id })
  }, 60_000)

  it('closes a client\'s streams when the client goes away', async () => {
    const other = createCallContext('test:logs-other', services.bus)
    const s = await call('logs.open', { hostId: HOST, source: { kind: 'file', path: bench.filePath } }, other)
    await until('following', () => stateNames(s.id).includes('following'))
    await other.dispose()
    const closed = await call('logs.close', { id: s.id }) // closing a closed stream is not an error
    expect(closed).toEqual({ closed: true })
    appendFileSync(bench.filePath, 'nobody listens\n')
    await new Promise((r) => setTimeout(r, 500))
    expect(texts(s.id)).not.toContain('nobody listens')
  })
})
