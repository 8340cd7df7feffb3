/**
 * One SSH connection, from the dialled stream to a ready ssh2 Client: host key checked against the
 * known_hosts files (the types on record asked for first, as OpenSSH does), authentication as the
 * plan says (./auth.ts), keepalives, and the cipher that is fastest here. A failure is mapped to what
 * the operator can do about it (./connect-errors.ts).
 */
import net from 'node:net'
import type { Duplex } from 'node:stream'
import ssh2, { type Client } from 'ssh2'
import ssh2Crypto from 'ssh2/lib/protocol/crypto.js'
import ssh2Constants from 'ssh2/lib/protocol/constants.js'
import type { KeyAuth } from './auth'
import { AuthAttempt } from './auth-attempt'
import { coalesceWrites } from './coalesced-writes'
import { mapConnectError, type ConnectAttempt, type PendingKey } from './connect-errors'
import type { HostConfig } from './host-config'
import type { HostError } from './host-state'
import { checkHostKey, keyTypesOnRecord, knownHostsName, loadKnownHosts, preferredHostKeyAlgorithms, type AppKnownHosts } from './known-hosts'

// ssh2 is CommonJS whose named exports Node's ESM loader cannot see.
const { Client: SshClient } = ssh2

/**
 * ssh2 encrypts with its native binding when it was built for this runtime's ABI, else with Node's
 * crypto at about 2.5x the CPU per byte (bench:tunnel: upload ~0.8x OpenSSH instead of >=1x). Logged
 * with every handshake so a slow tunnel can be traced to a missing `npm rebuild ssh2`.
 */
const CRYPTO_NOTE = ssh2Crypto.bindingAvailable ? 'ssh2 native crypto' : "ssh2 on Node's crypto (its binding is not built for this runtime: npm rebuild ssh2)"

export interface HandshakeTuning {
  /** Override ServerAliveInterval (ms) / CountMax for every host, for tests. */
  keepaliveIntervalMs?: number
  keepaliveCountMax?: number
  /**
   * Coalesce the transport's packet writes per tick (coalesced-writes.ts). Default: only where ssh2
   * runs on Node's crypto (three writes per packet); with its native binding (one write per packet)
   * bench:tunnel measured no gain. bench:tunnel sets it to compare.
   */
  coalesceWrites?: boolean
}

export interface HandshakeDeps {
  auth: KeyAuth
  appKnownHosts: AppKnownHosts
  log(line: string): void
  tuning?: HandshakeTuning
}

export interface HandshakeRequest {
  hostId: string
  host: HostConfig
  /** The routed stream (jump host, proxy); undefined dials host:port directly. */
  sock?: Duplex
  readyTimeout: number
  /** The host presented a key nobody trusted yet: kept for hosts.trustKey. */
  onPendingKey(key: PendingKey): void
  /** A ready connection ended, with why (keepalives unanswered, reset, closed by the server). */
  onClosed(client: Client, error: HostError): void
}

export async function handshake(deps: HandshakeDeps, r: HandshakeRequest): Promise<Client> {
  const { host } = r
  const entries = await loadKnownHosts([...host.knownHostsFiles, '/etc/ssh/ssh_known_hosts', deps.appKnownHosts.file])
  const name = knownHostsName(host.hostKeyAlias ?? host.hostname, host.port)
  // As OpenSSH: ask for the key types on record for this host first, so a host recorded only with its RSA
  // key is checked against that key instead of presenting an ed25519 key nobody has seen.
  const recordedTypes = keyTypesOnRecord(entries, name)
  const plan = await deps.auth.plan(host)
  const attempt: ConnectAttempt = { hostId: r.hostId, host, name, plan, attempt: new AuthAttempt(host.user, plan.methods, plan.password) }

  const client = new SshClient()
  // We dial direct connections ourselves (ssh2 would otherwise) so that every transport, direct,
  // proxied or through a jump host, can have its packet writes coalesced (see coalesced-writes.ts).
  const dialed = r.sock ?? net.connect({ host: host.hostname, port: host.port })
  const transport = (deps.tuning?.coalesceWrites ?? !ssh2Crypto.bindingAvailable) ? coalesceWrites(dialed) : dialed
  return new Promise<Client>((resolve, reject) => {
    let ready = false
    let lastError: HostError | undefined
    const fail = (err: Error & { level?: string; code?: string }) => {
      client.removeAllListeners('ready')
      client.on('error', () => undefined)
      client.end()
      transport.destroy()
      const { error, pendingKey } = mapConnectError(err, attempt)
      if (pendingKey) r.onPendingKey(pendingKey)
      reject(error)
    }
    client.once('handshake', (negotiated) => deps.log(`ssh: ${host.id}: ${negotiated.cs.cipher}, ${negotiated.kex}, ${negotiated.serverHostKey}, ${CRYPTO_NOTE}`))
    client.once('ready', () => {
      ready = true
      // Like OpenSSH for forwarded and interactive traffic: no Nagle delay on small writes.
      client.setNoDelay(true)
      resolve(client)
    })
    client.on('error', (err: Error & { level?: string }) => {
      if (!ready) return fail(err)
      lastError = err.level === 'client-timeout'
        ? { code: 'TIMEOUT', message: `${host.id} stopped answering keepalives; reconnecting.` }
        : { code: 'UPSTREAM', message: `The connection to ${host.id} failed: ${err.message}.` }
    })
    client.once('close', () => {
      if (!ready) return fail(Object.assign(new Error('Connection closed during the handshake'), { code: 'ECONNRESET' }))
      r.onClosed(client, lastError ?? { code: 'UPSTREAM', message: `${host.id} closed the connection; reconnecting.` })
    })
    const interval = deps.tuning?.keepaliveIntervalMs ?? host.serverAliveInterval * 1000
    try {
      client.connect({
        sock: transport,
        username: host.user,
        authHandler: attempt.attempt.handler,
        hostVerifier: (key: Buffer) => {
          attempt.presented = key
          attempt.verdict = checkHostKey(entries, name, key)
          return attempt.verdict.kind === 'known'
        },
        keepaliveInterval: interval,
        keepaliveCountMax: deps.tuning?.keepaliveCountMax ?? host.serverAliveCountMax,
        readyTimeout: r.readyTimeout,
        algorithms: {
          // AES-GCM runs in OpenSSL with AES-NI: the fastest cipher ssh2 has for tunnel throughput.
          cipher: { prepend: ['aes128-gcm@openssh.com', 'aes256-gcm@openssh.com'] } as never,
          ...(recordedTypes.length ? { serverHostKey: preferredHostKeyAlgorithms(recordedTypes, ssh2Constants.DEFAULT_SERVER_HOST_KEY) as never } : {})
        }
      })
    } catch (err) {
      fail(err as Error)
    }
  })
}

/** Ends a client politely, or destroys it when the server does not close within 2 s. */
export function endClient(client: Client): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.destroy()
      resolve()
    }, 2000)
    client.once('close', () => {
      clearTimeout(timer)
      resolve()
    })
    client.end()
  })
}
