/**
 * Which config files have a validator, and the command that checks them on the host. The validator
 * runs after the new content is in place (nginx and systemd read includes and drop-ins from beside
 * it), and a failure puts the backup back.
 */
import { basename, dirname } from 'node:path'
import type { Validator } from '../../shared/contract/files'
import { shellQuote } from './remote-shell'

const COMPOSE_NAMES = /^(docker-)?compose(\.[\w-]+)*\.ya?ml$/
const UNIT_SUFFIX = /\.(service|socket|timer|path|mount|automount|target|slice|scope)$/

/**
 * nginx: anything under /etc/nginx, or a file in a folder tree that holds its own nginx.conf (found by
 * the caller: `nginxConf`). sshd: sshd_config and its drop-ins. Compose: compose.yaml and friends.
 * systemd: unit files.
 */
export function validatorFor(path: string, nginxConf: string | undefined): Validator | null {
  const name = basename(path)
  if (/^\/etc\/ssh\/sshd_config(\.d\/.*)?$/.test(path) || name === 'sshd_config') return 'sshd'
  if (path.startsWith('/etc/nginx/') || nginxConf) return 'nginx'
  if (COMPOSE_NAMES.test(name)) return 'compose'
  if (UNIT_SUFFIX.test(name)) return 'systemd'
  return null
}

/** Folders above `path` (nearest first, at most `depth`) where an nginx.conf would make it an nginx config. */
export function nginxConfCandidates(path: string, depth = 3): string[] {
  const out: string[] = []
  let dir = dirname(path)
  for (let i = 0; i < depth && dir !== '/'; i++) {
    out.push(`${dir}/nginx.conf`)
    dir = dirname(dir)
  }
  return out
}

/**
 * The check, run as the login user (with `sudo -n` first where the tool needs root to read
 * everything, falling back to the plain command). nginx outside /etc/nginx is checked against the
 * nginx.conf of its tree (`-c`), which sets the prefix its relative includes resolve against.
 */
export function validatorCommand(validator: Validator, path: string, nginxConf: string | undefined): string {
  const q = shellQuote(path)
  switch (validator) {
    case 'nginx': {
      const conf = nginxConf && !path.startsWith('/etc/nginx/') ? ` -c ${shellQuote(nginxConf)}` : ''
      return asRootIfAllowed('nginx', `-t -q${conf}`)
    }
    case 'sshd': {
      // -f: the edited file when it is a whole sshd_config; a drop-in is checked through the main one.
      const file = path.includes('sshd_config.d/') ? "'/etc/ssh/sshd_config'" : q
      return asRootIfAllowed('sshd', `-t -f ${file}`)
    }
    case 'compose':
      return `cd ${shellQuote(dirname(path))} && if docker compose version >/dev/null 2>&1; then docker compose -f ${q} config -q 2>&1; else docker-compose -f ${q} config -q 2>&1; fi`
    case 'systemd':
      return `systemd-analyze verify ${q} 2>&1`
  }
}

/**
 * `sudo -n -l CMD` says whether a NOPASSWD rule allows the command without running it: then it runs as
 * root (nginx and sshd read keys and certificates only root can); else as the login user.
 */
function asRootIfAllowed(tool: string, args: string): string {
  return `t="$(command -v ${tool} || echo /usr/sbin/${tool})"; if sudo -n -l "$t" ${args} >/dev/null 2>&1; then sudo -n "$t" ${args} 2>&1; else "$t" ${args} 2>&1; fi`
}

/** The unit to offer reloading once the validator passed. */
export function reloadFor(validator: Validator): string | undefined {
  return validator === 'nginx' ? 'nginx' : undefined
}
