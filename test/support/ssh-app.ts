/**
 * The app against one real sshd from the bench: a Secret Service, one droplet listed in an ssh_config
 * the host reads (DROPDECK_SSH_CONFIG), the headless host, and Chromium on its URL. With `docker`, a
 * real dockerd too, seeded with the bench's images and containers, which the droplet's sshd hands to
 * its sessions as DOCKER_HOST (so the app reaches Docker over SSH, as on a real droplet).
 */
import { mkdtemp, rm } from 'node:fs/promises'
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
  docker?: true | { portsFrom: number }
}

export interface SshApp {
  droplets: Droplets
  running: RunningHost
  view: WatchedPage
  /** A folder removed on stop: for files a test wants on this machine (a bind mount's source). */
  dir: string
  /** With `docker`: the daemon, and how far its seeded containers' published ports were moved. */
  docker?: { daemon: DockerDaemon; portOffset: number }
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
    if (options.docker) {
      daemon = await startDocker({ dir: join(dir, 'd') })
      await seedImages(daemon)
      const portOffset = await freePortOffset(options.docker === true ? 31_000 : options.docker.portsFrom)
      const seeded = await seedContainers(daemon, { portOffset })
      await waitForSeededStates(daemon, seeded, SEED_SETTLE_MS)
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
      ...(daemon ? { env: { DOCKER_HOST: daemon.env.DOCKER_HOST } } : {})
    })
    process.env.DROPDECK_SSH_CONFIG = writeSshClientFiles(dir, droplets.droplets).sshConfigPath
    running = await runHost()
    browser = await launchChromium()
    const view = await openPage(browser, running.host.url)
    // Keys pressed before the app is up would go nowhere.
    await view.page.getByText('Connected', { exact: true }).waitFor()
    return { droplets, running, view, dir, ...(docker ? { docker } : {}), stop }
  } catch (err) {
    await stop()
    throw err
  }
}
