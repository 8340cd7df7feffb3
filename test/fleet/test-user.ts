// A real non-root login user for tests that need one (root only): created with a home and a shell,
// able to log in with a key, optionally allowed one sudoers rule, and removed after.
import { execFileSync } from 'node:child_process'
import { chmodSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

export interface TestUser {
  /** The login name: `prefix` and this process's pid, so parallel runs do not collide. */
  readonly name: string
  /** Where allowSudo writes the user's rule. */
  readonly sudoersPath: string
  /** useradd with a home and `shell`, then a password of '*' so sshd (without PAM) takes keys. */
  create(): void
  /** Lets the user's sshd session read a droplet's authorized_keys (startDroplets' `dir`). */
  shareAuthorizedKeys(sshDir: string): void
  /** Writes `rules` (sudoers lines) to /etc/sudoers.d and checks them with visudo. */
  allowSudo(rules: string): void
  /** Removes the sudoers rule and the user with its home; quiet if either is already gone. */
  remove(): void
}

export function testUser(prefix: string, { shell = '/bin/sh' }: { shell?: string } = {}): TestUser {
  const name = `${prefix}${process.pid % 100_000}`
  const sudoersPath = `/etc/sudoers.d/dropdeck-test-${name}`
  return {
    name,
    sudoersPath,
    create() {
      execFileSync('useradd', ['--create-home', '--shell', shell, name])
      // useradd locks the password ('!'), and sshd without PAM refuses locked accounts even for keys.
      execFileSync('usermod', ['-p', '*', name])
    },
    shareAuthorizedKeys(sshDir) {
      // sshd reads authorized_keys as the login user
      chmodSync(sshDir, 0o755)
      chmodSync(path.join(sshDir, 'authorized_keys'), 0o644)
    },
    allowSudo(rules) {
      writeFileSync(sudoersPath, rules, { mode: 0o440 })
      execFileSync('visudo', ['-c', '-q', '-f', sudoersPath])
    },
    remove() {
      rmSync(sudoersPath, { force: true })
      try {
        execFileSync('userdel', ['--remove', name], { stdio: 'ignore' })
      } catch {
        /* already gone */
      }
    }
  }
}
