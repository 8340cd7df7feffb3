/**
 * The SSH fleet boot most SSH tests repeat: sshd droplets from the bench, their host keys in a
 * known_hosts file, one ssh_config Host block per droplet (the bench's key only), and the real SSH
 * services on it (./ssh-env.ts). `withSshFleet` does it in beforeAll and undoes it in afterAll.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { startDroplets, type Droplets, type DropletServer } from '../../fleet/sshd'
import { createSshEnv, hostBlock, type SshEnv } from './ssh-env'

export interface SshFleetOptions {
  /** One alias per droplet, in order: `Host <alias>` blocks. */
  aliases: string[]
  /** The first droplet's loopback address (each test file its own). */
  baseAddress: string
  /** What createSshEnv takes besides the config (tuning, a counting ssh_config reader...). */
  env?: Parameters<typeof createSshEnv>[1]
}

export interface SshFleet {
  fleet: Droplets
  /** The droplets, in alias order. */
  droplets: DropletServer[]
  dir: string
  env: SshEnv
}

export async function bootSshFleet(opts: SshFleetOptions): Promise<SshFleet & { close(): Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dd-ssh-fleet-'))
  const fleet = await startDroplets({ count: opts.aliases.length, dir: path.join(dir, 'fleet'), port: 'auto', baseAddress: opts.baseAddress })
  const knownHosts = path.join(dir, 'known_hosts')
  writeFileSync(knownHosts, fleet.droplets.map((d) => `[${d.host}]:${d.port} ${d.hostPublicKey}\n`).join(''))
  const extra = [`IdentityFile ${fleet.privateKeyPath}`, 'IdentitiesOnly yes', `UserKnownHostsFile ${knownHosts}`]
  const env = createSshEnv(opts.aliases.map((alias, i) => hostBlock(alias, fleet.droplets[i], extra)).join(''), opts.env)
  return {
    fleet,
    droplets: fleet.droplets,
    dir,
    env,
    async close() {
      await env.close()
      await fleet.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** The fleet for a describe block: booted before its tests, stopped after. Read its fields inside tests. */
export function withSshFleet(opts: SshFleetOptions): SshFleet {
  let booted: (SshFleet & { close(): Promise<void> }) | undefined
  beforeAll(async () => {
    booted = await bootSshFleet(opts)
  })
  afterAll(async () => {
    await booted?.close()
  })
  const get = () => {
    if (!booted) throw new Error('the SSH fleet is not up: read it inside a test or hook, after beforeAll')
    return booted
  }
  return {
    get fleet() {
      return get().fleet
    },
    get droplets() {
      return get().droplets
    },
    get dir() {
      return get().dir
    },
    get env() {
      return get().env
    }
  }
}
