/**
 * A remote shell: a `shell` channel with a PTY (xterm-256color) on the host's pooled SSH connection.
 * The pool connection is retained while the shell lives. A shell whose channel closes without an
 * exit status, or whose connection closes under it, ended because the connection was lost.
 */
import type { Client, ClientChannel } from 'ssh2'
import { DropdeckError } from '../../shared/errors'
import type { ConnectionPool } from '../ssh/connection-pool'
import type { ShellEnd, ShellSession } from './shell-session'

export async function openRemoteShell(
  pool: Pick<ConnectionPool, 'acquire' | 'retain'>,
  p: { hostId: string; cols: number; rows: number },
  log: (line: string) => void
): Promise<ShellSession> {
  const release = pool.retain(p.hostId)
  let client: Client
  let channel: ClientChannel
  try {
    client = await pool.acquire(p.hostId)
    channel = await new Promise<ClientChannel>((resolve, reject) => {
      client.shell({ term: 'xterm-256color', cols: p.cols, rows: p.rows }, (err, ch) => (err ? reject(err) : resolve(ch)))
    })
  } catch (err) {
    release()
    if (err instanceof DropdeckError) throw err
    throw new DropdeckError('UPSTREAM', `${p.hostId} refused to open a shell: ${(err as Error).message}. Check that the account may log in with a shell, then retry.`, { retryable: true })
  }

  const lostReason = `Connection to ${p.hostId} lost.`
  let exit: { code: number | null; signal?: string } | undefined
  let connectionLost = false
  let closing = false
  let ended = false
  const endListeners: Array<(end: ShellEnd) => void> = []
  const end = () => {
    if (ended) return
    ended = true
    client.removeListener('close', onClientClose)
    release()
    const lost = !closing && (connectionLost || !exit)
    const result: ShellEnd = { code: exit?.code ?? null, ...(exit?.signal ? { signal: exit.signal } : {}), ...(lost ? { lost: lostReason } : {}) }
    for (const listener of endListeners) listener(result)
  }
  const onClientClose = () => {
    connectionLost = true
    setImmediate(end)
  }
  client.once('close', onClientClose)
  channel.on('exit', (code: number | null, signal?: string) => {
    exit = { code: code ?? null, ...(signal ? { signal } : {}) }
  })
  channel.on('error', (err: Error) => log(`terminals: ${p.hostId}: ${err.message}`))
  // The client's own 'close' may come after its channels are torn down: decide on the next tick.
  channel.once('close', () => setImmediate(end))

  return {
    origin: p.hostId,
    onData(listener) {
      channel.on('data', listener)
      channel.stderr.on('data', listener)
    },
    onEnd(listener) {
      endListeners.push(listener)
    },
    write: (data) => void channel.write(data),
    resize: (cols, rows) => void channel.setWindow(rows, cols, 0, 0),
    pause: () => void channel.pause(),
    resume: () => void channel.resume(),
    close: () => {
      closing = true
      if (ended) return Promise.resolve()
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          channel.destroy()
          end()
          resolve()
        }, 2000)
        channel.once('close', () => {
          clearTimeout(timer)
          resolve()
        })
        channel.resume() // a paused channel still has to see its close
        channel.close()
      })
    }
  }
}
