/**
 * bench:inventory: a full Health refresh of 20 hosts over warm connections — containers.list,
 * units.list and hosts.facts for every host at once, through the router (contract validation
 * included), as the Health area asks for them. Prints the total per round and per host (median, p95,
 * max) and per method, with the CPU each phase used (Dropdeck's process, and the bench's whole process
 * tree), and the ratio to the floor below; asserts nothing. Goal (issue 13): under 150 ms for all 20.
 *
 * The hosts are real sshd instances on 127.0.42.2-21 by default (BENCH_SSHD_ADDRESS moves them), all
 * this machine: their `docker` reaches one bench dockerd with the seeded containers (5 each), their
 * `systemctl` is the recording stand-in that prints real captures (test/systemd/fake-systemctl.ts;
 * systemd does not run here), and their /proc and df are this machine's. On 2 cores every host's
 * docker CLI (dial-stdio), sh and sshd compete with
 * Dropdeck for the CPU, which a fleet of real droplets would not. Every exec channel also runs the
 * login shell's start-up: bash sources ~/.bashrc for SSH commands (Debian, Ubuntu), and this machine's
 * root ~/.bashrc runs `pyenv init` (hundreds of ms of CPU per channel). So by default the hosts get
 * their own HOME (sshd SetEnv) with the two-line .bashrc a clean droplet would have, which also puts
 * the stand-ins on PATH; BENCH_MACHINE_RC=1 keeps root's own. The bench first measures that floor:
 * one `true` per host, all at once, over the same warm connections.
 *
 *   npm run bench:inventory               # 20 hosts, 10 rounds
 *   BENCH_HOSTS=5 BENCH_ROUNDS=20 npm run bench:inventory
 *   BENCH_SSHD_ADDRESS=127.0.47.100 npm run bench:inventory   # the first host's address; the others follow
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { createServices } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import type { EventBus } from '../../src/main/rpc/event-bus'
import type { MethodName } from '../../src/shared/contract'
import { startDocker, seedImages, seedContainers, waitForSeededStates } from '../fleet/dockerd'
import { SEEDED_CONTAINERS } from '../fleet/docker-seed'
import { isPortFree } from '../fleet/net'
import { startDroplets } from '../fleet/sshd'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { memoryKeychain } from '../ssh/support/ssh-env'
import { addDockerHost, writeFakeSystemctl } from '../systemd/fake-systemctl'

const HOSTS = Number(process.env.BENCH_HOSTS ?? 20)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10)
const MACHINE_RC = process.env.BENCH_MACHINE_RC === '1'
/** The first droplet's address; the others follow it (BENCH_SSHD_ADDRESS=127.0.47.100 keeps a bench off another run's range). */
const BASE_ADDRESS = process.env.BENCH_SSHD_ADDRESS ?? '127.0.42.2'
const PICK = ['apache2', 'cron', 'tuned', 'e2i-api', 'nginx']
const GOAL_MS = 150
const METHODS = ['containers.list', 'units.list', 'hosts.facts'] as const satisfies readonly MethodName[]

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]
}
const ms = (n: number) => `${n.toFixed(0).padStart(5)} ms`
/**
 * CPU time (ms) since `cpuMeter()` of Dropdeck (this process) and of the bench's whole process tree:
 * this process plus every sshd, shell, docker CLI and dockerd it started (each process's own time
 * plus its reaped children's, /proc/PID/stat fields 14-17). The machine's other load is left out,
 * so the figure says what a refresh costs even while other work shares the cores.
 */
const CLK_MS = 10 // USER_HZ is 100 on Linux
function treeTicks(root: number): number {
  const parent = new Map<number, number>()
  const ticks = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8')
    } catch {
      continue // ended meanwhile
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ') // f[0] is field 3 (state)
    parent.set(Number(name), Number(f[1]))
    ticks.set(Number(name), Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]))
  }
  let sum = 0
  for (const [pid, t] of ticks) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        sum += t
        break
      }
    }
  }
  return sum
}
function cpuMeter(): () => { main: number; tree: number } {
  const main0 = process.cpuUsage()
  const t0 = treeTicks(process.pid)
  return () => {
    const d = process.cpuUsage(main0)
    return { main: (d.user + d.system) / 1000, tree: (treeTicks(process.pid) - t0) * CLK_MS }
  }
}
const cpuLine = (label: string, cpu: { main: number; tree: number }, rounds: number) =>
  console.log(`${label.padEnd(26)} CPU per round: Dropdeck ${ms(cpu.main / rounds)}   Dropdeck + hosts + dockerd ${ms(cpu.tree / rounds)}`)
const line = (label: string, xs: number[]) => console.log(`${label.padEnd(26)} median ${ms(quantile(xs, 0.5))}   p95 ${ms(quantile(xs, 0.95))}   max ${ms(Math.max(...xs))}`)

async function freeOffset(): Promise<number> {
  for (let offset = 42_000; offset < 60_000; offset += 1_000) {
    const free = await Promise.all(SEEDED_CONTAINERS.map((c) => isPortFree('127.0.0.1', c.port + offset)))
    if (free.every(Boolean)) return offset
  }
  throw new Error('no free port range for the seeded containers')
}

async function main(): Promise<void> {
  const dir = mkdtempSync('/tmp/ddi-') // short: unix socket paths are limited
  let bus: EventBus | undefined
  const ctx = createCallContext('bench:inventory', () => bus!)
  const cleanup: Array<() => Promise<unknown>> = []
  try {
    const fake = writeFakeSystemctl(dir)
    const docker = await startDocker({ dir: path.join(dir, 'd') })
    cleanup.push(() => docker.stop())
    const names = Array.from({ length: HOSTS }, (_, i) => `inv-${String(i + 1).padStart(2, '0')}`)
    let env: Record<string, string>
    if (MACHINE_RC) {
      addDockerHost(fake, docker.env.DOCKER_HOST)
      env = { PATH: fake.path }
    } else {
      // sshd honours only the first SetEnv line, so HOME is the one variable; its .bashrc sets the rest
      const home = path.join(dir, 'home')
      mkdirSync(home)
      writeFileSync(path.join(home, '.bashrc'), `export PATH=${JSON.stringify(fake.path)}\nexport DOCKER_HOST=${JSON.stringify(docker.env.DOCKER_HOST)}\n`)
      env = { HOME: home }
    }
    const droplets = await startDroplets({ count: HOSTS, dir: path.join(dir, 'ssh'), names, baseAddress: BASE_ADDRESS, port: 'auto', env })
    cleanup.push(() => droplets.stop())
    await seedImages(docker)
    const seeded = await seedContainers(docker, { portOffset: await freeOffset() })
    await waitForSeededStates(docker, seeded, 60_000)
    const files = writeSshClientFiles(dir, droplets.droplets)
    const services = createServices({ dataDir: path.join(dir, 'data'), version: 'bench', keychain: memoryKeychain(), env: { DROPDECK_SSH_CONFIG: files.sshConfigPath }, log: () => undefined })
    bus = services.bus
    cleanup.push(() => services.dispose())

    // A failed call (a TIMEOUT on a saturated machine) is counted and printed, not fatal: the figures
    // of the rest still say something.
    const failures = new Map<string, number>()
    const call = async (method: MethodName, params: unknown): Promise<number> => {
      const t = performance.now()
      const r = await services.router.call(method, params, ctx)
      if (!r.ok) {
        const key = `${method}: ${r.error.code} ${r.error.message.replace(/inv-\d+/g, 'HOST')}`
        failures.set(key, (failures.get(key) ?? 0) + 1)
      }
      return performance.now() - t
    }
    const execFloor = async () => {
      const t = performance.now()
      await Promise.all(names.map((hostId) => services.ssh.exec(hostId, 'true')))
      return performance.now() - t
    }
    const refreshHost = async (hostId: string) => {
      const t = performance.now()
      const [containers, units, facts] = await Promise.all(METHODS.map((m) => call(m, { hostId })))
      return { total: performance.now() - t, containers, units, facts }
    }

    // Warm: connect every host, store its pick, and run one full refresh (dial-stdio command chosen).
    await Promise.all(names.map((hostId) => call('hosts.connect', { hostId })))
    await Promise.all(names.map((hostId) => call('units.pick', { hostId, units: PICK })))
    await Promise.all(names.map(refreshHost))
    if (failures.size) console.log(`warm-up: ${[...failures].map(([w, n]) => `${n}x ${w}`).join('; ')}`)
    failures.clear()

    const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
    const floors: number[] = []
    const floorCpu = cpuMeter()
    for (let round = 0; round < ROUNDS; round++) floors.push(await execFloor())
    const floorCpuUsed = floorCpu()

    const totals: number[] = []
    const perHost: number[] = []
    const perMethod: Record<(typeof METHODS)[number], number[]> = { 'containers.list': [], 'units.list': [], 'hosts.facts': [] }
    const allCpu = cpuMeter()
    for (let round = 0; round < ROUNDS; round++) {
      const t = performance.now()
      const results = await Promise.all(names.map(refreshHost))
      totals.push(performance.now() - t)
      for (const r of results) {
        perHost.push(r.total)
        perMethod['containers.list'].push(r.containers)
        perMethod['units.list'].push(r.units)
        perMethod['hosts.facts'].push(r.facts)
      }
    }
    const allCpuUsed = allCpu()

    console.log(`bench:inventory: ${HOSTS} hosts (sshd from ${BASE_ADDRESS}), ${ROUNDS} rounds, warm connections; ${SEEDED_CONTAINERS.length} containers and ${PICK.length} units per host; login rc: ${MACHINE_RC ? "this machine's root ~/.bashrc" : 'a clean droplet .bashrc'}; load average before: ${loadBefore}`)
    line(`floor: \`true\` on all ${HOSTS}`, floors)
    cpuLine('', floorCpuUsed, ROUNDS)
    line(`all ${HOSTS} hosts, per round`, totals)
    cpuLine('', allCpuUsed, ROUNDS)
    line('one host (all 3 calls)', perHost)
    for (const m of METHODS) line(`  ${m}`, perMethod[m])
    // Each method alone on all hosts at once: what each costs without the other two competing for CPU.
    for (const m of METHODS) {
      const alone: number[] = []
      const cpu = cpuMeter()
      for (let round = 0; round < ROUNDS; round++) {
        const t = performance.now()
        await Promise.all(names.map((hostId) => call(m, { hostId })))
        alone.push(performance.now() - t)
      }
      const used = cpu()
      line(`only ${m}, all ${HOSTS}`, alone)
      cpuLine('', used, ROUNDS)
    }
    for (const [what, n] of failures) console.log(`failed ${n}x: ${what}`)
    const median = quantile(totals, 0.5)
    const floor = quantile(floors, 0.5)
    console.log(`ratio to the floor (\`true\` on all ${HOSTS}, same connections): ${(median / floor).toFixed(1)}x (${median.toFixed(0)} vs ${floor.toFixed(0)} ms)`)
    console.log(`goal (issue 13): all ${HOSTS} under ${GOAL_MS} ms -> median ${median.toFixed(0)} ms (${median < GOAL_MS ? 'met' : `${(median / GOAL_MS).toFixed(1)}x over`})`)
  } finally {
    await ctx.dispose()
    for (const c of cleanup.reverse()) await c().catch((err: unknown) => console.error(err))
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
