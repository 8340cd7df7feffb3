/**
 * Runs a following command (`tail -F`, `journalctl -f`) on its own exec channel of the host's pooled
 * SSH connection. Such commands never end by themselves, and sshd neither signals them when the
 * channel closes nor always honours a "signal" request (it refuses without privilege separation), so
 * the command runs under a watchdog: a reader of the channel's stdin that terminates the command once
 * stdin closes, which happens when we close the channel and when the connection drops. The outcome
 * says whether the command ended by itself (exit status) or the channel dropped (no exit status, or
 * killed by a signal).
 */
import type { Client, ClientChannel } from 'ssh2'
import { DropdeckError } from '../../shared/errors'
import { posixCommand } from '../ssh/remote-command'

export interface ExecFollowResult {
  /** null: the channel closed without an exit status (connection lost) or the command was killed. */
  code: number | null
  signal?: string
  stderrTail: string
}

/** `command` in the background, terminated when the channel's stdin closes; exits with its status. */
export function withWatchdog(command: string): string {
  return `exec 3<&0; ${command} <&- & p=$!; { cat >/dev/null; kill $p; } <&3 >/dev/null 2>&1 & wait $p`
}

export async function openExec(client: Client, hostId: string, command: string): Promise<ClientChannel> {
  return new Promise<ClientChannel>((resolve, reject) =>
    client.exec(posixCommand(command), (err, ch) =>
      err ? reject(new DropdeckError('UPSTREAM', `${hostId} refused to open a channel for logs: ${err.message}. The host may limit sessions per connection (MaxSessions).`, { retryable: true })) : resolve(ch)
    )
  )
}

/** Feeds stdout and stderr to the callbacks until the channel closes or `signal` aborts. */
export function followChannel(
  channel: ClientChannel,
  signal: AbortSignal,
  onStdout: (chunk: Buffer) => void,
  onStderr: (chunk: Buffer) => void
): Promise<ExecFollowResult> {
  return new Promise((resolve) => {
    let code: number | null = null
    let killedBy: string | undefined
    let stderrTail = ''
    channel.on('data', onStdout)
    channel.stderr.on('data', (c: Buffer) => {
      stderrTail = (stderrTail + c.toString('utf8')).slice(-2000)
      onStderr(c)
    })
    channel.on('exit', (c: number | null, sig?: string) => {
      code = typeof c === 'number' ? c : null
      killedBy = sig ?? undefined
    })
    channel.on('error', () => undefined) // 'close' follows and says what happened
    let settled = false
    const finish = (result: ExecFollowResult) => {
      if (settled) return
      settled = true
      signal.removeEventListener('abort', stop)
      resolve(result)
    }
    function stop() {
      channel.resume() // a channel paused for backpressure still has to see its close
      channel.end() // EOF on stdin: the watchdog terminates the command
      channel.close()
      // A server that never confirms the close must not hold the caller: give up on the channel.
      setTimeout(() => {
        if (settled) return
        channel.destroy()
        finish({ code: null, stderrTail })
      }, 3000).unref()
    }
    if (signal.aborted) stop()
    else signal.addEventListener('abort', stop, { once: true })
    channel.once('close', () => {
      // 128+n: the command was killed by signal n on the host (the shell reports it so)
      const killed = killedBy !== undefined || (code !== null && code > 128)
      finish({ code: killed ? null : code, ...(killedBy ? { signal: killedBy } : {}), stderrTail })
    })
  })
}
