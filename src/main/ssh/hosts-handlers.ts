/** hosts.*: the hosts (settings: ./hosts-service.ts) with their pooled connection (./connection-pool.ts), host-key trust and keys. */
import os from 'node:os'
import path from 'node:path'
import type { hostsMethods } from '../../shared/contract/ssh'
import { DropdeckError } from '../../shared/errors'
import type { HandlersFor } from '../rpc/router'
import type { KeyAuth } from './auth'
import type { ConnectionPool } from './connection-pool'
import type { HostsService } from './hosts-service'
import { hostView } from './host-view'
import { AppKnownHosts, copyTrustedKeys, knownHostsName } from './known-hosts'

export interface HostsHandlersDeps {
  dataDir: string
  hosts: HostsService
  pool: ConnectionPool
  auth: KeyAuth
  /** What runs on a host besides its connection: its tunnels stop, pause and resume with it. */
  tunnels: { stopHost(hostId: string): Promise<void>; pauseHost(hostId: string): Promise<void>; resumeHost(hostId: string): Promise<void> }
}

export function createHostsHandlers({ dataDir, hosts, pool, auth, tunnels }: HostsHandlersDeps): HandlersFor<typeof hostsMethods> {
  return {
    'hosts.list': async () => (await hosts.configs()).map((h) => hostView(h, pool)),
    'hosts.add': async (input) => hostView(await hosts.add(input), pool),
    'hosts.remove': async ({ hostId }) => {
      await hosts.remove(hostId)
      await tunnels.stopHost(hostId)
      await pool.disconnect(hostId)
      return { removed: true as const }
    },
    'hosts.connect': async ({ hostId }) => {
      const h = await hosts.get(hostId)
      await pool.connect(hostId, h) // the settings just read: ~/.ssh/config is read once per connect
      await tunnels.resumeHost(hostId) // the tunnels a disconnect stopped listen again
      return hostView(h, pool)
    },
    'hosts.disconnect': async ({ hostId }) => {
      const h = await hosts.get(hostId)
      // Stopped, not removed: they stay listed and start again with the next hosts.connect.
      await tunnels.pauseHost(hostId)
      await pool.disconnect(hostId)
      return hostView(h, pool)
    },
    'hosts.trustKey': async ({ hostId, fingerprint }) => {
      await pool.trustKey(hostId, fingerprint)
      return { trusted: true as const }
    },
    'hosts.copyKeyToKnownHosts': async ({ hostId }) => {
      const h = await hosts.resolve(hostId)
      // The name exactly as the connection looked it up, into the first file `ssh` itself reads.
      const file = h.knownHostsFiles[0] ?? path.join(os.homedir(), '.ssh', 'known_hosts')
      return copyTrustedKeys(new AppKnownHosts(dataDir).file, knownHostsName(h.hostKeyAlias ?? h.hostname, h.port), file)
    },
    'hosts.unlockKey': async ({ hostId, passphrase, remember }) => {
      const h = await hosts.resolve(hostId)
      // The first identity file that still needs a passphrase (what AUTH_FAILED's data.needsPassphrase named).
      const keyPath = (await auth.plan(h)).locked[0]
      if (!keyPath) throw new DropdeckError('NOT_FOUND', `${hostId} has no locked passphrase-protected key to unlock.`)
      await auth.unlock(keyPath, passphrase, remember ?? false)
      return { unlocked: true as const, keyPath }
    },
    'hosts.setPassword': async ({ hostId, password, remember }) => {
      await auth.setPassword(await hosts.resolve(hostId), password, remember ?? false)
      return { saved: true as const, remembered: remember ?? false }
    }
  }
}
