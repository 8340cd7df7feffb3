// Stream events go to the client that opened the stream and to no other, over both transports: two
// WebSocket clients on the real headless host, and two windows (plain senders) on the Electron
// transport's client logic (src/main/ipc-clients.ts). Client A follows a terminal, a container's log
// and a containers watch; client B has a terminal and a file log of its own. B never receives a frame
// of A's streams (counted), still receives shared events (*.changed), and closing A ends A's streams
// (its shell, its channels on the host) and nothing of B's. Real services: node-pty, sshd, dockerd.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import path from 'node:path'
import { createServices, type Services } from '../../src/main/app/services'
import { startHost, type Host } from '../../src/main/host/server'
import { createIpcClients, forwardEventsTo, type IpcSender } from '../../src/main/ipc-clients'
import { eventChannel, type EventName } from '../../src/shared/contract'
import { findDockerd } from '../fleet/dockerd'
import { dockerCall } from '../fleet/docker-api'
import { BASE_IMAGE } from '../fleet/docker-seed'
import { findExecutable, waitFor } from '../fleet/proc'
import { SSHD_PATH } from '../fleet/sshd'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { dialProcesses } from '../docker/dial-processes'
import { startLogBench, type LogBench } from '../logs/log-bench'
import { memoryKeychain } from '../ssh/support/ssh-env'
import { RpcSocket, repoRoot } from '../support/host-harness'

const ready = Boolean(findDockerd() && findExecutable('docker') && existsSync(SSHD_PATH))
if (!ready) console.warn('[streams] skipping owner-only delivery tests: dockerd, the docker CLI or sshd is missing')

const HOST = 'logs-droplet'
/** Every event that belongs to one stream, by its `id`. */
const STREAM_EVENTS = new Set<string>(['terminals.data', 'terminals.state', 'logs.data', 'logs.state', 'containers.watch.data', 'containers.watch.state'])

interface Frame {
  event: string
  payload: { id?: string; data?: string; text?: string[]; kind?: string; state?: string }
}

/** One client of the services, whatever the transport. */
interface Client {
  call(method: string, params: object): Promise<Record<string, unknown>>
  readonly received: Frame[]
  close(): Promise<void>
}

function wsClient(socket: RpcSocket): Client {
  return {
    async call(method, params) {
      const frame = await socket.call(method, params)
      if (frame.error) throw new Error(`${method}: ${JSON.stringify(frame.error)}`)
      return frame.result as Record<string, unknown>
    },
    get received() {
      return socket.frames.filter((f): f is { method: string; params: Frame['payload'] } => typeof f === 'object' && f !== null && 'method' in f && !('id' in f)).map((f) => ({ event: f.method, payload: f.params }))
    },
    close: async () => {
      socket.close()
      await new Promise((r) => socket.ws.once('close', r))
    }
  }
}

/** A window as the Electron transport sees it: an id, `send`, and `destroyed`. */
class FakeWindow implements IpcSender {
  readonly sent: Array<{ channel: string; payload: unknown }> = []
  private destroyed = false
  private readonly onDestroyed: Array<() => void> = []
  constructor(readonly id: number) {}
  isDestroyed() {
    return this.destroyed
  }
  send(channel: string, payload: unknown) {
    if (this.destroyed) throw new Error('send to a destroyed window')
    this.sent.push({ channel, payload })
  }
  once(_event: 'destroyed', listener: () => void) {
    this.onDestroyed.push(listener)
    return this
  }
  destroy() {
    this.destroyed = true
    for (const l of this.onDestroyed.splice(0)) l()
  }
}

function ipcClient(services: Services, clients: ReturnType<typeof createIpcClients>, win: FakeWindow): Client {
  forwardEventsTo(services.bus, win)
  const channels = new Map<string, string>()
  return {
    async call(method, params) {
      const envelope = await services.router.call(method, params, clients.contextFor(win))
      if (!envelope.ok) throw new Error(`${method}: ${JSON.stringify(envelope.error)}`)
      return envelope.result as Record<string, unknown>
    },
    get received() {
      return win.sent.map(({ channel, payload }) => {
        if (!channels.has(channel)) channels.set(channel, channel.replace(/^event:/, ''))
        return { event: channels.get(channel)!, payload: payload as Frame['payload'] }
      })
    },
    close: async () => win.destroy()
  }
}

describe.skipIf(!ready)('stream events go to their owner only (real host, sshd, dockerd, node-pty)', () => {
  let dir: string
  let bench: LogBench
  let services: Services
  let host: Host

  beforeAll(async () => {
    dir = mkdtempSync('/tmp/ddo-') // short: unix socket paths are limited
    bench = await startLogBench(dir, '127.0.57.2')
    const files = writeSshClientFiles(dir, bench.droplets.droplets)
    services = createServices({
      dataDir: path.join(dir, 'data'),
      version: '0.0.0-test',
      keychain: memoryKeychain(),
      env: { DROPDECK_SSH_CONFIG: files.sshConfigPath, SHELL: '/bin/bash' },
      log: () => undefined,
      // The container sampler keeps an Engine channel of its own open on a connected host; this test counts
      // the channels of A's streams on the host, so the sampler's first round is put beyond the test.
      metricsHistoryTuning: { containerSampleMs: 60 * 60_000 }
    })
    host = await startHost({ services, rendererDir: path.join(repoRoot, 'out/renderer'), port: 0 })
    await bench.container('owner-a-logs', 'i=0; while true; do i=$((i+1)); echo "a line $i"; sleep 0.05; done')
  }, 180_000)

  afterAll(async () => {
    await host?.close()
    await services?.dispose()
    await bench?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  const until = (what: string, fn: () => unknown, timeoutMs = 20_000) => waitFor(() => Boolean(fn()), { timeoutMs, intervalMs: 50, what })
  const ofStream = (c: Client, event: string, id: string) => c.received.filter((f) => f.event === event && f.payload.id === id)
  const termText = (c: Client, id: string) => ofStream(c, 'terminals.data', id).map((f) => f.payload.data).join('')
  const logText = (c: Client, id: string) => ofStream(c, 'logs.data', id).flatMap((f) => f.payload.text ?? [])

  /** The same story over any transport; `label` keeps the two runs' markers apart. */
  async function ownerOnly(label: string, a: Client, b: Client): Promise<void> {
    const terminalsBefore = services.ssh.terminals.size
    // A: a shell, a container's log, a containers watch.
    const aTerm = (await a.call('terminals.open', { kind: 'local', cols: 80, rows: 24 })).id as string
    await a.call('terminals.write', { id: aTerm, data: `echo ${label}-a-$((6*7))\r` })
    await until('A to see its shell', () => termText(a, aTerm).includes(`${label}-a-42`))
    const aLog = (await a.call('logs.open', { hostId: HOST, source: { kind: 'container', id: 'owner-a-logs' }, tail: 10 })).id as string
    await until('A to get log lines', () => logText(a, aLog).length > 5)
    const aWatch = (await a.call('containers.watch.open', { hostId: HOST })).id as string
    await until('A\'s watch to sync', () => ofStream(a, 'containers.watch.data', aWatch).some((f) => f.payload.kind === 'synced'))

    // B: a shell and a file log of its own.
    const bTerm = (await b.call('terminals.open', { kind: 'local', cols: 80, rows: 24 })).id as string
    await b.call('terminals.write', { id: bTerm, data: `echo ${label}-b-$((6*7))\r` })
    await until('B to see its shell', () => termText(b, bTerm).includes(`${label}-b-42`))
    const bLog = (await b.call('logs.open', { hostId: HOST, source: { kind: 'file', path: bench.filePath }, tail: 1 })).id as string
    await until('B to follow its file', () => ofStream(b, 'logs.state', bLog).some((f) => f.payload.state === 'following'))

    // B steers A's streams by id: each control call answers as for an unknown id, and A's streams go on.
    const errorOf = (call: Promise<unknown>) => call.then(() => 'ok', (err: Error) => err.message.replace(/^[\w.]+: /, ''))
    const unknownWrite = await errorOf(b.call('terminals.write', { id: '00000000-0000-4000-8000-000000000000', data: 'x' }))
    expect(unknownWrite).toContain('NOT_FOUND')
    const foreignWrite = await errorOf(b.call('terminals.write', { id: aTerm, data: `echo ${label}-intruder-$((6*7))\r` }))
    expect(foreignWrite.replace(aTerm, '<id>')).toBe(unknownWrite.replace('00000000-0000-4000-8000-000000000000', '<id>'))
    expect(await errorOf(b.call('terminals.resize', { id: aTerm, cols: 20, rows: 5 }))).toContain('NOT_FOUND')
    expect(await errorOf(b.call('terminals.ack', { id: aTerm, bytes: 1_000_000 }))).toBe('ok')
    expect(await errorOf(b.call('terminals.close', { id: aTerm }))).toBe('ok')
    expect(await errorOf(b.call('logs.ack', { id: aLog, seq: 1_000_000 }))).toBe('ok')
    expect(await errorOf(b.call('logs.close', { id: aLog }))).toBe('ok')
    expect(await errorOf(b.call('containers.watch.close', { id: aWatch }))).toBe('ok')
    expect(await errorOf(b.call('files.transfers.close', { id: aLog }))).toBe('ok')
    await a.call('terminals.write', { id: aTerm, data: `echo ${label}-a-still-$((6*7))\r` })
    await until('A\'s shell to go on', () => termText(a, aTerm).includes(`${label}-a-still-42`))
    expect(termText(a, aTerm)).not.toContain(`${label}-intruder-42`)
    const aLines = logText(a, aLog).length
    const lastSeq = Math.max(0, ...ofStream(a, 'logs.data', aLog).map((f) => (f.payload as { seq?: number }).seq ?? 0))
    await a.call('logs.ack', { id: aLog, seq: lastSeq }) // the log waits for acks; B's close must not have ended it
    await until('A\'s log to go on', () => logText(a, aLog).length > aLines + 3)
    expect(ofStream(a, 'terminals.state', aTerm)).toEqual([])

    // A container appears and goes: A's watch reports it. A saved command: shared, so both hear of it.
    const scratch = (await dockerCall(bench.docker.socketPath, 'POST', '/containers/create', { query: { name: `${label}-scratch` }, body: { Image: BASE_IMAGE, Cmd: ['true'] } })).json<{ Id: string }>().Id
    await dockerCall(bench.docker.socketPath, 'DELETE', `/containers/${scratch}`, { query: { force: true } })
    await until('A\'s watch to report the removal', () => ofStream(a, 'containers.watch.data', aWatch).some((f) => f.payload.kind === 'changed'))
    await a.call('terminals.write', { id: aTerm, data: `seq 1 2000 | sed 's/^/${label}-a-out-/'\r` })
    await until('A to see its output', () => termText(a, aTerm).includes(`${label}-a-out-2000`))
    await a.call('terminals.commands.add', { hostId: '*', command: `echo ${label}` })
    await until('B to hear of the shared change', () => b.received.some((f) => f.event === 'terminals.commands.changed'))

    // Counted on B: not one frame of A's streams; every stream frame B got is of its own streams.
    const aIds = new Set([aTerm, aLog, aWatch])
    const bIds = new Set([bTerm, bLog])
    const streamFrames = b.received.filter((f) => STREAM_EVENTS.has(f.event))
    expect(streamFrames.filter((f) => aIds.has(f.payload.id!))).toHaveLength(0)
    expect(streamFrames.filter((f) => !bIds.has(f.payload.id!))).toEqual([])
    expect(streamFrames.length).toBeGreaterThan(0)
    expect(a.received.filter((f) => STREAM_EVENTS.has(f.event) && bIds.has(f.payload.id!))).toHaveLength(0)

    // Closing A ends A's streams: its shell, its log and watch channels on the host; nothing of B's.
    await a.close()
    await until('A\'s shell to end', () => services.ssh.terminals.size === terminalsBefore + 1)
    await until('A\'s docker channels to close on the host', () => dialProcesses(bench.droplets.droplets[0].pid).length === 0)
    const seenByB = b.received.length
    await b.call('terminals.write', { id: bTerm, data: `echo ${label}-b-again-$((6*7))\r` })
    await until('B\'s shell to go on', () => termText(b, bTerm).includes(`${label}-b-again-42`))
    appendFileSync(bench.filePath, `${label} after A left\n`)
    await until('B\'s log to go on', () => logText(b, bLog).includes(`${label} after A left`))
    expect(b.received.slice(seenByB).filter((f) => aIds.has(f.payload.id!))).toEqual([])
    await b.call('terminals.close', { id: bTerm })
    await b.call('logs.close', { id: bLog })
    await b.close()
  }

  it('over the headless host: two WebSocket clients', async () => {
    const url = `ws://127.0.0.1:${host.port}/rpc?token=${host.token}`
    const [a, b] = await Promise.all([RpcSocket.open(url), RpcSocket.open(url)])
    await ownerOnly('ws', wsClient(a), wsClient(b))
  }, 120_000)

  it('over Electron IPC: two windows on the transport\'s client logic', async () => {
    const clients = createIpcClients(services.bus)
    try {
      await ownerOnly('ipc', ipcClient(services, clients, new FakeWindow(1)), ipcClient(services, clients, new FakeWindow(2)))
    } finally {
      clients.dispose()
    }
  }, 120_000)

  it('a shared event reaches every window; a stream event only its own', () => {
    const clients = createIpcClients(services.bus)
    const [one, two] = [new FakeWindow(11), new FakeWindow(12)]
    forwardEventsTo(services.bus, one)
    forwardEventsTo(services.bus, two)
    const ctx = clients.contextFor(one)
    ctx.emit('terminals.data', { id: 'x', data: 'only one', bytes: 8 })
    services.bus.emit('terminals.commands.changed', { hostId: '*' })
    const channels = (w: FakeWindow) => w.sent.map((s) => s.channel)
    const data: EventName = 'terminals.data'
    expect(channels(one)).toEqual([eventChannel(data), eventChannel('terminals.commands.changed')])
    expect(channels(two)).toEqual([eventChannel('terminals.commands.changed')])
    one.destroy()
    two.destroy()
    clients.dispose()
  })
})
