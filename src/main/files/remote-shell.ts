/**
 * The few commands files.* runs on a host besides SFTP: `sha256sum`, and the `sudo -n` reads used when
 * SFTP (as the login user) is refused. As units do (src/main/systemd/systemctl-commands.ts), sudo never
 * prompts (`-n`) and gets the tool by absolute path, so a NOPASSWD rule naming /usr/bin/cat matches.
 */
import { DropdeckError } from '../../shared/errors'

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`
}

export function sudoTool(tool: string, args: string): string {
  return `sudo -n "$(command -v ${tool} || echo ${tool})" ${args}`
}

export interface ExecResult {
  stdout: string
  stderr: string
  code: number | null
}

export type Exec = (hostId: string, command: string, options?: { timeoutMs?: number }) => Promise<ExecResult>

const SUDO_PASSWORD = /sudo: (a )?password is required|sudo: a terminal is required|may not run sudo|is not allowed to execute|not in the sudoers/

/** Why a `sudo -n` fallback did not work, appended to the permission error. */
export function sudoRefusal(r: ExecResult): string {
  if (r.code === 127 || /sudo: (command )?not found/.test(r.stderr)) return 'sudo is not installed there'
  if (SUDO_PASSWORD.test(r.stderr)) return 'sudo -n was refused (no NOPASSWD rule allows it; Dropdeck never types a password)'
  return `sudo -n failed: ${firstLine(r.stderr || r.stdout)}`
}

export function isSudoRefusal(r: ExecResult): boolean {
  return r.code !== 0 && (r.code === 127 || SUDO_PASSWORD.test(r.stderr) || /sudo: (command )?not found/.test(r.stderr))
}

export function firstLine(s: string): string {
  return s.trim().split('\n')[0]?.slice(0, 300) ?? ''
}

/** The file's sha256 as `sha256sum` prints it on the host (`sudo`: through `sudo -n`). */
export async function remoteSha256(exec: Exec, hostId: string, path: string, sudo = false): Promise<string> {
  const args = `-- ${shellQuote(path)}`
  const r = await exec(hostId, sudo ? sudoTool('sha256sum', args) : `sha256sum ${args}`, { timeoutMs: 600_000 })
  // A name with a line break or backslash makes sha256sum escape the line and start it with a backslash.
  const hash = /^\\?([0-9a-f]{64})\b/.exec(r.stdout)?.[1]
  if (r.code !== 0 || !hash) {
    throw new DropdeckError('UPSTREAM', `sha256sum ${path} failed on ${hostId} (${firstLine(r.stderr) || `exit ${r.code}`}); is coreutils' sha256sum installed there?`)
  }
  return hash
}
