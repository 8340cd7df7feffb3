/**
 * The deploy tests' bench: a private dockerd seeded with the bench's dropdeck/web versions, behind one real
 * sshd droplet whose sessions get DOCKER_HOST and DROPDECK_STATE_DIR, and the app's services pointed at
 * it through an ssh_config. Plus the pieces every deploy test writes the same way: the health check the
 * bench image answers, a Compose file for a `web` service using it, and the host's lock folders.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { createServices, type Services } from '../../../src/main/app/services'
import { startDocker, seedImages, type DockerDaemon } from '../../fleet/dockerd'
import { startDroplets, type Droplets } from '../../fleet/sshd'
import { writeSshClientFiles } from '../../fleet/ssh-client-files'
import { descendants, run } from '../../fleet/proc'
import { memoryKeychain } from '../../ssh/support/ssh-env'
import type { DeployEntry } from '../../../src/shared/contract/deploys'

/** The Engine API health check for a dropdeck/web container listening on $PORT. */
export const HEALTHCHECK = { Test: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:$PORT/health || exit 1'], Interval: 500e6, Timeout: 2e9, Retries: 2, StartPeriod: 0 }

export interface DeployBench {
  dir: string
  /** The droplet's DROPDECK_STATE_DIR: locks, history, Compose overrides. */
  stateDir: string
  docker: DockerDaemon
  droplets: Droplets
  sshConfigPath: string
  /** Stops the droplet then the daemon; the test removes `dir` (it may hold more of its own). */
  stop(): Promise<void>
}

/** `dir`: the test's own folder (made first, it may hold a registry too); `dataRootSizeMb`: a small Docker disk. */
export async function startDeployBench(o: { dir: string; host: string; baseAddress: string; dataRootSizeMb?: number }): Promise<DeployBench> {
  const stateDir = path.join(o.dir, 'state')
  const docker = await startDocker({ dir: path.join(o.dir, 'd'), ...(o.dataRootSizeMb ? { dataRootSizeMb: o.dataRootSizeMb } : {}) })
  let droplets: Droplets | undefined
  try {
    droplets = await startDroplets({ count: 1, dir: path.join(o.dir, 'ssh'), names: [o.host], port: 'auto', baseAddress: o.baseAddress, env: { DOCKER_HOST: docker.env.DOCKER_HOST, DROPDECK_STATE_DIR: stateDir } })
    const files = writeSshClientFiles(o.dir, droplets.droplets)
    await seedImages(docker)
    const started = droplets
    return {
      dir: o.dir,
      stateDir,
      docker,
      droplets,
      sshConfigPath: files.sshConfigPath,
      stop: async () => {
        await started.stop()
        await docker.stop()
      }
    }
  } catch (err) {
    await droplets?.stop()
    await docker.stop()
    throw err
  }
}

/** The app's services against the bench, with the test's deploy tuning (pauses, clock, timeouts) and more environment (provider stubs). */
export function deployServices(bench: DeployBench, deploysTuning: NonNullable<Parameters<typeof createServices>[0]['deploysTuning']>, env: Record<string, string> = {}): Services {
  return createServices({
    dataDir: path.join(bench.dir, 'data'),
    version: '0.0.0-test',
    keychain: memoryKeychain(),
    env: { DROPDECK_SSH_CONFIG: bench.sshConfigPath, ...env },
    log: () => undefined,
    deploysTuning
  })
}

/** The lock folders on the host (empty when none is held). */
export async function lockDirs(stateDir: string): Promise<string[]> {
  const locks = path.join(stateDir, 'locks')
  return existsSync(locks) ? (await run('ls', ['-A', locks])).split('\n').filter(Boolean) : []
}

/** A docker-compose.yml with one health-checked `web` service; `extra` lines go after network_mode. */
export function webComposeFile(o: { image: string; network: 'host' | 'none'; port: number; extra?: string[] }): string {
  return [
    'version: "3.8"',
    'services:',
    '  web:',
    `    image: ${o.image}`,
    `    network_mode: ${o.network}`,
    ...(o.extra ?? []),
    `    environment: [PORT=${o.port}]`,
    '    healthcheck:',
    '      test: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:$$PORT/health || exit 1"]',
    '      interval: 500ms',
    '      timeout: 2s',
    '      retries: 2',
    ''
  ].join('\n')
}

/** The host's deploy history (history.jsonl in the state folder), oldest first. */
export function readHistory(stateDir: string): DeployEntry[] {
  return readFileSync(path.join(stateDir, 'history.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as DeployEntry)
}

/** Every SSH session of the droplet (the app's pooled connection and its docker channels) dies now. */
export function cutSessions(droplets: Droplets): void {
  for (const pid of descendants(droplets.droplets[0].pid)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      /* gone already */
    }
  }
}
