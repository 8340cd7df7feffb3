/** A host as the contract shows it: its settings (the hosts service) with its connection state (the pool). */
import type { Host } from '../../shared/contract/ssh'
import type { HostConfig } from './host-config'
import type { ConnectionPool } from './connection-pool'

export function hostView(h: HostConfig, pool: Pick<ConnectionPool, 'state'>): Host {
  const { state, error, retry, inUse } = pool.state(h.id)
  return {
    id: h.id,
    name: h.name,
    hostname: h.hostname,
    port: h.port,
    user: h.user,
    source: h.source,
    identityFiles: h.identityFiles,
    ...(h.proxyJump ? { proxyJump: h.proxyJump } : {}),
    localForwards: h.localForwards,
    state,
    ...(error ? { error } : {}),
    ...(retry ? { retry } : {}),
    inUse
  }
}
