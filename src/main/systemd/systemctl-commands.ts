/**
 * The exact commands Dropdeck runs on a host for systemd, and what their failures mean. Unit names
 * are validated by the contract and single-quoted here anyway, so nothing reaches the shell unquoted.
 */
import type { UnitAction } from '../../shared/contract/units'
import { DropdeckError } from '../../shared/errors'
import { SHOW_PROPERTIES } from './systemctl-show'
import { LIST_SEPARATOR } from './systemctl-list'

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`
}

/**
 * Read-only, so no sudo. TZ=UTC makes systemd print timestamps in UTC; LC_ALL=C keeps weekday names
 * English. `--` so that no unit name is ever read as an option.
 */
export function showCommand(units: readonly string[]): string {
  return `TZ=UTC LC_ALL=C systemctl show --no-pager --property=${SHOW_PROPERTIES.join(',')} -- ${units.map(shellQuote).join(' ')}`
}

/**
 * The host's service units in one exec, read-only: the loaded ones (with --all, inactive and failed
 * too), then the installed unit files, which also name units systemd has not loaded. `&&`: where
 * systemd is not running list-units fails (list-unit-files would still read the disk), and that
 * failure is what the operator must hear.
 */
export function listCommand(): string {
  const env = 'LC_ALL=C SYSTEMD_COLORS=0'
  return `${env} systemctl list-units --type=service --all --no-legend --plain --no-pager && echo ${LIST_SEPARATOR} && ${env} systemctl list-unit-files --type=service --no-legend --no-pager`
}

/**
 * `sudo -n`: never prompt (there is no terminal to answer), fail instead. systemctl is resolved with
 * the login PATH and handed to sudo by absolute path, the same file sudo's secure_path finds on a
 * droplet; a sudoers rule naming /usr/bin/systemctl or /bin/systemctl matches it either way. The
 * arguments are exactly `ACTION UNIT`, so a rule such as `NOPASSWD: /usr/bin/systemctl restart nginx`
 * matches (sudoers compares arguments literally); no `--` is needed, as unit names never start with `-`.
 */
export function actionCommand(action: UnitAction, unit: string): string {
  return `sudo -n "$(command -v systemctl || echo systemctl)" ${action} ${shellQuote(unit)}`
}

export interface ExecResult {
  stdout: string
  stderr: string
  code: number | null
}

const NO_SYSTEMD = /not been booted with systemd|Failed to connect to bus|System has not been booted/i

/** Turns a failed `systemctl show` (or list-units, `what`) into an error the operator can act on. */
export function showFailure(hostId: string, r: ExecResult, what = 'systemctl show'): DropdeckError {
  const said = firstLines(r.stderr || r.stdout)
  if (r.code === 127 || /systemctl: (command )?not found/.test(r.stderr)) {
    return new DropdeckError('UPSTREAM', `${hostId} has no systemctl: this host does not run systemd, so it has no units to show.`)
  }
  if (NO_SYSTEMD.test(r.stderr)) {
    return new DropdeckError('UPSTREAM', `systemd is not running on ${hostId} (${said}); units can only be read on a host booted with systemd.`)
  }
  return new DropdeckError('UPSTREAM', `${what} failed on ${hostId} (exit ${r.code ?? 'signal'}): ${said}`, { retryable: true })
}

/** Turns a failed `sudo -n systemctl ACTION UNIT` into an error that says what to do. */
export function actionFailure(hostId: string, user: string, action: UnitAction, unit: string, r: ExecResult): DropdeckError {
  const err = r.stderr
  const said = firstLines(err || r.stdout)
  if (/sudo: (a )?password is required|sudo: a terminal is required/.test(err)) {
    return new DropdeckError(
      'UNAUTHORIZED',
      `sudo on ${hostId} wants a password for ${user}, and Dropdeck never types one. Allow it without a password (a sudoers rule such as "${user} ALL=(root) NOPASSWD: /usr/bin/systemctl ${action} ${unit}"), or run it in a terminal.`,
      { data: { reason: 'sudo-password' } }
    )
  }
  if (/is not in the sudoers file|is not allowed to execute|may not run sudo/.test(err)) {
    return new DropdeckError('UNAUTHORIZED', `${user} may not run systemctl ${action} ${unit} through sudo on ${hostId} (${said}); ask for a sudoers rule.`, { data: { reason: 'sudo-denied' } })
  }
  if (r.code === 127 && /sudo/.test(err)) {
    return new DropdeckError('UPSTREAM', `sudo is not installed on ${hostId}; install it (apt-get install sudo) or log in as a user who may manage units.`)
  }
  if (/Unit \S+ not found|not loaded\.|No such file or directory/.test(err)) {
    return new DropdeckError('NOT_FOUND', `${hostId} has no unit ${unit}; check the name (systemctl list-units) or remove it from the picked units.`)
  }
  if (NO_SYSTEMD.test(err)) {
    return new DropdeckError('UPSTREAM', `systemd is not running on ${hostId} (${said}); units can only be managed on a host booted with systemd.`)
  }
  return new DropdeckError('UPSTREAM', `systemctl ${action} ${unit} failed on ${hostId}: ${said} See why with: journalctl -u ${unit} -n 50`, { retryable: true })
}

function firstLines(s: string): string {
  const text = s.trim().split('\n').slice(0, 3).join(' ').slice(0, 400)
  return text || 'no output'
}
