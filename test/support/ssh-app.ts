/**
 * The app against one real sshd from the bench: a Secret Service, one droplet listed in an ssh_config
 * the host reads (DROPDECK_SSH_CONFIG), the headless host, and Chromium on its URL. With `docker`, a
 * real dockerd too, seeded with the bench's images and containers, which the droplet's sshd hands to
 * its sessions as DOCKER_HOST (so the app reaches Docker over SSH, as on a real droplet).
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { SEEDED_CONTAINERS } from '../fleet/docker-seed'
import { seedContainers, seedImages, startDocker, waitForSeededStates, type DockerDaemon } from '../fleet/dockerd'
import { isPortFree } from '../fleet/net'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { startDroplets, type Droplets } from '../fleet/sshd'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { launchChromium, openPage, type WatchedPage } from './browser'
import { runHost, type RunningHost } from './host-harness'

export interface SshAppOptions {
  /** The droplet's name (the host id the app shows); the bench's first name when absent. */
  name?: string
  /**
   * A seeded dockerd behind the droplet. `portsFrom`: the seeded containers' published ports are moved
   * by the first free offset from there (in steps of 1,000), so test files that run at once do not collide.
   */
  docker?: true | SshAppDocker
  /** More environment the droplet's sshd hands its sessions (beside DOCKER_HOST); a function gets the app's folder. */
  env?: Record<string, string> | ((dir: string) => Record<string, string>)
  /**
   * Log in as this existing user rather than the bench's: the folder and the bench's key files are made
   * readable to it (sshd refuses a key its user cannot read).
   */
  user?: string
}

export interface SshAppDocker {
  /** Where the seeded containers' published ports may start; 31,000 when absent. */
  portsFrom?: number
  /** 'images': the bench's images only, for a test that makes its own containers in `prepare`. */
  seed?: 'images'
  /** Runs once the daemon is up and seeded, before the droplet's sshd starts: a test's own containers or images. */
  prepare?: (daemon: DockerDaemon, dir: string) => Promise<void>
}

export interface SshApp {
  droplets: Droplets
  running: RunningHost
  view: WatchedPage
  /** A folder removed on stop: for files a test wants on this machine (a bind mount's source). */
  dir: string
  /** With `docker`: the daemon, and how far its seeded containers' published ports were moved. */
  docker?: { daemon: DockerDaemon; portOffset: number }
  /** For a second page (another theme, a second window). */
  browser: Browser
  stop(): Promise<void>
}

const SEED_SETTLE_MS = 45_000

async function freePortOffset(from: number): Promise<number> {
  for (let offset = from; offset < from + 9_000; offset += 1_000) {
    const free = await Promise.all(SEEDED_CONTAINERS.map((c) => isPortFree('127.0.0.1', c.port + offset)))
    if (free.every(Boolean)) return offset
  }
  throw new Error(`no free port range for the seeded containers from offset ${from}`)
}

/** `baseAddress` keeps test files that run at once on different loopback addresses. */
export async function startSshApp(baseAddress: string, options: SshAppOptions = {}): Promise<SshApp> {
  // Short with Docker: its socket path must fit in a unix socket address (108 bytes).
  const dir = await mkdtemp(options.docker ? '/tmp/ddsa-' : join(tmpdir(), 'dropdeck-e2e-ssh-'))
  let daemon: DockerDaemon | undefined
  let keyring: SecretService | undefined
  let droplets: Droplets | undefined
  let running: RunningHost | undefined
  let browser: Browser | undefined
  const stop = async () => {
    await browser?.close()
    await running?.stop()
    await droplets?.stop()
    await keyring?.stop()
    await daemon?.stop()
    delete process.env.DROPDECK_SSH_CONFIG
    await rm(dir, { recursive: true, force: true })
  }
  try {
    let docker: SshApp['docker']
    if (options.user) await chmod(dir, 0o755)
    if (options.docker) {
      const want: SshAppDocker = options.docker === true ? {} : options.docker
      daemon = await startDocker({ dir: join(dir, 'd') })
      await seedImages(daemon)
      let portOffset = 0
      if (want.seed !== 'images') {
        portOffset = await freePortOffset(want.portsFrom ?? 31_000)
        const seeded = await seedContainers(daemon, { portOffset })
        await waitForSeededStates(daemon, seeded, SEED_SETTLE_MS)
      }
      await want.prepare?.(daemon, dir)
      docker = { daemon, portOffset }
    }
    keyring = await startSecretService()
    Object.assign(process.env, keyring.env)
    droplets = await startDroplets({
      count: 1,
      dir: join(dir, 'ssh'),
      baseAddress,
      port: 'auto',
      ...(options.name ? { names: [options.name] } : {}),
      ...(options.user ? { user: options.user } : {}),
      env: { ...(daemon ? { DOCKER_HOST: daemon.env.DOCKER_HOST } : {}), ...(typeof options.env === 'function' ? options.env(dir) : options.env) }
    })
    if (options.user) {
      await chmod(join(dir, 'ssh'), 0o755)
      await chmod(join(dir, 'ssh', 'authorized_keys'), 0o644)
    }
    process.env.DROPDECK_SSH_CONFIG = writeSshClientFiles(dir, droplets.droplets).sshConfigPath
    running = await runHost()
    browser = await launchChromium()
    const view = await openPage(browser, running.host.url)
    // Keys pressed before the app is up would go nowhere.
    await view.page.getByText('Connected', { exact: true }).waitFor()
    return { droplets, running, view, dir, browser, ...(docker ? { docker } : {}), stop }
  } catch (err) {
    await stop()
    throw err
  }
}
