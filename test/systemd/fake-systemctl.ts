// A stand-in `systemctl` for the bench's sshd hosts (systemd does not run on the build machines): it
// prints the real captures in ./fixtures for the units it knows, a captured not-found block for any
// other unit, only the properties asked for (as systemctl does), and records every call: its
// arguments, its uid, and what sudo said about it (SUDO_USER, SUDO_COMMAND), so a test can check the
// exact command Dropdeck ran, including that it went through `sudo -n`.
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

export const FIXTURES_DIR = path.join(import.meta.dirname, 'fixtures')
/** Units the fake knows; anything else is not-found. */
export const FAKE_UNITS = ['apache2', 'cron', 'tuned'] as const

export interface SystemctlCall {
  argv: string[]
  uid: number
  sudoUser: string
  sudoCommand: string
}

export interface FakeSystemctl {
  binDir: string
  /** PATH for the host's sessions: the fake first, then the usual system directories. */
  path: string
  calls(): SystemctlCall[]
}

const SCRIPT = readFileSync(path.join(import.meta.dirname, 'fake-systemctl.sh'), 'utf8')

export function writeFakeSystemctl(dir: string): FakeSystemctl {
  const binDir = path.join(dir, 'fake-bin')
  mkdirSync(binDir, { recursive: true, mode: 0o755 })
  const fixtures = copyFixtures(path.join(dir, 'systemctl-fixtures'))
  const log = path.join(dir, 'systemctl-calls.log')
  writeFileSync(log, '', { mode: 0o666 })
  chmodSync(log, 0o666) // a non-root login user records calls too
  const file = path.join(binDir, 'systemctl')
  writeFileSync(file, SCRIPT.replace('log_file = @LOG@', `log_file = ${JSON.stringify(log)}`).replace('fixtures = @FIXTURES@', `fixtures = ${JSON.stringify(fixtures)}`), { mode: 0o755 })
  return {
    binDir,
    path: `${binDir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    calls: () => parseCalls(existsSync(log) ? readFileSync(log, 'utf8') : '')
  }
}

/**
 * The captures, copied next to the stand-in: a non-root login user runs it, and the checkout may sit
 * in a folder only its owner can enter (a 0700 home or `mktemp -d`).
 */
function copyFixtures(to: string): string {
  cpSync(FIXTURES_DIR, to, { recursive: true })
  chmodSync(to, 0o755)
  for (const name of readdirSync(to)) chmodSync(path.join(to, name), 0o644)
  return to
}

function parseCalls(text: string): SystemctlCall[] {
  const calls: SystemctlCall[] = []
  let cur: SystemctlCall | undefined
  for (const line of text.split('\n')) {
    const head = /^CALL uid=(\d+) sudo_user=(.*?) sudo_command=(.*)$/.exec(line)
    if (head) {
      cur = { argv: [], uid: Number(head[1]), sudoUser: head[2], sudoCommand: head[3] }
      calls.push(cur)
    } else if (line.startsWith('ARG ') && cur) cur.argv.push(line.slice(4))
  }
  return calls
}

/**
 * Points the host's `docker` at a bench dockerd from the same PATH directory. Needed because
 * startDroplets writes one sshd `SetEnv` line per variable and sshd honours only the first SetEnv,
 * so `{ PATH, DOCKER_HOST }` loses DOCKER_HOST. The real docker CLI runs; only its DOCKER_HOST is set here.
 */
export function addDockerHost(fake: FakeSystemctl, dockerHost: string, dockerCli = '/usr/local/bin/docker'): void {
  writeFileSync(path.join(fake.binDir, 'docker'), `#!/bin/sh\nDOCKER_HOST=${JSON.stringify(dockerHost)} exec ${JSON.stringify(dockerCli)} "$@"\n`, { mode: 0o755 })
}
