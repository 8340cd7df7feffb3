/**
 * bench:tunnel: throughput through a Dropdeck tunnel against OpenSSH's `ssh -L` to the same bench
 * sshd, in the same run, alternating which goes first; medians and the ratio. Then the time to open a
 * new connection through each already-established tunnel (connect until the first byte from the far
 * side). Prints figures; asserts nothing.
 *
 * Three processes, so that nothing shares an event loop with what is measured: this one (the
 * client that reads or writes), a blaster (`--blast`: the server behind the tunnel), and the Dropdeck
 * tunnel (`--tunnel`: the real SSH services). OpenSSH's `ssh` is its own process too.
 *
 *   npm run bench:tunnel                 # 5 rounds of 200 MB each way
 *   BENCH_MB=100 BENCH_ROUNDS=3 npm run bench:tunnel
 *   BENCH_OPENSSH_CIPHER=aes128-gcm@openssh.com   # OpenSSH on the cipher Dropdeck negotiates
 *   BENCH_FLIP_COALESCING=1  # also a Dropdeck tunnel with the other write-coalescing choice (A/B in one run)
 *   BENCH_SSH2_BINDING=off   # ssh2 on Node's crypto, as where its native binding is not built
 *   BENCH_PROF_DIR=dir   # --cpu-prof of the Dropdeck tunnel process(es)
 *   BENCH_BEFORE_TREE=/tmp/old-checkout  # also that checkout's tunnel, interleaved (before/after in one run)
 *
 * Also prints CPU seconds per GB of each client process and of sshd (from /proc): on 2 cores the
 * client, the tunnel process, sshd and the far server compete, so CPU per byte decides throughput.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { createRequire } from 'node:module'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const MB = Number(process.env.BENCH_MB ?? 200)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const OPENS = Number(process.env.BENCH_OPENS ?? 200)
const self = fileURLToPath(import.meta.url)

// ------------------------------------------------------------------------------------------------
// --blast: 'D' + 8-byte length -> sends that many bytes then ends; 'U' + length -> reads them and
// answers one byte; 'H' -> answers "hi" at once (connection-open latency).

async function blaster(): Promise<void> {
  const block = Buffer.alloc(1024 * 1024, 0x5a)
  const server = net.createServer({ allowHalfOpen: true, highWaterMark: 1024 * 1024 }, (s) => {
    s.setNoDelay(true)
    s.on('error', () => s.destroy())
    s.once('readable', function first() {
      const head = s.read(1) as Buffer | null
      if (!head) return s.once('readable', first)
      const mode = String.fromCharCode(head[0])
      if (mode === 'H') return void s.end('hi')
      const lenBuf = s.read(8) as Buffer | null
      if (!lenBuf) return void s.destroy()
      let left = Number(lenBuf.readBigUInt64BE())
      if (mode === 'D') {
        const pump = () => {
          while (left > 0) {
            const n = Math.min(left, block.length)
            left -= n
            if (!s.write(n === block.length ? block : block.subarray(0, n))) return void s.once('drain', pump)
          }
          s.end()
        }
        pump()
      } else {
        s.on('data', (c: Buffer) => {
          left -= c.length
          if (left <= 0) s.end('k')
        })
        s.resume()
      }
    })
  })
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as net.AddressInfo).port })))
  process.stdin.on('end', () => process.exit(0)).resume()
}

// --tunnel <sshConfig> <alias> <remotePort>: a Dropdeck tunnel in its own process.
// BENCH_SSH2_BINDING=off measures ssh2's fallback to Node's crypto, which is what runs wherever its
// optional native binding is not built for the running ABI (e.g. an Electron build without a rebuild).
async function tunnelProcess(sshConfig: string, alias: string, remotePort: number, flip: boolean): Promise<void> {
  const require = createRequire(import.meta.url)
  if (process.env.BENCH_SSH2_BINDING === 'off') {
    const Module = require('node:module') as { _load: (request: string, ...rest: unknown[]) => unknown }
    const load = Module._load
    Module._load = function (request: string, ...rest: unknown[]) {
      if (request.endsWith('sshcrypto.node')) throw new Error('ssh2 binding disabled by BENCH_SSH2_BINDING=off')
      return load.call(this, request, ...rest)
    }
  }
  const binding = (require('ssh2/lib/protocol/crypto.js') as { bindingAvailable: boolean }).bindingAvailable
  const { EventBus } = await import('../../src/main/rpc/event-bus')
  const { createSshServices } = await import('../../src/main/ssh/ssh-handlers')
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dd-bench-tunnel-'))
  const ssh = createSshServices({
    dataDir,
    bus: new EventBus(),
    env: { DROPDECK_SSH_CONFIG: sshConfig },
    log: (line) => console.error(line),
    // The app coalesces transport writes only without ssh2's binding; --flip makes the other choice.
    ...(flip ? { tuning: { pool: { coalesceWrites: binding } } } : {})
  })
  const { localPort } = await ssh.tunnels.start({ hostId: alias, remoteHost: '127.0.0.1', remotePort })
  console.log(JSON.stringify({ port: localPort, binding }))
  process.stdin.on('end', async () => {
    await ssh.dispose()
    rmSync(dataDir, { recursive: true, force: true })
    process.exit(0)
  }).resume()
}

// ------------------------------------------------------------------------------------------------

function firstJsonLine(child: ChildProcess): Promise<{ port: number; binding?: boolean }> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! })
    rl.once('line', (line) => resolve(JSON.parse(line) as { port: number; binding?: boolean }))
    child.once('exit', (code) => reject(new Error(`child exited with ${code}`)))
  })
}

function request(port: number, mode: 'D' | 'U', bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const head = Buffer.alloc(9)
    head.write(mode)
    head.writeBigUInt64BE(BigInt(bytes), 1)
    const started = performance.now()
    const s = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true, highWaterMark: 1024 * 1024 } as net.NetConnectOpts)
    s.setNoDelay(true)
    let got = 0
    s.on('error', reject)
    s.on('connect', () => {
      s.write(head)
      if (mode === 'U') {
        const block = Buffer.alloc(1024 * 1024, 0xa5)
        let left = bytes
        const pump = () => {
          while (left > 0) {
            const n = Math.min(left, block.length)
            left -= n
            if (!s.write(n === block.length ? block : block.subarray(0, n))) return void s.once('drain', pump)
          }
        }
        pump()
      }
    })
    s.on('data', (c: Buffer) => (got += c.length))
    s.on('end', () => {
      const secs = (performance.now() - started) / 1000
      s.destroy()
      if (mode === 'D' && got !== bytes) return reject(new Error(`received ${got} of ${bytes} bytes`))
      resolve(bytes / 1024 / 1024 / secs)
    })
  })
}

function openLatency(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const s = net.connect({ host: '127.0.0.1', port }, () => s.write('H'))
    s.once('data', () => {
      resolve(performance.now() - started)
      s.destroy()
    })
    s.on('error', reject)
  })
}

/** CPU seconds (user + system) the processes used so far, from /proc: what competes for the cores. */
function cpuSeconds(pids: number[]): number {
  let ticks = 0
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      ticks += Number(fields[11]) + Number(fields[12])
    } catch {
      // the process is gone: its time is no longer counted anywhere
    }
  }
  return ticks / 100 // USER_HZ is 100 on Linux
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy()
        resolve(true)
      })
      s.on('error', () => resolve(false))
    })
    if (ok) return
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

async function main(): Promise<void> {
  const { startDroplets } = await import('../fleet/sshd')
  const { descendants } = await import('../fleet/proc')
  const { writeSshClientFiles } = await import('../fleet/ssh-client-files')
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dd-tunnel-bench-'))
  const children: ChildProcess[] = []
  const fleet = await startDroplets({ count: 1, dir: path.join(dir, 'fleet'), port: 'auto', baseAddress: process.env.BENCH_SSHD_ADDRESS ?? '127.0.47.2' })
  try {
    const d = fleet.droplets[0]
    const { sshConfigPath } = writeSshClientFiles(dir, fleet.droplets)
    const node = process.execPath
    const tsx = ['--import', 'tsx', self]
    const blast = spawn(node, [...tsx, '--blast'], { stdio: ['pipe', 'pipe', 'inherit'] })
    children.push(blast)
    const { port: blastPort } = await firstJsonLine(blast)
    const prof = process.env.BENCH_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROF_DIR] : []
    const startTunnel = async (flip: boolean, script = self) => {
      const child = spawn(node, [...prof, '--import', 'tsx', script, '--tunnel', sshConfigPath, d.name, String(blastPort), ...(flip ? ['--flip'] : [])], { stdio: ['pipe', 'pipe', 'pipe'], cwd: path.dirname(path.dirname(path.dirname(script))) })
      children.push(child)
      const cipher = new Promise<string>((resolve) => createInterface({ input: child.stderr! }).on('line', (line) => {
        const m = /^ssh: [^:]+: (\S+),/.exec(line)
        if (m) resolve(m[1])
      }))
      const { port, binding } = await firstJsonLine(child)
      return { pid: child.pid!, port, binding, cipher: await cipher }
    }
    const dd = await startTunnel(false)
    // "Dropdeck" is what the app does; BENCH_FLIP_COALESCING=1 adds a tunnel with the other coalescing choice.
    const flipped = process.env.BENCH_FLIP_COALESCING === '1' ? await startTunnel(true) : undefined
    const flippedName = dd.binding ? 'Dropdeck+coalesce' : 'Dropdeck-plain'
    // BENCH_BEFORE_TREE=/path/to/an/older/checkout: its tunnel too, as "before", interleaved with this one (an A/B in one run).
    const beforeTree = process.env.BENCH_BEFORE_TREE
    const before = beforeTree ? await startTunnel(false, path.join(beforeTree, 'test/bench/tunnel-bench.ts')) : undefined
    const osshPort = await freePort()
    // -v only to learn the cipher OpenSSH negotiated; BENCH_OPENSSH_CIPHER forces one (e.g. aes128-gcm@openssh.com).
    const forced = process.env.BENCH_OPENSSH_CIPHER ? ['-c', process.env.BENCH_OPENSSH_CIPHER] : []
    const ossh = spawn('ssh', ['-v', ...forced, '-F', sshConfigPath, '-N', '-o', 'ExitOnForwardFailure=yes', '-L', `127.0.0.1:${osshPort}:127.0.0.1:${blastPort}`, d.name], { stdio: ['ignore', 'ignore', 'pipe'] })
    children.push(ossh)
    let osshCipher = '?'
    createInterface({ input: ossh.stderr! }).on('line', (line) => {
      const m = /kex: server->client cipher: (\S+)/.exec(line)
      if (m) osshCipher = m[1]
    })
    await waitForPort(osshPort, 10_000)

    type Peer = { name: string; port: number; pid: number }
    const peers: Peer[] = [
      { name: 'Dropdeck', port: dd.port, pid: dd.pid },
      ...(flipped ? [{ name: flippedName, port: flipped.port, pid: flipped.pid }] : []),
      ...(before ? [{ name: 'Dropdeck-before', port: before.port, pid: before.pid }] : []),
      { name: 'OpenSSH', port: osshPort, pid: ossh.pid! }
    ]
    console.log(`bench:tunnel  sshd ${d.host}:${d.port} (OpenSSH), ${MB} MB x ${ROUNDS} rounds each way, ${os.cpus().length} CPUs, Node ${process.version}`)
    console.log(`  ciphers: Dropdeck (ssh2) ${dd.cipher}; OpenSSH \`ssh -L\` ${osshCipher}${forced.length ? ' (forced)' : ' (its default)'}`)
    console.log(`  ssh2 crypto: ${dd.binding ? 'native binding (sshcrypto.node)' : "Node's crypto (binding not loaded: not built for this ABI, or BENCH_SSH2_BINDING=off)"}`)
    console.log(`  Dropdeck: SSH transport writes ${dd.binding ? 'one per packet (ssh2 alone)' : 'coalesced per tick'}${flipped ? `; ${flippedName}: ${dd.binding ? 'coalesced per tick' : 'one write per packet piece'}` : ''}`)
    // Warm-up: JIT, TCP windows, the first channel.
    for (const p of peers) await request(p.port, 'D', 32 * 1024 * 1024)

    type Dir = 'down' | 'up'
    const blank = () => ({ rate: [] as number[], client: [] as number[], sshd: [] as number[] })
    const results = new Map(peers.map((p) => [p.name, { down: blank(), up: blank(), opens: [] as number[] }]))
    // CPU seconds per GB moved: the client process (tunnel or ssh) and the sshd processes serving it.
    const measure = async (p: Peer, dir: Dir) => {
      const sshdPids = [d.pid, ...descendants(d.pid)]
      const c0 = cpuSeconds([p.pid])
      const s0 = cpuSeconds(sshdPids)
      const rate = await request(p.port, dir === 'down' ? 'D' : 'U', MB * 1024 * 1024)
      const gb = MB / 1024
      const r = results.get(p.name)![dir]
      r.rate.push(rate)
      r.client.push((cpuSeconds([p.pid]) - c0) / gb)
      r.sshd.push((cpuSeconds(sshdPids) - s0) / gb)
      return rate
    }
    // Rotate who goes first each round, so that no peer always meets a warm (or a busy) machine.
    const rotated = (i: number) => peers.map((_, k) => peers[(k + i) % peers.length])
    for (let r = 0; r < ROUNDS; r++) {
      for (const p of rotated(r)) {
        const down = await measure(p, 'down')
        const up = await measure(p, 'up')
        console.log(`  round ${r + 1} ${p.name.padEnd(14)} down ${down.toFixed(0).padStart(5)} MB/s   up ${up.toFixed(0).padStart(5)} MB/s`)
      }
    }
    // CPU per connection of each client process over the whole phase (accept, channel open, splice, teardown).
    const opensCpu0 = peers.map((p) => cpuSeconds([p.pid]))
    for (let i = 0; i < OPENS; i++) for (const p of rotated(i)) results.get(p.name)!.opens.push(await openLatency(p.port))
    const opensCpu = peers.map((p, k) => ((cpuSeconds([p.pid]) - opensCpu0[k]) * 1e6) / OPENS)

    const base = results.get('OpenSSH')!
    const row = (label: string, pick: (r: NonNullable<ReturnType<typeof results.get>>) => number[], unit: string, higherIsBetter: boolean) => {
      const cells = peers.map((p) => {
        const v = median(pick(results.get(p.name)!))
        const ratio = p.name === 'OpenSSH' ? '' : ` (${(higherIsBetter ? v / median(pick(base)) : median(pick(base)) / v).toFixed(2)}x)`
        return `${p.name} ${v.toFixed(unit === 'ms' ? 2 : 0)} ${unit}${ratio}`
      })
      console.log(`  ${label.padEnd(28)} ${cells.join('   ')}`)
    }
    console.log('\nmedians (ratio: relative to OpenSSH, >1 is better)')
    row('download (remote -> local)', (r) => r.down.rate, 'MB/s', true)
    row('upload (local -> remote)', (r) => r.up.rate, 'MB/s', true)
    row(`new connection (n=${OPENS})`, (r) => r.opens, 'ms', false)
    console.log(`  ${'CPU per new connection'.padEnd(28)} ${peers.map((p, k) => `${p.name} ${opensCpu[k].toFixed(0)} µs`).join('   ')}`)
    console.log(`\nCPU seconds per GB (medians): each client process + the sshd serving it; ${os.cpus().length} cores shared with the bench client and the far server`)
    for (const dir of ['down', 'up'] as const) {
      const f = (xs: number[]) => median(xs).toFixed(2)
      console.log(`  ${dir.padEnd(4)}  ${peers.map((p) => `${p.name} ${f(results.get(p.name)![dir].client)} + sshd ${f(results.get(p.name)![dir].sshd)}`).join('   ')}`)
    }
  } finally {
    // Closing stdin asks our children to exit (a profile, if asked for, is written then); ssh gets SIGTERM.
    await Promise.all(children.map((c) => new Promise<void>((resolve) => {
      if (c.exitCode !== null) return resolve()
      const timer = setTimeout(() => c.kill(), c.stdin ? 5000 : 0)
      c.once('exit', () => {
        clearTimeout(timer)
        resolve()
      })
      c.stdin?.end()
    })))
    await fleet.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

const mode = process.argv[2]
if (mode === '--blast') void blaster()
else if (mode === '--tunnel') void tunnelProcess(process.argv[3], process.argv[4], Number(process.argv[5]), process.argv[6] === '--flip')
else
  main().catch((err) => {
    console.error(err)
    process.exit(1)
  })
