/**
 * ExecBatch against a real `sh` on this machine (the same POSIX sh a host runs the commands with):
 * commands asked for one host in the same tick run as one exec, and each gets exactly its own
 * stdout, stderr and exit status back, whatever they print.
 */
import { execFile } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { ExecBatch, type ExecResult } from '../../src/main/ssh/exec-batch'

function shExec(): { ssh: { exec: (hostId: string, command: string) => Promise<ExecResult> }; runs: string[] } {
  const runs: string[] = []
  const exec = (_hostId: string, command: string) =>
    new Promise<ExecResult>((resolve) => {
      runs.push(command)
      execFile('sh', ['-c', command], (err, stdout, stderr) => resolve({ stdout, stderr, code: err ? ((err as { code?: number }).code ?? null) : 0 }))
    })
  return { ssh: { exec }, runs }
}

describe('ExecBatch (real sh)', () => {
  it('runs what one host is asked in the same tick as one exec; each command gets its own output and status', async () => {
    const { ssh, runs } = shExec()
    const batch = new ExecBatch(ssh)
    const [a, b, c, d] = await Promise.all([
      batch.run('h', 'echo one; echo two'),
      batch.run('h', "printf 'no newline'; echo oops >&2; false"),
      batch.run('h', 'printf "a\\n\\n"; (exit 3)'),
      // output that looks like a marker, but without this exec's nonce, is just output
      batch.run('h', "echo '@@dropdeck-0000000000000000:0:7'; echo '@@dropdeck-x:1:end' >&2")
    ])
    expect(runs).toHaveLength(1)
    expect(a).toEqual({ stdout: 'one\ntwo\n', stderr: '', code: 0 })
    expect(b).toEqual({ stdout: 'no newline', stderr: 'oops\n', code: 1 })
    expect(c).toEqual({ stdout: 'a\n\n', stderr: '', code: 3 })
    expect(d).toEqual({ stdout: '@@dropdeck-0000000000000000:0:7\n', stderr: '@@dropdeck-x:1:end\n', code: 0 })
  })

  it('runs a command asked alone exactly as given, and other hosts or later ticks in execs of their own', async () => {
    const { ssh, runs } = shExec()
    const batch = new ExecBatch(ssh)
    const [x, y] = await Promise.all([batch.run('h1', 'echo x'), batch.run('h2', 'echo y')])
    expect(runs).toEqual(['echo x', 'echo y'])
    expect([x.stdout, y.stdout]).toEqual(['x\n', 'y\n'])
    await batch.run('h1', 'echo later')
    expect(runs).toEqual(['echo x', 'echo y', 'echo later'])
  })

  it('fails every command of an exec that failed as a whole', async () => {
    const batch = new ExecBatch({ exec: async () => Promise.reject(new Error('connection lost')) })
    const results = await Promise.allSettled([batch.run('h', 'true'), batch.run('h', 'true')])
    expect(results.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual(['connection lost', 'connection lost'])
  })
})
