/**
 * Remote commands under a login shell that is not POSIX (security review #16): sshd runs every command
 * through the user's `$SHELL -c`, and fish reads `\'` inside single quotes as an escape, so sh quoting
 * breaks out there. A real non-root user whose login shell is fish, a real sshd: Dropdeck's POSIX
 * scripts run as sh scripts, and hostile file paths stay inert, for one-shot commands and followed logs.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileSource } from '../../src/main/logs/exec-source'
import { shellQuote } from '../../src/main/logs/log-source'
import type { LogLine } from '../../src/shared/contract/logs'
import { findExecutable } from '../fleet/proc'
import { startDroplets, SSHD_PATH, type Droplets } from '../fleet/sshd'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { testUser } from '../fleet/test-user'
import { createSshEnv, type SshEnv } from './support/ssh-env'

const FISH = '/usr/bin/fish'
const user = testUser('ddfish', { shell: FISH })
const ready = Boolean(process.getuid?.() === 0 && existsSync(FISH) && findExecutable('useradd') && existsSync(SSHD_PATH))
if (!ready) console.warn('[login-shell] skipping: needs root, fish (scripts/install-system.sh), useradd and sshd')

describe.skipIf(!ready)('remote commands for a user whose login shell is fish', () => {
  let dir: string
  let files: string
  let droplets: Droplets
  let env: SshEnv
  const HOST = 'fish-droplet'
  // Each would create the marker if its quoting broke out under fish.
  const hostileNames = ["it\\'s; touch MARKER #", "a'b; touch MARKER", 'x$(touch MARKER)', 'q"; touch MARKER; "']
  const marker = () => path.join(files, 'MARKER')

  beforeAll(async () => {
    user.create()
    dir = mkdtempSync('/tmp/ddfish-')
    chmodSync(dir, 0o755)
    files = path.join(dir, 'files')
    mkdirSync(files, { mode: 0o777 })
    chmodSync(files, 0o777) // the user's `touch` would land here
    for (const name of hostileNames) writeFileSync(path.join(files, name), `line of ${name}\n`, { mode: 0o644 })
    droplets = await startDroplets({ count: 1, dir: path.join(dir, 'ssh'), names: [HOST], port: 'auto', baseAddress: '127.0.143.20', user: user.name })
    user.shareAuthorizedKeys(path.join(dir, 'ssh'))
    env = createSshEnv(readFileSync(writeSshClientFiles(dir, droplets.droplets).sshConfigPath, 'utf8'))
  }, 60_000)

  afterAll(async () => {
    await env?.close()
    await droplets?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
    user.remove()
  })

  it('the user really logs in with fish, which does not read POSIX sh', () => {
    expect(execFileSync('getent', ['passwd', user.name], { encoding: 'utf8' }).trim().endsWith(`:${FISH}`)).toBe(true)
    // Inside single quotes sh keeps a backslash as it is; fish reads \' as a quote character, so the quote goes on.
    expect(execFileSync(FISH, ['-c', "echo 'a\\'b'"], { encoding: 'utf8' })).toBe("a'b\n")
  })

  it('runs POSIX scripts as sh scripts, keeping their exit status and stderr', async () => {
    const r = await env.ssh.exec(HOST, 'for i in 1 2 3; do printf "%s" "$i"; done; echo " $(id -un)"; echo oops >&2; exit 3')
    expect(r).toEqual({ stdout: `123 ${user.name}\n`, stderr: 'oops\n', code: 3 })
  })

  it('sends one-shot scripts over stdin whole: a command reading stdin gets EOF, not the rest of the script', async () => {
    // The script travels as `sh -s`'s input (no subshell, no base64 on the host). sh reads its input in blocks
    // and runs each command as soon as it is parsed: unwrapped, cat would swallow the 20 KB after it and `after`.
    const r = await env.ssh.exec(HOST, `n=$(cat | wc -c)\necho "read $n bytes"\n# ${'x'.repeat(20_000)}\necho after`)
    expect(r).toEqual({ stdout: 'read 0 bytes\nafter\n', stderr: '', code: 0 })
    expect(await env.ssh.exec(HOST, '# only a comment')).toEqual({ stdout: '', stderr: '', code: 0 })
  })

  it('keeps hostile quoted paths inert in one-shot commands', async () => {
    for (const name of hostileNames) {
      const r = await env.ssh.exec(HOST, `cat -- ${shellQuote(path.join(files, name))}`)
      expect(r, name).toMatchObject({ stdout: `line of ${name}\n`, code: 0 })
    }
    expect(existsSync(marker())).toBe(false)
  })

  it('follows a file whose path is hostile (logs: the watchdog and the sh -c script), with no marker made', async () => {
    for (const name of hostileNames) {
      const lines: LogLine[] = []
      const abort = new AbortController()
      const source = new FileSource({ hostId: HOST, acquire: () => env.ssh.pool.acquire(HOST) }, path.join(files, name), 10)
      const run = source.run({ line: (l) => void lines.push(l), following: () => undefined, flow: () => undefined }, abort.signal, false)
      const deadline = Date.now() + 10_000
      while (!lines.some((l) => l.text === `line of ${name}`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      abort.abort()
      await run.catch((err: Error) => lines.push({ ts: 0, stream: 'stderr', text: `run failed: ${err.message}` }))
      expect(lines.map((l) => l.text), name).toContain(`line of ${name}`)
    }
    expect(existsSync(marker())).toBe(false)
  })
})
