// `tsx test/fleet/cli.ts up|down|status` (npm run fleet:up / fleet:down): the bench for a person.
// `up` stays in the foreground, prints what runs where and the environment for the headless host,
// and stops everything on Ctrl-C or SIGTERM; `down` signals a running `up` through its pid file
// and, if that process died without cleaning up, ends its servers and removes the state dir.
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { startBench, type Bench } from './bench'
import { repoRoot } from './paths'
import { isAlive, exeOf, terminatePids, run, processesUsing } from './proc'
import { mountsUnder, containerProcesses } from './dockerd'
import { dockerRequest, listContainers } from './docker-api'

interface State {
  pid: number
  startedAt: string
  processes: { kind: string; pid: number; exe: string }[]
  env: Record<string, string>
}

const USAGE = `usage: tsx test/fleet/cli.ts <up|down|status> [options]
  --state-dir DIR   where keys, configs, logs and docker data live (default: .fleet/ at the repo root)
  --droplets N      sshd droplets (default 3)
  --ssh-port P      port every droplet listens on (default 2222; 22 collides with a local sshd)
  --fleet-size N    droplets the DigitalOcean stub lists (default: the 5 seed droplets; try 1000)
  --do-port P       DigitalOcean stub port (default 8701)
  --cf-port P       Cloudflare stub port (default 8702)
  --no-docker       do not start dockerd`

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    'state-dir': { type: 'string' },
    droplets: { type: 'string' },
    'ssh-port': { type: 'string' },
    'fleet-size': { type: 'string' },
    'do-port': { type: 'string' },
    'cf-port': { type: 'string' },
    'no-docker': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
})

const stateDir = path.resolve(values['state-dir'] ?? path.join(repoRoot, '.fleet'))
const pidFile = path.join(stateDir, 'fleet.pid')
const stateFile = path.join(stateDir, 'state.json')
const rel = (p: string) => (p.startsWith(repoRoot + '/') ? path.relative(repoRoot, p) : p)
const num = (v: string | undefined, def: number) => (v === undefined ? def : Number.parseInt(v, 10))

function readState(): State | undefined {
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as State
  } catch {
    return undefined
  }
}

function runningPid(): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8'))
    return pid && isAlive(pid) && pid !== process.pid ? pid : undefined
  } catch {
    return undefined
  }
}

/**
 * Whatever a dead `up` left: its servers, found by the state dir in their command lines
 * (sshd -f .fleet/ssh/..., dockerd --data-root .fleet/docker/..., containerd-shims), its
 * mounts, and the state dir itself.
 */
async function cleanLeftovers(): Promise<void> {
  const socketPath = path.join(stateDir, 'docker', 'docker.sock')
  // containers first, so dockerd's own shutdown has nothing to wait for
  if (existsSync(socketPath)) {
    const all = await listContainers(socketPath).catch(() => [])
    await Promise.all(all.map((c) => dockerRequest(socketPath, 'DELETE', `/containers/${c.Id}`, { query: { force: true }, timeoutMs: 10_000 }).catch(() => undefined)))
  }
  // processes of containers whose shim is gone: they would keep the services' ports bound
  const inContainers = containerProcesses(path.join(stateDir, 'docker', 'data'))
  const leftovers = processesUsing(stateDir)
  if (leftovers.length) {
    console.log(`ending ${leftovers.length} leftover server process(es): ${leftovers.join(' ')}`)
    const isDockerd = (pid: number) => exeOf(pid)?.endsWith('/dockerd') ?? false
    // dockerd before its containerd, which it stops itself
    await terminatePids(leftovers.filter(isDockerd), 15_000)
    await terminatePids(leftovers.filter((p) => !isDockerd(p)), 3_000)
  }
  await terminatePids([...inContainers, ...containerProcesses(path.join(stateDir, 'docker', 'data'))], 0)
  for (const m of mountsUnder(stateDir)) await run('umount', [m]).catch(() => run('umount', ['-l', m]).catch(() => undefined))
  rmSync(stateDir, { recursive: true, force: true, maxRetries: 3 })
}

function printSummary(b: Bench): void {
  const lines: string[] = []
  lines.push('', `Dropdeck fleet bench is up (pid ${process.pid}). Ctrl-C here, or \`npm run fleet:down\`, stops it.`, '')
  lines.push(`droplets: real OpenSSH sshd, user ${b.droplets.droplets[0]?.user}, key ${rel(b.droplets.privateKeyPath)}`)
  for (const d of b.droplets.droplets) lines.push(`  ${d.name.padEnd(22)} ${`${d.host}:${d.port}`.padEnd(17)} ${d.hostKeyFingerprintSha256}`)
  lines.push(`  try: ssh -F ${rel(b.sshConfigPath)} ${b.droplets.droplets[0]?.name}`, '')
  if (b.docker) {
    lines.push(`docker: dockerd on ${b.docker.env.DOCKER_HOST} (vfs, --network host), also as DOCKER_HOST inside the droplets' sessions`)
    for (const c of b.containers) lines.push(`  ${c.name.padEnd(22)} ${c.expect.padEnd(10)} ${c.image.padEnd(30)} ${c.expect === 'exited' ? '' : `http://127.0.0.1:${c.port}/`}`)
    lines.push('')
  } else lines.push('docker: not started', '')
  lines.push(`DigitalOcean API stub: ${b.digitalocean.url}   token ${b.digitalocean.token}`)
  lines.push(`Cloudflare API stub:   ${b.cloudflare.url}   token ${b.cloudflare.token}`, '')
  lines.push('Point the headless host at it (also in ' + rel(path.join(stateDir, 'env')) + '):')
  for (const [k, v] of Object.entries(b.env)) lines.push(`  export ${k}=${v}`)
  lines.push('')
  console.log(lines.join('\n'))
}

async function up(): Promise<void> {
  const other = runningPid()
  if (other) {
    console.error(`a bench is already running (pid ${other}); stop it with: npm run fleet:down`)
    process.exit(1)
  }
  if (existsSync(stateDir)) await cleanLeftovers()
  mkdirSync(stateDir, { recursive: true })
  writeFileSync(pidFile, String(process.pid))

  let bench: Bench | undefined
  const starting = new AbortController()
  let stopping = false
  let firstSignalAt = 0
  const shutdown = async (signal: string) => {
    // npm and tsx forward Ctrl-C too, so one keypress can arrive twice: only a later one forces
    if (stopping) {
      if (Date.now() - firstSignalAt > 1500) {
        console.error('forced exit; run `npm run fleet:down` to clean up what is left')
        process.exit(130)
      }
      return
    }
    stopping = true
    firstSignalAt = Date.now()
    console.log(`\n${signal}: stopping the bench...`)
    if (!bench) {
      // still starting: startBench stops what it started and rejects; the catch below exits
      starting.abort()
      return
    }
    await bench.stop()
    await cleanLeftovers()
    console.log('bench stopped, state removed')
    process.exit(0)
  }
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, () => void shutdown(s))

  const t0 = Date.now()
  try {
    bench = await startBench({
      stateDir,
      droplets: num(values.droplets, 3),
      sshPort: num(values['ssh-port'], 2222),
      fleetSize: values['fleet-size'] ? num(values['fleet-size'], 5) : undefined,
      doPort: num(values['do-port'], 8701),
      cfPort: num(values['cf-port'], 8702),
      docker: values['no-docker'] ? false : undefined,
      healthIntervalMs: 2000,
      log: (l) => console.log(`[fleet +${((Date.now() - t0) / 1000).toFixed(1)}s] ${l}`),
      signal: starting.signal,
    })
  } catch (e) {
    if (!stopping) console.error(`could not start the bench: ${(e as Error).message}`)
    await cleanLeftovers()
    console.log(stopping ? 'bench stopped, state removed' : 'state removed')
    process.exit(stopping ? 0 : 1)
  }
  const state: State = { pid: process.pid, startedAt: new Date().toISOString(), processes: bench.processes(), env: bench.env }
  writeFileSync(stateFile, JSON.stringify(state, null, 2))
  printSummary(bench)
  // the servers' listening sockets keep the process alive until a signal arrives
}

async function down(): Promise<void> {
  const pid = runningPid()
  if (pid) {
    console.log(`stopping the bench (pid ${pid})...`)
    process.kill(pid, 'SIGTERM')
    const deadline = Date.now() + 60_000
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    if (isAlive(pid)) console.error(`pid ${pid} did not exit within 60 s; cleaning up around it`)
  }
  if (existsSync(stateDir)) await cleanLeftovers()
  console.log(pid ? 'bench stopped' : 'no bench was running; state dir cleaned')
}

function status(): void {
  const pid = runningPid()
  const state = readState()
  if (!pid || !state) {
    console.log('no bench running')
    process.exitCode = 1
    return
  }
  console.log(`bench running (pid ${pid}) since ${state.startedAt}`)
  for (const p of state.processes) console.log(`  ${p.kind.padEnd(26)} pid ${p.pid} ${isAlive(p.pid) ? 'running' : 'GONE'}`)
  for (const [k, v] of Object.entries(state.env)) console.log(`  export ${k}=${v}`)
}

const command = positionals[0]
if (values.help || !command) console.log(USAGE)
else if (command === 'up') await up()
else if (command === 'down') await down()
else if (command === 'status') status()
else {
  console.error(`unknown command "${command}"\n${USAGE}`)
  process.exit(2)
}
