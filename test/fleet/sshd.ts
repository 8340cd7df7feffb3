// "Droplets" for tests: real OpenSSH sshd instances on loopback addresses (127.0.0.2, 127.0.0.3,
// ...; the whole 127/8 is loopback on Linux), each with its own ed25519 host key, all accepting
// one ed25519 test key. Real sshd rather than an ssh2 server, so that host-key checks, forwarding,
// exec and sftp behave exactly as they do against a droplet.
import { mkdirSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import os from 'node:os'
import path from 'node:path'
import { spawnDaemon, stopDaemon, tailLog, run, waitFor, descendants, terminatePids, type Daemon } from './proc'
import { canConnect, freePort, isPortFree, nthAddress } from './net'
import { SSH_DROPLET_NAMES } from './fleet-model'

export const SSHD_PATH = '/usr/sbin/sshd'

export interface StartDropletsOptions {
  count: number
  /** Holds keys, configs, pid files and logs. Created if missing; keys in it are reused. */
  dir: string
  /** Droplet names; defaults to the seed fleet's names, then droplet-N. */
  names?: string[]
  /** First address; the n-th droplet gets baseAddress + n. Default 127.0.0.2. */
  baseAddress?: string
  /**
   * Port every droplet listens on (default 2222; 22 usually collides with the machine's own sshd,
   * which listens on 0.0.0.0). 'auto' picks a free port per droplet, so test files can run at once.
   */
  port?: number | 'auto'
  /** Environment for sessions (sshd_config SetEnv), e.g. DOCKER_HOST for `docker ps` over SSH. */
  env?: Record<string, string>
  /** Login user; defaults to whoever runs the tests (root here, the runner user elsewhere). */
  user?: string
  /**
   * Also accept passwords (keys are always accepted): 'password' (PasswordAuthentication, checked by
   * sshd against /etc/shadow) or 'keyboard-interactive' (KbdInteractiveAuthentication through PAM,
   * the password prompt most distributions' sshd asks with). Default: keys only.
   */
  passwordLogins?: 'password' | 'keyboard-interactive'
  /** Host keys besides the ed25519 one (a droplet built from an older image has an RSA key too). */
  extraHostKeys?: ExtraHostKeyType[]
  startTimeoutMs?: number
}

export type ExtraHostKeyType = 'rsa' | 'ecdsa'

export interface DropletServer {
  name: string
  host: string
  port: number
  user: string
  /** As OpenSSH prints it: `SHA256:` + unpadded base64. */
  hostKeyFingerprintSha256: string
  /** `ssh-ed25519 AAAA...`, for known_hosts. */
  hostPublicKey: string
  /** The extraHostKeys asked for, each as `ssh-rsa AAAA...` / `ecdsa-sha2-nistp256 AAAA...`. */
  extraHostPublicKeys: Partial<Record<ExtraHostKeyType, string>>
  privateKeyPath: string
  pid: number
  logPath: string
}

export interface Droplets {
  droplets: DropletServer[]
  /** The client key every droplet accepts. */
  privateKeyPath: string
  publicKeyPath: string
  stop(): Promise<void>
}

/** SHA256 fingerprint of an OpenSSH public key line or a raw key blob. */
export function fingerprintSha256(key: string | Buffer): string {
  const blob = typeof key === 'string' ? Buffer.from(key.trim().split(/\s+/)[1], 'base64') : key
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')
}

async function ensureKey(keyPath: string, comment: string, type: 'ed25519' | ExtraHostKeyType = 'ed25519'): Promise<string> {
  if (!existsSync(keyPath)) await run('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '3072'] : []), '-N', '', '-C', comment, '-f', keyPath])
  return readFileSync(`${keyPath}.pub`, 'utf8').trim()
}

function sshdConfig(o: { host: string; port: number; hostKeys: string[]; pidFile: string; authorizedKeys: string; env?: Record<string, string>; passwordLogins?: StartDropletsOptions['passwordLogins'] }): string {
  const lines = [
    `ListenAddress ${o.host}:${o.port}`,
    ...o.hostKeys.map((k) => `HostKey ${k}`),
    `PidFile ${o.pidFile}`,
    `AuthorizedKeysFile ${o.authorizedKeys}`,
    'PermitRootLogin prohibit-password',
    // the bench's files live in world-readable temp dirs; StrictModes would refuse them
    'StrictModes no',
    `UsePAM ${o.passwordLogins === 'keyboard-interactive' ? 'yes' : 'no'}`,
    'PubkeyAuthentication yes',
    `PasswordAuthentication ${o.passwordLogins === 'password' ? 'yes' : 'no'}`,
    `KbdInteractiveAuthentication ${o.passwordLogins === 'keyboard-interactive' ? 'yes' : 'no'}`,
    'AllowTcpForwarding yes',
    'AllowStreamLocalForwarding yes',
    'X11Forwarding no',
    'PrintMotd no',
    'PrintLastLog no',
    // tunnels, terminals, exec and docker share one pooled connection: allow many channels
    'MaxSessions 64',
    'MaxStartups 64',
    'Subsystem sftp internal-sftp',
    'LogLevel VERBOSE',
  ]
  // sshd honours only the first SetEnv line it reads: every variable goes on that one line.
  const setEnv = Object.entries(o.env ?? {}).map(([k, v]) => (/[\s"']/.test(v) ? JSON.stringify(`${k}=${v}`) : `${k}=${v}`))
  if (setEnv.length) lines.push(`SetEnv ${setEnv.join(' ')}`)
  return lines.join('\n') + '\n'
}

export async function startDroplets(opts: StartDropletsOptions): Promise<Droplets> {
  const dir = path.resolve(opts.dir)
  mkdirSync(dir, { recursive: true })
  // sshd refuses to start without its privilege-separation directory
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 })
  const user = opts.user ?? os.userInfo().username
  const names = Array.from({ length: opts.count }, (_, i) => opts.names?.[i] ?? SSH_DROPLET_NAMES[i] ?? `droplet-${i + 1}`)

  const privateKeyPath = path.join(dir, 'id_ed25519')
  const clientPub = await ensureKey(privateKeyPath, 'dropdeck-fleet-test')
  const authorizedKeys = path.join(dir, 'authorized_keys')
  writeFileSync(authorizedKeys, clientPub + '\n', { mode: 0o600 })

  const started: { server: DropletServer; daemon: Daemon }[] = []
  const stop = async () => {
    await Promise.all(
      started.map(async ({ daemon }) => {
        // per-connection sshd children setsid() away from the listener: end them by parentage
        const kids = descendants(daemon.pid)
        await stopDaemon(daemon)
        await terminatePids(kids)
      }),
    )
    started.length = 0
  }

  try {
    await Promise.all(
      names.map(async (name, i) => {
        const host = nthAddress(opts.baseAddress ?? '127.0.0.2', i)
        const port = opts.port === 'auto' ? await freePort(host) : opts.port ?? 2222
        // fail with a clear reason instead of connecting to whatever already listens there
        if (!(await isPortFree(host, port))) throw new Error(`droplet ${name}: ${host}:${port} is already in use (another bench? pick another port, or port: 'auto' in tests)`)
        const ddir = path.join(dir, name)
        mkdirSync(ddir, { recursive: true })
        const hostKey = path.join(ddir, 'ssh_host_ed25519_key')
        const hostPublicKey = (await ensureKey(hostKey, `root@${name}`)).split(/\s+/).slice(0, 2).join(' ')
        const extraHostPublicKeys: DropletServer['extraHostPublicKeys'] = {}
        const hostKeys = [hostKey]
        for (const type of opts.extraHostKeys ?? []) {
          const keyPath = path.join(ddir, `ssh_host_${type}_key`)
          extraHostPublicKeys[type] = (await ensureKey(keyPath, `root@${name}`, type)).split(/\s+/).slice(0, 2).join(' ')
          hostKeys.push(keyPath)
        }
        const configPath = path.join(ddir, 'sshd_config')
        writeFileSync(configPath, sshdConfig({ host, port, hostKeys, pidFile: path.join(ddir, 'sshd.pid'), authorizedKeys, env: opts.env, passwordLogins: opts.passwordLogins }))
        const logPath = path.join(ddir, 'sshd.log')
        // -D: stay in the foreground so we own the process; -e: log to stderr (our log file)
        const daemon = spawnDaemon(SSHD_PATH, ['-D', '-e', '-f', configPath], logPath)
        const server: DropletServer = { name, host, port, user, hostKeyFingerprintSha256: fingerprintSha256(hostPublicKey), hostPublicKey, extraHostPublicKeys, privateKeyPath, pid: daemon.pid, logPath }
        started.push({ server, daemon })
        await waitFor(() => canConnect(host, port, 500), {
          timeoutMs: opts.startTimeoutMs ?? 10_000,
          intervalMs: 50,
          what: `sshd for ${name} on ${host}:${port}`,
          abort: () => (daemon.hasExited() ? `sshd exited:\n${tailLog(logPath)}` : undefined),
        })
      }),
    )
  } catch (e) {
    await stop()
    throw e
  }

  const byName = new Map(started.map(({ server }) => [server.name, server]))
  return { droplets: names.map((n) => byName.get(n)!), privateKeyPath, publicKeyPath: `${privateKeyPath}.pub`, stop }
}
