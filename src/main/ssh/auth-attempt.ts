/**
 * One login: offers the plan's methods in order (agent, keys, then a password the operator gave),
 * skipping those the server no longer allows, and remembers what the server allows, so that a
 * failure can say "this host takes a password" instead of only "refused".
 *
 * A password answers `password` and also `keyboard-interactive` when the server asks for exactly
 * one hidden answer (what PAM's password prompt is). Other prompts (a one-time code, several
 * questions) are not answered with it: they are recorded for the error message.
 */
import type { AnyAuthMethod, AuthenticationType, AuthHandlerMiddleware, Prompt } from 'ssh2'

export type PasswordMethod = 'password' | 'keyboard-interactive'

export class AuthAttempt {
  /** The methods the server said it still accepts, after the first refusal (unknown before). */
  serverMethods: AuthenticationType[] = []
  /** A password was sent (as `password`, or as the answer to a password prompt). */
  passwordTried = false
  /** Prompts that a password cannot answer, as the server worded them. */
  unansweredPrompts: string[] = []
  private readonly queue: AnyAuthMethod[]
  private askedNone = false

  constructor(private readonly username: string, methods: AnyAuthMethod[], password?: string) {
    this.queue = [...methods]
    if (password !== undefined) {
      this.queue.push({ type: 'password', username, password })
      this.queue.push({
        type: 'keyboard-interactive',
        username,
        prompt: (_name, _instructions, _lang, prompts: Prompt[], finish) => {
          if (prompts.length === 0) return finish([]) // an informational round: nothing to answer
          if (prompts.length === 1 && prompts[0].echo !== true) {
            this.passwordTried = true
            return finish([password])
          }
          this.unansweredPrompts.push(...prompts.map((p) => p.prompt.trim()))
          finish(prompts.map(() => ''))
        }
      })
    }
  }

  /** Whether the server would take a password (either way) for this user. */
  get serverTakesPassword(): boolean {
    return this.serverMethods.includes('password') || this.serverMethods.includes('keyboard-interactive')
  }

  /** ssh2's authHandler: the next method the server still allows, or false when none is left. */
  readonly handler: AuthHandlerMiddleware = (methodsLeft, _partialSuccess, next) => {
    if (methodsLeft) this.serverMethods = methodsLeft
    const allowed = (m: AnyAuthMethod) => !methodsLeft || methodsLeft.includes(m.type === 'agent' ? 'publickey' : m.type)
    while (this.queue.length) {
      const method = this.queue.shift()!
      if (!allowed(method)) continue
      if (method.type === 'password') this.passwordTried = true
      return next(method)
    }
    // Nothing of ours to offer: `none` asks the server which methods it takes (as OpenSSH does first).
    if (!this.askedNone && !methodsLeft) {
      this.askedNone = true
      return next({ type: 'none', username: this.username })
    }
    next(false as unknown as AnyAuthMethod)
  }
}
