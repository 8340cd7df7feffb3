/**
 * A real corporate proxy for tests: Debian's squid, started with a config of its own in a temp dir.
 * Basic authentication through squid's own `basic_ncsa_auth` helper and an htpasswd file made here
 * (apr1 hashes from `openssl passwd`), no cache directory, no pid file (so instances never clash), and
 * an access log the tests read to count what the proxy was asked (every CONNECT, and its answer).
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, canConnect } from '../fleet/net'
import { run, spawnDaemon, stopDaemon, tailLog, waitFor, type Daemon } from '../fleet/proc'

export const SQUID_PATH = '/usr/sbin/squid'
export const BASIC_NCSA_AUTH_PATH = '/usr/lib/squid/basic_ncsa_auth'
export const NTLM_FAKE_AUTH_PATH = '/usr/lib/squid/ntlm_fake_auth'

export interface SquidOptions {
  /** The loopback address to listen on (one of your own, e.g. 127.0.150.1). */
  address: string
  /** Users allowed through with Basic auth; none means no authentication. */
  users?: Record<string, string>
  /**
   * Sign-in squid asks for: Basic against `users` (default), or NTLM only (squid's ntlm_fake_auth), as a
   * Windows-domain proxy does, for the answer Dropdeck cannot give.
   */
  scheme?: 'basic' | 'ntlm'
  /** Host names squid refuses to CONNECT to (403), by dstdomain. */
  forbiddenDomains?: string[]
}

export interface AccessLogEntry {
  method: string
  /** host:port for CONNECT, the URL otherwise. */
  target: string
  /** squid's result code and status, e.g. TCP_DENIED/407, TCP_TUNNEL/200. */
  result: string
  status: number
  user: string
}

export interface Squid {
  address: string
  port: number
  /** http://address:port, no credentials. */
  url: string
  urlWith(username: string, password: string): string
  /** What squid logged so far (it writes each line when a transaction ends). */
  accessLog(): Promise<AccessLogEntry[]>
  /** The CONNECTs squid logged to host:port. */
  connectsTo(target: string): Promise<AccessLogEntry[]>
  stop(): Promise<void>
}

export async function startSquid(options: SquidOptions): Promise<Squid> {
  const dir = await mkdtemp(join(tmpdir(), 'dropdeck-squid-'))
  // squid drops to its effective user (proxy) when started as root: let it write its logs here.
  await chmod(dir, 0o777)
  const port = await freePort(options.address)
  const file = (name: string) => join(dir, name)
  const users = Object.entries(options.users ?? {})
  const ntlm = options.scheme === 'ntlm'
  if (users.length) {
    const lines = await Promise.all(users.map(async ([user, password]) => `${user}:${(await run('openssl', ['passwd', '-apr1', password])).trim()}`))
    await writeFile(file('htpasswd'), lines.join('\n') + '\n', { mode: 0o644 })
  }
  const config = [
    `http_port ${options.address}:${port}`,
    'pid_filename none',
    // No disk cache, nothing kept in memory: this squid only forwards.
    'cache deny all',
    'cache_mem 8 MB',
    `access_log stdio:${file('access.log')} squid`,
    `cache_log ${file('cache.log')}`,
    'cache_store_log none',
    `coredump_dir ${dir}`,
    'logfile_rotate 0',
    'shutdown_lifetime 0 seconds',
    'dns_v4_first on',
    ...(ntlm ? [`auth_param ntlm program ${NTLM_FAKE_AUTH_PATH}`, 'auth_param ntlm children 1 startup=1', 'acl authenticated proxy_auth REQUIRED'] : []),
    ...(users.length && !ntlm
      ? [
          `auth_param basic program ${BASIC_NCSA_AUTH_PATH} ${file('htpasswd')}`,
          'auth_param basic children 2 startup=1',
          'auth_param basic realm Dropdeck test proxy',
          'acl authenticated proxy_auth REQUIRED'
        ]
      : []),
    ...(options.forbiddenDomains?.length ? [`acl forbidden dstdomain ${options.forbiddenDomains.join(' ')}`, 'http_access deny forbidden'] : []),
    // Authentication before anything else, as corporate proxies do; then every port, loopback included.
    ...(users.length || ntlm ? ['http_access deny !authenticated'] : []),
    'http_access allow all',
    ''
  ].join('\n')
  await writeFile(file('squid.conf'), config)

  const daemon: Daemon = spawnDaemon(SQUID_PATH, ['-N', '-f', file('squid.conf'), '-n', `dropdeck${port}`], file('stderr.log'))
  try {
    await waitFor(() => canConnect(options.address, port, 500), {
      timeoutMs: 20_000,
      what: `squid on ${options.address}:${port}`,
      abort: () => (daemon.hasExited() ? `squid exited:\n${tailLog(file('stderr.log'))}\n${tailLog(file('cache.log'))}` : undefined)
    })
  } catch (err) {
    await stopDaemon(daemon)
    await rm(dir, { recursive: true, force: true })
    throw err
  }

  const accessLog = async (): Promise<AccessLogEntry[]> => {
    const text = await readFile(file('access.log'), 'utf8').catch(() => '')
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        // time elapsed client result/status bytes method target user hierarchy type
        const f = line.trim().split(/\s+/)
        return { result: f[3], status: Number(f[3]?.split('/')[1]), method: f[5], target: f[6], user: f[7] }
      })
  }
  return {
    address: options.address,
    port,
    url: `http://${options.address}:${port}`,
    urlWith: (username, password) => `http://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${options.address}:${port}`,
    accessLog,
    connectsTo: async (target) => (await accessLog()).filter((e) => e.method === 'CONNECT' && e.target === target),
    async stop() {
      await stopDaemon(daemon)
      await rm(dir, { recursive: true, force: true })
    }
  }
}
