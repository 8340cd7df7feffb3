/**
 * Which ssh-agent to ask, as OpenSSH and PuTTY users expect: `SSH_AUTH_SOCK` wherever it is set (on
 * Windows it may name a pipe, a Cygwin/Git-for-Windows socket file, or `pageant`); on Windows without
 * it, the Windows OpenSSH agent's pipe when its service is running, else Pageant. Elsewhere, no
 * SSH_AUTH_SOCK means no agent.
 *
 * The Windows paths are chosen here and unit-tested, but cannot run on the Linux bench: see the
 * "SSH methods" section of docs/api.md.
 */
import { existsSync } from 'node:fs'

export const WINDOWS_OPENSSH_AGENT_PIPE = '\\\\.\\pipe\\openssh-ssh-agent'

export type AgentChoice =
  /** A Unix socket, a Windows named pipe, or (on Windows) a Cygwin socket file: ssh2's createAgent tells them apart. */
  | { kind: 'socket'; path: string; label: string }
  | { kind: 'pageant'; label: string }

export interface AgentEnvironment {
  platform: NodeJS.Platform
  env: NodeJS.ProcessEnv
  /** Whether a path (a named pipe on Windows) exists. */
  exists?: (path: string) => boolean
}

export function chooseAgent({ platform, env, exists = existsSync }: AgentEnvironment): AgentChoice | undefined {
  const sock = env.SSH_AUTH_SOCK?.trim()
  if (sock) {
    if (platform === 'win32' && sock.toLowerCase() === 'pageant') return { kind: 'pageant', label: 'Pageant' }
    return { kind: 'socket', path: sock, label: 'the ssh-agent' }
  }
  if (platform !== 'win32') return undefined
  if (exists(WINDOWS_OPENSSH_AGENT_PIPE)) return { kind: 'socket', path: WINDOWS_OPENSSH_AGENT_PIPE, label: 'the Windows OpenSSH agent' }
  // Pageant has no file to look for (ssh2 reaches it through a window message); asking it costs one failed attempt if it is not running.
  return { kind: 'pageant', label: 'Pageant' }
}
