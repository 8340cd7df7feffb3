/**
 * A shell inside a container (`docker exec -it`), as a ShellSession the terminals service adopts like
 * any other: POST /containers/{id}/exec with a TTY, then POST /exec/{id}/start hijacked over its own
 * dial-stdio channel on the host's pooled SSH connection. Flow control is the channel's: pausing it
 * stops ssh2 granting window, so docker (and the program writing) blocks.
 *
 * Docker does not end an exec when its client goes away (with a TTY the process keeps its terminal),
 * so closing a tab would leave the shell running in the container. Each exec is started with a
 * marker in its environment, which its children inherit; closing runs a second, short exec that
 * hangs up (SIGHUP, then SIGKILL what is left) every process carrying that marker.
 */
import { randomUUID } from 'node:crypto'
import { DropdeckError } from '../../shared/errors'
import type { ShellEnd, ShellSession } from '../terminals/shell-session'
import type { DockerEngine } from './engine'

/** bash where the image has it, else sh: what an operator expects from `docker exec -it … sh`. */
const SHELL = 'if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi'
const MARKER = 'DROPDECK_EXEC'

export interface ContainerShellParams {
  hostId: string
  /** The container's id or name. */
  container: string
  cols: number
  rows: number
}

interface ExecInspect {
  Running: boolean
  ExitCode: number | null
}

export async function openContainerShell(
  engine: Pick<DockerEngine, 'request' | 'upgrade'>,
  retain: (hostId: string) => () => void,
  p: ContainerShellParams,
  log: (line: string) => void
): Promise<ShellSession> {
  const { hostId } = p
  const release = retain(hostId)
  const marker = randomUUID()
  const containerPath = `/containers/${encodeURIComponent(p.container)}`
  let execId: string
  let attached: Awaited<ReturnType<DockerEngine['upgrade']>>
  try {
    const created = await engine.request(hostId, 'POST', `${containerPath}/exec`, {
      body: { AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: true, Env: [`${MARKER}=${marker}`, 'TERM=xterm-256color'], Cmd: ['/bin/sh', '-c', SHELL] }
    })
    execId = created.json<{ Id: string }>().Id
    attached = await engine.upgrade(hostId, `/exec/${execId}/start`, { Detach: false, Tty: true })
  } catch (err) {
    release()
    if (err instanceof DropdeckError && err.code === 'UPSTREAM' && /is not running/i.test(err.message)) {
      throw new DropdeckError('UPSTREAM', `${p.container} on ${hostId} is not running: start it first, then open its shell.`, { retryable: false })
    }
    throw err
  }
  const execPath = `/exec/${execId}`
  const resizeOnce = (cols: number, rows: number) => engine.request(hostId, 'POST', `${execPath}/resize?h=${rows}&w=${cols}`)
  const resize = (cols: number, rows: number) => void resizeOnce(cols, rows).catch((err: Error) => log(`containers: ${hostId}: resize of ${p.container}'s shell: ${err.message}`))
  // Docker starts the process after it answered 101: a resize sent before that is refused, so the
  // first size is retried a few times, as the docker CLI does.
  void (async () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        return await resizeOnce(p.cols, p.rows)
      } catch (err) {
        if (attempt === 9) log(`containers: ${hostId}: sizing ${p.container}'s shell: ${(err as Error).message}`)
        await new Promise((r) => setTimeout(r, 100 * (attempt + 1)))
      }
    }
  })()

  const endListeners: Array<(end: ShellEnd) => void> = []
  let closing = false
  let ended = false
  const end = async () => {
    if (ended) return
    ended = true
    release()
    // Why it ended: docker knows the exit code once the process is gone; no answer means the
    // connection (or docker) went away under the shell.
    let result: ShellEnd
    if (closing) result = { code: null }
    else {
      const state = await engine
        .request(hostId, 'GET', `${execPath}/json`, { timeoutMs: 5000 })
        .then((r) => r.json<ExecInspect>())
        .catch(() => undefined)
      result = state && !state.Running ? { code: state.ExitCode } : { code: null, lost: `Connection to ${p.container} on ${hostId} lost.` }
    }
    for (const listener of endListeners) listener(result)
  }
  attached.output.on('error', (err: Error) => log(`containers: ${hostId}: ${p.container}'s shell: ${err.message}`))
  attached.output.once('close', () => void end())

  return {
    origin: `${p.container} on ${hostId}`,
    onData(listener) {
      attached.output.on('data', listener)
    },
    onEnd(listener) {
      endListeners.push(listener)
    },
    write: (data) => attached.write(data),
    resize,
    pause: () => void attached.output.pause(),
    resume: () => void attached.output.resume(),
    close: async () => {
      closing = true
      if (ended) return
      attached.output.resume() // a paused stream still has to see its close
      await hangUp(engine, hostId, containerPath, marker).catch((err: Error) => log(`containers: ${hostId}: hanging up ${p.container}'s shell: ${err.message}`))
      attached.close()
      await end()
    }
  }
}

/** SIGHUP to every process that carries the exec's marker, then SIGKILL to what is left a moment later. */
async function hangUp(engine: Pick<DockerEngine, 'request'>, hostId: string, containerPath: string, marker: string): Promise<void> {
  const find = `for e in /proc/[0-9]*/environ; do if tr '\\0' '\\n' < "$e" 2>/dev/null | grep -qx "${MARKER}=${marker}"; then p=\${e%/environ}; echo \${p#/proc/}; fi; done`
  const script = `k() { for p in $(${find}); do kill -$1 $p 2>/dev/null; done; }; k HUP; sleep 1; k KILL`
  const created = await engine.request(hostId, 'POST', `${containerPath}/exec`, { body: { AttachStdout: false, AttachStderr: false, Tty: false, Cmd: ['/bin/sh', '-c', script] } })
  const id = created.json<{ Id: string }>().Id
  await engine.request(hostId, 'POST', `/exec/${id}/start`, { body: { Detach: true }, timeoutMs: 10_000 })
}
