/** One command on an SSH connection, its output collected: what facts, units and the checks run. */
import type { Client } from 'ssh2'
import { DropdeckError } from '../../shared/errors'
import { posixStdinCommand } from './remote-command'

export interface ExecResult {
  stdout: string
  stderr: string
  code: number | null
}

export function execOn(client: Client, hostId: string, command: string, options: { timeoutMs?: number } = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    // These commands read no stdin: the script goes over it (see posixStdinCommand).
    const { command: line, input } = posixStdinCommand(command)
    client.exec(line, (err, stream) => {
      if (err) return reject(new DropdeckError('UPSTREAM', `${hostId} refused to run the command: ${err.message}.`, { retryable: true }))
      stream.end(input)
      const out: Buffer[] = []
      const errs: Buffer[] = []
      let code: number | null = null
      const timer = options.timeoutMs ? setTimeout(() => {
        stream.close()
        reject(new DropdeckError('TIMEOUT', `The command on ${hostId} did not finish within ${Math.round(options.timeoutMs! / 1000)} s.`, { retryable: true }))
      }, options.timeoutMs) : undefined
      stream.on('data', (c: Buffer) => out.push(c))
      stream.stderr.on('data', (c: Buffer) => errs.push(c))
      stream.on('exit', (c: number | null) => {
        code = c
      })
      stream.on('close', () => {
        clearTimeout(timer)
        resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errs).toString('utf8'), code })
      })
    })
  })
}
