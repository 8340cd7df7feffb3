/** TCP port checks: a connection that opens within the timeout. From the host, with a shell's /dev/tcp or nc. */
import { connect } from 'node:net'
import type { CheckSpec } from '../../../shared/contract/checks'
import { fail, ok, unknown, type ProbeResult } from '../probe-result'
import type { HostRunner } from './host-runner'

type TcpCheck = Extract<CheckSpec, { kind: 'tcp' }>

export function probeTcpLocal(check: TcpCheck): Promise<ProbeResult> {
  const target = `${check.host}:${check.port}`
  const started = performance.now()
  return new Promise((resolve) => {
    const socket = connect({ host: check.host, port: check.port })
    const done = (r: ProbeResult) => {
      socket.destroy()
      resolve({ ...r, latencyMs: performance.now() - started })
    }
    socket.setTimeout(check.timeoutSeconds * 1000, () => done(fail(`${target} did not accept a connection within ${check.timeoutSeconds} s.`)))
    socket.once('connect', () => done(ok(`${target} accepts connections.`)))
    socket.once('error', (err: Error & { code?: string }) => done(fail(`${target} refused or dropped the connection (${err.code ?? err.message}).`)))
  })
}

export async function probeTcpFromHost(check: TcpCheck, host: HostRunner): Promise<ProbeResult> {
  const hostId = check.hostId as string
  const target = `${check.host}:${check.port}`
  const t = check.timeoutSeconds
  // nc -z where there is one (busybox, openbsd, ncat); else bash's /dev/tcp.
  const command = `if command -v nc >/dev/null 2>&1; then nc -z -w ${t} ${check.host} ${check.port} && echo open || echo closed; elif command -v bash >/dev/null 2>&1; then timeout ${t} bash -c 'exec 3<>/dev/tcp/${check.host}/${check.port}' 2>/dev/null && echo open || echo closed; else echo noclient; fi`
  const r = await host.exec(hostId, command, (t + 10) * 1000)
  if ('unavailable' in r) return r.unavailable
  const said = r.stdout.trim().split('\n').at(-1)
  if (said === 'open') return ok(`${target} accepts connections on ${hostId}.`)
  if (said === 'noclient') return unknown(`${hostId} has neither nc nor bash to test ${target}.`)
  return fail(`${target} does not accept connections on ${hostId}.`)
}
