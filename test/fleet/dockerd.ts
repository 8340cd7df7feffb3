// A real, private dockerd for tests: its own socket, data root and exec root under `dir`,
// vfs storage (works on any filesystem, no overlay mounts), no iptables and no bridge (the
// containers use --network host), so it can run next to the machine's own Docker, if any.
import { mkdirSync, writeFileSync, rmSync, existsSync, readFileSync, readdirSync } from 'node:fs'
import { createHash } from 'node:crypto'
import path from 'node:path'
import { spawnDaemon, stopDaemon, tailLog, waitFor, findExecutable, isAlive, run, processesUsing, terminatePids, type Daemon } from './proc'
import { dockerRequest, listContainers } from './docker-api'

export { seedImages, seedContainers, waitForSeededStates, SEEDED_CONTAINERS } from './docker-seed'

export interface StartDockerOptions {
  /** Holds docker.sock, data/, exec/, the pid file and dockerd.log. */
  dir: string
  dockerdPath?: string
  startTimeoutMs?: number
  /** Extra dockerd flags, e.g. ['--exec-opt', 'native.cgroupdriver=cgroupfs']. */
  extraArgs?: string[]
  /**
   * Puts the data root on a tmpfs of this many MiB (needs root), so a test can fill Docker's disk
   * for real (a pull that ends in "no space left on device"); stop() unmounts it.
   */
  dataRootSizeMb?: number
}

export interface DockerDaemon {
  socketPath: string
  env: { DOCKER_HOST: string }
  pid: number
  dir: string
  dataRoot: string
  execRoot: string
  logPath: string
  /** Removes every container, stops dockerd, unmounts what it left and deletes data/ and exec/. */
  stop(opts?: { keepData?: boolean }): Promise<void>
}

export function findDockerd(): string | undefined {
  return findExecutable('dockerd')
}

// unix socket paths are limited to 108 bytes; containerd's lives deeper in exec-root
const MAX_SOCKET_PATH = 100

/** Mount points at or below dir, deepest first (vfs leaves none, but netns/shm mounts do occur). */
export function mountsUnder(dir: string): string[] {
  const prefix = path.resolve(dir) + '/'
  let info: string
  try {
    info = readFileSync('/proc/self/mountinfo', 'utf8')
  } catch {
    return []
  }
  return info
    .split('\n')
    .map((l) => l.split(' ')[4]?.replace(/\\040/g, ' '))
    .filter((m): m is string => !!m && (m + '/').startsWith(prefix))
    .sort((a, b) => b.length - a.length)
}

/**
 * Processes still running inside this daemon's containers (found by container id in
 * /proc/<pid>/cgroup). They outlive a killed containerd-shim, keep their ports bound, and, being
 * pid-namespace inits, ignore SIGTERM from outside: the last resort is SIGKILL.
 */
export function containerProcesses(dataRoot: string): number[] {
  let ids: string[]
  try {
    ids = readdirSync(path.join(dataRoot, 'containers')).filter((id) => /^[0-9a-f]{64}$/.test(id))
  } catch {
    return []
  }
  if (!ids.length) return []
  const out: number[] = []
  for (const e of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const cg = readFileSync(`/proc/${e}/cgroup`, 'utf8')
      if (ids.some((id) => cg.includes(id)) && isAlive(Number(e))) out.push(Number(e))
    } catch {
      /* gone */
    }
  }
  return out
}

export async function startDocker(opts: StartDockerOptions): Promise<DockerDaemon> {
  const dockerd = opts.dockerdPath ?? findDockerd()
  if (!dockerd) throw new Error('dockerd not found: install docker.io (Debian/Ubuntu)')
  const dir = path.resolve(opts.dir)
  const socketPath = path.join(dir, 'docker.sock')
  const dataRoot = path.join(dir, 'data')
  const execRoot = path.join(dir, 'exec')
  const pidFile = path.join(dir, 'docker.pid')
  const logPath = path.join(dir, 'dockerd.log')
  const containerdSock = path.join(execRoot, 'containerd', 'containerd.sock')
  if (containerdSock.length > MAX_SOCKET_PATH) throw new Error(`docker dir path too long for unix sockets (${containerdSock}); use a shorter dir`)
  mkdirSync(dataRoot, { recursive: true })
  mkdirSync(execRoot, { recursive: true })
  if (opts.dataRootSizeMb) {
    // a size-limited tmpfs: vfs storage works on it, and its limit is the disk Docker sees as full
    if (mountsUnder(dataRoot).includes(dataRoot)) await run('umount', [dataRoot])
    await run('mount', ['-t', 'tmpfs', '-o', `size=${Math.floor(opts.dataRootSizeMb)}m,mode=0711`, 'tmpfs', dataRoot])
  }
  // a pid file left by a crashed run makes dockerd refuse to start
  if (existsSync(pidFile) && !isAlive(Number(readFileSync(pidFile, 'utf8')))) rmSync(pidFile)
  rmSync(socketPath, { force: true })
  // our own (empty) config file: the host's /etc/docker/daemon.json may set conflicting options
  const configFile = path.join(dir, 'daemon.json')
  writeFileSync(configFile, '{}\n')
  // if a system containerd is running, dockerd uses it; a namespace of our own keeps our
  // containers apart from the machine's Docker
  const ns = `dropdeck-fleet-${createHash('sha256').update(dir).digest('hex').slice(0, 8)}`
  const args = [
    '--config-file', configFile,
    '--host', `unix://${socketPath}`,
    '--data-root', dataRoot,
    '--exec-root', execRoot,
    '--pidfile', pidFile,
    '--storage-driver=vfs',
    '--iptables=false',
    '--ip6tables=false',
    '--bridge=none',
    '--userland-proxy=false',
    '--containerd-namespace', ns,
    '--containerd-plugins-namespace', `${ns}-plugins`,
    '--shutdown-timeout=2',
    '--log-level=warn',
    ...(opts.extraArgs ?? []),
  ]
  const daemon: Daemon = spawnDaemon(dockerd, args, logPath)
  const stop = makeStop({ daemon, dir, dataRoot, execRoot, socketPath, pidFile })
  try {
    await waitFor(
      async () => {
        const res = await dockerRequest(socketPath, 'GET', '/_ping', { timeoutMs: 1000 })
        return res.status === 200 && res.text === 'OK'
      },
      {
        timeoutMs: opts.startTimeoutMs ?? 30_000,
        intervalMs: 100,
        what: `dockerd on ${socketPath}`,
        abort: () => (daemon.hasExited() ? `dockerd exited:\n${tailLog(logPath, 30)}` : undefined),
      },
    )
  } catch (e) {
    await stop()
    throw e
  }
  return { socketPath, env: { DOCKER_HOST: `unix://${socketPath}` }, pid: daemon.pid, dir, dataRoot, execRoot, logPath, stop }
}

function makeStop(s: { daemon: Daemon; dir: string; dataRoot: string; execRoot: string; socketPath: string; pidFile: string }) {
  let stopping: Promise<void> | undefined
  return (opts: { keepData?: boolean } = {}) =>
    (stopping ??= (async () => {
      if (!s.daemon.hasExited()) {
        // remove containers first so no containerd-shim outlives the daemon
        try {
          const all = await listContainers(s.socketPath)
          await Promise.all(all.map((c) => dockerRequest(s.socketPath, 'DELETE', `/containers/${c.Id}`, { query: { force: true, v: true }, timeoutMs: 15_000 })))
        } catch {
          /* daemon unresponsive: the signals below still apply */
        }
        await stopDaemon(s.daemon, 20_000)
      }
      // containerd and its shims re-parent themselves to init, so a parent/child search misses them
      await terminatePids(processesUsing(s.dir), 2000)
      await terminatePids(containerProcesses(s.dataRoot), 0)
      for (const m of mountsUnder(s.dir)) {
        await run('umount', [m]).catch(() => run('umount', ['-l', m]).catch(() => undefined))
      }
      rmSync(s.socketPath, { force: true })
      rmSync(s.pidFile, { force: true })
      if (!opts.keepData) {
        rmSync(s.dataRoot, { recursive: true, force: true, maxRetries: 3 })
        rmSync(s.execRoot, { recursive: true, force: true, maxRetries: 3 })
      }
    })())
}
