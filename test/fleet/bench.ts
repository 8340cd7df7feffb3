// The whole bench in one call: sshd droplets, a seeded dockerd, and the provider stubs, wired
// together (the stubs report the droplets at their loopback addresses, DNS records follow them,
// and SSH sessions see DOCKER_HOST), plus the client files and environment to point Dropdeck at
// it. The CLI (`npm run fleet:up`) is a thin shell around this; end-to-end tests can call it too.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { startDroplets, type Droplets } from './sshd'
import { startDocker, findDockerd, seedImages, seedContainers, waitForSeededStates, type DockerDaemon } from './dockerd'
import type { SeededContainer } from './docker-seed'
import { startDigitalOceanStub, startCloudflareStub, type DigitalOceanStub, type CloudflareStub } from './provider-stubs'
import { writeSshClientFiles } from './ssh-client-files'
import { fleetDroplets, withPublicIps } from './fleet-model'
import { secretServiceAvailable, startSecretService, type SecretService } from './secret-service'

export interface BenchOptions {
  stateDir: string
  /** sshd droplets (default 3). */
  droplets?: number
  sshPort?: number | 'auto'
  baseAddress?: string
  /** Droplets the DigitalOcean stub lists (default: the seed fleet); the first ones are the sshd ones. */
  fleetSize?: number
  doPort?: number
  cfPort?: number
  /** false skips dockerd; default: start it when the binary is there. */
  docker?: boolean
  /** Added to the seeded containers' real ports (default 10000: mlflow on 15000). */
  portOffset?: number
  healthIntervalMs?: number
  log?: (line: string) => void
  /** Aborting during startup stops whatever has started and rejects (Ctrl-C while starting). */
  signal?: AbortSignal
}

export interface Bench {
  droplets: Droplets
  docker?: DockerDaemon
  containers: SeededContainer[]
  digitalocean: DigitalOceanStub
  cloudflare: CloudflareStub
  /** The keychain the host should use: a private Secret Service (absent without gnome-keyring). */
  keyring?: SecretService
  sshConfigPath: string
  knownHostsPath: string
  /** What to export for the headless host (also written to <stateDir>/env). */
  env: Record<string, string>
  /** Every server process the bench started, for a later `down` that finds us dead. */
  processes(): { kind: string; pid: number; exe: string }[]
  stop(): Promise<void>
}

export async function startBench(opts: BenchOptions): Promise<Bench> {
  const stateDir = path.resolve(opts.stateDir)
  const log = opts.log ?? (() => undefined)
  mkdirSync(stateDir, { recursive: true })
  const stops: (() => Promise<void>)[] = []
  const stopAll = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch((e: Error) => log(`stop failed: ${e.message}`))
  }
  const checkpoint = () => {
    if (opts.signal?.aborted) throw new Error('bench startup aborted')
  }

  try {
    const dockerd = opts.docker === false ? undefined : findDockerd()
    if (opts.docker !== false && !dockerd) log('dockerd not found: starting without Docker')
    const dockerDir = path.join(stateDir, 'docker')
    const dockerHost = `unix://${path.join(dockerDir, 'docker.sock')}`

    log('starting sshd droplets' + (dockerd ? ' and dockerd' : ''))
    const [droplets, docker] = await Promise.all([
      startDroplets({ count: opts.droplets ?? 3, dir: path.join(stateDir, 'ssh'), port: opts.sshPort ?? 2222, baseAddress: opts.baseAddress, env: dockerd ? { DOCKER_HOST: dockerHost } : undefined }).then((d) => {
        stops.push(d.stop)
        return d
      }),
      dockerd
        ? startDocker({ dir: dockerDir }).then((d) => {
            stops.push(() => d.stop())
            return d
          })
        : Promise.resolve(undefined),
    ])

    checkpoint()
    let containers: SeededContainer[] = []
    if (docker) {
      log('building images and containers')
      await seedImages(docker)
      containers = await seedContainers(docker, { portOffset: opts.portOffset, healthIntervalMs: opts.healthIntervalMs })
    }
    checkpoint()

    // the API reports the sshd droplets at their loopback addresses, so Dropdeck connects to them
    const model = withPublicIps(fleetDroplets(opts.fleetSize), Object.fromEntries(droplets.droplets.map((d) => [d.name, d.host])))
    const digitalocean = await startDigitalOceanStub({ droplets: model, port: opts.doPort ?? 0 })
    stops.push(digitalocean.stop)
    const cloudflare = await startCloudflareStub({ droplets: model, port: opts.cfPort ?? 0 })
    stops.push(cloudflare.stop)

    let keyring: SecretService | undefined
    if (secretServiceAvailable()) {
      log('starting a Secret Service on a private D-Bus')
      keyring = await startSecretService({ dir: path.join(stateDir, 'keyring') })
      stops.push(keyring.stop)
    } else {
      log('gnome-keyring or dbus-daemon not found: starting without a Secret Service')
    }

    const { sshConfigPath, knownHostsPath } = writeSshClientFiles(stateDir, droplets.droplets)
    const env: Record<string, string> = {
      DROPDECK_DO_API: digitalocean.url,
      DROPDECK_CF_API: cloudflare.url,
      DROPDECK_SSH_CONFIG: sshConfigPath,
      ...(docker ? { DOCKER_HOST: docker.env.DOCKER_HOST } : {}),
      ...(keyring ? keyring.env : {}),
      DROPDECK_FLEET_DO_TOKEN: digitalocean.token,
      DROPDECK_FLEET_CF_TOKEN: cloudflare.token,
    }
    writeFileSync(path.join(stateDir, 'env'), Object.entries(env).map(([k, v]) => `export ${k}=${v}\n`).join(''))

    if (docker && containers.length) {
      log('waiting for container health checks to settle')
      await waitForSeededStates(docker, containers, 30_000, opts.signal).catch((e: Error) => log(`containers did not settle: ${e.message}`))
    }
    checkpoint()

    return {
      droplets,
      docker,
      containers,
      digitalocean,
      cloudflare,
      keyring,
      sshConfigPath,
      knownHostsPath,
      env,
      processes: () => [
        ...droplets.droplets.map((d) => ({ kind: `sshd ${d.name}`, pid: d.pid, exe: '/usr/sbin/sshd' })),
        ...(docker && dockerd ? [{ kind: 'dockerd', pid: docker.pid, exe: dockerd }] : []),
        ...(keyring ? keyring.pids().map((pid, i) => ({ kind: i === 0 ? 'dbus-daemon' : 'gnome-keyring-daemon', pid, exe: i === 0 ? '/usr/bin/dbus-daemon' : '/usr/bin/gnome-keyring-daemon' })) : []),
      ],
      stop: stopAll,
    }
  } catch (e) {
    await stopAll()
    throw e
  }
}
