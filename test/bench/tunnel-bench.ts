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
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
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
async function tunnelProcess(sshConfig: string, alias: string, remotePort: number): Promise<void> {
  const { EventBus } = await import('../../src/main/rpc/event-bus')
  const { createSshServices } = await import('../../src/main/ssh/ssh-handlers')
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dd-bench-tunnel-'))
  const ssh = createSshServices({ dataDir, bus: new EventBus(), env: { DROPDECK_SSH_CONFIG: sshConfig }, log: (line) => console.error(line) })
  const { localPort } = await ssh.tunnels.start({ hostId: alias, remoteHost: '127.0.0.1', remotePort })
  console.log(JSON.stringify({ port: localPort }))
  process.stdin.on('end', async () => {
    await ssh.dispose()
    rmSync(dataDir, { recursive: true, force: true })
    process.exit(0)
  }).resume()
}

// ------------------------------------------------------------------------------------------------

function firstJsonLine(child: ChildProcess): Promise<{ port: number }> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! })
    rl.once('line', (line) => resolve(JSON.parse(line) as { port: number }))
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
  const { writeSshClientFiles } = await import('../fleet/ssh-client-files')
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dd-tunnel-bench-'))
  const children: ChildProcess[] = []
  const fleet = await startDroplets({ count: 1, dir: path.join(dir, 'fleet'), port: 'auto', baseAddress: '127.0.26.2' })
  try {
    const d = fleet.droplets[0]
    const { sshConfigPath } = writeSshClientFiles(dir, fleet.droplets)
    const node = process.execPath
    const tsx = ['--import', 'tsx', self]
    const blast = spawn(node, [...tsx, '--blast'], { stdio: ['pipe', 'pipe', 'inherit'] })
    children.push(blast)
    const { port: blastPort } = await firstJsonLine(blast)
    const prof = process.env.BENCH_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROF_DIR] : []
    const dd = spawn(node, [...prof, ...tsx, '--tunnel', sshConfigPath, d.name, String(blastPort)], { stdio: ['pipe', 'pipe', 'pipe'] })
    children.push(dd)
    const ddCipherP = new Promise<string>((resolve) => createInterface({ input: dd.stderr! }).on('line', (line) => {
      const m = /^ssh: [^:]+: (\S+),/.exec(line)
      if (m) resolve(m[1])
    }))
    const { port: ddPort } = await firstJsonLine(dd)
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
    const ddCipher = await ddCipherP

    const peers = { dropdeck: ddPort, openssh: osshPort } as const
    console.log(`bench:tunnel  sshd ${d.host}:${d.port} (OpenSSH), ${MB} MB x ${ROUNDS} rounds each way, ${os.cpus().length} CPUs, Node ${process.version}`)
    console.log(`  ciphers: Dropdeck (ssh2) ${ddCipher}; OpenSSH \`ssh -L\` ${osshCipher}${forced.length ? ' (forced)' : ' (its default)'}`)
    // Warm-up: JIT, TCP windows, the first channel.
    for (const port of Object.values(peers)) await request(port, 'D', 32 * 1024 * 1024)

    const results: Record<'dropdeck' | 'openssh', { down: number[]; up: number[] }> = { dropdeck: { down: [], up: [] }, openssh: { down: [], up: [] } }
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? (['dropdeck', 'openssh'] as const) : (['openssh', 'dropdeck'] as const)
      for (const who of order) {
        const down = await request(peers[who], 'D', MB * 1024 * 1024)
        const up = await request(peers[who], 'U', MB * 1024 * 1024)
        results[who].down.push(down)
        results[who].up.push(up)
        console.log(`  round ${r + 1} ${who.padEnd(8)} down ${down.toFixed(0).padStart(5)} MB/s   up ${up.toFixed(0).padStart(5)} MB/s`)
      }
    }
    const opens: Record<'dropdeck' | 'openssh', number[]> = { dropdeck: [], openssh: [] }
    for (let i = 0; i < OPENS; i++) {
      for (const who of i % 2 ? (['openssh', 'dropdeck'] as const) : (['dropdeck', 'openssh'] as const)) opens[who].push(await openLatency(peers[who]))
    }

    const row = (label: string, dd: number, os_: number, unit: string, higherIsBetter: boolean) =>
      console.log(`  ${label.padEnd(28)} Dropdeck ${dd.toFixed(unit === 'ms' ? 2 : 0).padStart(7)} ${unit}   OpenSSH ${os_.toFixed(unit === 'ms' ? 2 : 0).padStart(7)} ${unit}   ratio ${(higherIsBetter ? dd / os_ : os_ / dd).toFixed(2)}x`)
    console.log('\nmedians (ratio: Dropdeck relative to OpenSSH, >1 is better)')
    row('download (remote -> local)', median(results.dropdeck.down), median(results.openssh.down), 'MB/s', true)
    row('upload (local -> remote)', median(results.dropdeck.up), median(results.openssh.up), 'MB/s', true)
    row(`new connection (n=${OPENS})`, median(opens.dropdeck), median(opens.openssh), 'ms', false)
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
else if (mode === '--tunnel') void tunnelProcess(process.argv[3], process.argv[4], Number(process.argv[5]))
else
  main().catch((err) => {
    console.error(err)
    process.exit(1)
  })
