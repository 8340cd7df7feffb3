/**
 * AUTH_FAILED as the operator needs it: which secret to give next. A locked key asks for its
 * passphrase first (keys are what the operator configured); else, when the server takes passwords,
 * for the password (again, if the one given was refused); else what was tried.
 */
import { DropdeckError } from '../../shared/errors'
import type { AuthPlan } from './auth'
import type { AuthAttempt } from './auth-attempt'
import type { HostConfig } from './host-config'

export function authFailed(host: HostConfig, hostId: string, plan: AuthPlan, attempt: AuthAttempt): DropdeckError {
  const tried = plan.described.length ? plan.described.join(', ') : 'no key (none found and no ssh-agent)'
  const login = `${host.user}@${host.id}`
  const locked = plan.locked[0]
  if (locked) {
    return new DropdeckError('AUTH_FAILED', `${host.id} refused ${tried}; ${locked} needs its passphrase. Unlock it to connect.`, {
      data: { hostId, needsPassphrase: locked }
    })
  }
  if (attempt.unansweredPrompts.length) {
    return new DropdeckError('AUTH_FAILED', `${login} asks "${attempt.unansweredPrompts.join('", "')}", which Dropdeck cannot answer with a password. Log in with a key instead (ssh-copy-id), or connect once with ssh to see what the server wants.`, {
      data: { hostId, prompts: attempt.unansweredPrompts }
    })
  }
  if (attempt.serverTakesPassword) {
    return attempt.passwordTried
      ? new DropdeckError('AUTH_FAILED', `${login} refused the password${plan.described.length > 1 ? ` (and ${plan.described.filter((d) => d !== 'the password').join(', ')})` : ''}. Enter it again; the stored one is kept until you replace it.`, {
          data: { hostId, needsPassword: true, wrongPassword: true, user: host.user }
        })
      : new DropdeckError('AUTH_FAILED', `${login} refused ${tried} and takes a password. Enter the password for ${host.user} to connect.`, {
          data: { hostId, needsPassword: true, user: host.user }
        })
  }
  return new DropdeckError('AUTH_FAILED', `${login} refused the login; tried ${tried}.`, { data: { hostId } })
}
