/**
 * What the host-operations services (systemd units, host facts, logs) get from the app: the SSH
 * services (pool, hosts, exec), the Docker engine, the event bus and the settings.
 */
import type { DockerEngine } from '../docker/engine'
import type { EventBus } from '../rpc/event-bus'
import type { SettingsStore } from '../settings/settings-store'
import type { SshServices } from '../ssh/ssh-handlers'

export interface OpsDeps {
  dataDir: string
  ssh: SshServices
  engine: DockerEngine
  bus: EventBus
  settings: SettingsStore
  log: (line: string) => void
}
