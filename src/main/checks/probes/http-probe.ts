/**
 * HTTP(S) checks. From this machine through the app's fetch (Electron's net.fetch or the proxy-aware
 * Node fetch, so a corporate proxy is honoured like for every provider call); from the host with
 * curl, or busybox/GNU wget where curl is missing, over the pooled SSH connection, for endpoints that
 * only listen on the droplet's 127.0.0.1 (seed 000's `curl localhost:8000/health`).
 */
import type { CheckSpec } from '../../../shared/contract/checks'
import { fail, unknown, type ProbeResult } from '../probe-result'
import { judgeHttp } from './http-verdict'
import type { HostRunner } from './host-runner'

type HttpCheck = Extract<CheckSpec, { kind: 'http' }>

/** Bodies are read up to this much: enough for a keyword or a health JSON. */
const BODY_LIMIT = 64 * 1024

export async function probeHttpLocal(check: HttpCheck, fetchImpl: typeof fetch): Promise<ProbeResult> {
  const started = performance.now()
  let res: Response
  try {
    res = await fetchImpl(check.url, { signal: AbortSignal.timeout(check.timeoutSeconds * 1000), redirect: 'follow', headers: { 'user-agent': 'Dropdeck health check' } })
  } catch (err) {
    const latencyMs = performance.now() - started
    const e = err as Error & { code?: string; cause?: { code?: string; message?: string } }
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return fail(`${check.url} did not answer within ${check.timeoutSeconds} s.`, { latencyMs })
    // A proxy that refuses or is down means the check could not run, not that the service is down.
    if (/proxy/i.test(e.message)) return unknown(`${check.url} could not be checked: ${e.message}`, { latencyMs })
    const cause = e.cause?.code ?? e.code
    return fail(`${check.url} could not be reached${cause ? ` (${cause})` : ''}: ${e.cause?.message ?? e.message}`, { latencyMs })
  }
  const body = await readLimited(res)
  return judgeHttp(check, { status: res.status, body, latencyMs: performance.now() - started })
}

async function readLimited(res: Response): Promise<string> {
  if (!res.body) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    while (size < BODY_LIMIT) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      size += value.byteLength
    }
  } finally {
    void reader.cancel().catch(() => undefined)
  }
  return Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString('utf8')
}

const STATUS_MARK = '@@dropdeck-http:'

/** The command run on the host: curl when present, else wget (busybox's prints the status line with -S). */
export function hostHttpCommand(url: string, timeoutSeconds: number): string {
  const q = `'${url.replace(/'/g, `'\\''`)}'`
  const t = Math.max(1, timeoutSeconds)
  return [
    'if command -v curl >/dev/null 2>&1; then',
    `  curl -sS -k -L --max-time ${t} --max-filesize ${BODY_LIMIT * 16} -w '\\n${STATUS_MARK}%{http_code} %{time_total}\\n' ${q} 2>&1 | tail -c ${BODY_LIMIT}`,
    'elif command -v wget >/dev/null 2>&1; then',
    `  s=$(date +%s%N 2>/dev/null); wget -q -S -T ${t} -O - ${q} 2>/tmp/.dropdeck-wget.$$; r=$?; e=$(date +%s%N 2>/dev/null)`,
    `  code=$(grep -o 'HTTP/[0-9.]* [0-9][0-9][0-9]' /tmp/.dropdeck-wget.$$ | tail -n1 | awk '{print $2}'); rm -f /tmp/.dropdeck-wget.$$`,
    `  echo; echo "${STATUS_MARK}\${code:-000} $(( (\${e:-0} - \${s:-0}) / 1000 ))us"`,
    'else echo "@@dropdeck-no-client"; fi'
  ].join('\n')
}

/** Parses what hostHttpCommand printed into status, body and latency. */
export function parseHostHttp(stdout: string): { status: number; body: string; latencyMs: number | null } | { missingClient: true } | { error: string } {
  if (stdout.includes('@@dropdeck-no-client')) return { missingClient: true }
  const at = stdout.lastIndexOf(STATUS_MARK)
  if (at < 0) return { error: stdout.trim().slice(-300) || 'no output' }
  const [code, time] = stdout.slice(at + STATUS_MARK.length).trim().split(/\s+/)
  const body = stdout.slice(0, at).replace(/\n$/, '')
  const status = Number(code)
  const latencyMs = time?.endsWith('us') ? Number(time.slice(0, -2)) / 1000 : time ? Number(time) * 1000 : null
  if (!status) return { error: body.trim().split('\n').slice(-2).join(' ') || 'no answer' }
  return { status, body, latencyMs: latencyMs !== null && Number.isFinite(latencyMs) && latencyMs > 0 ? latencyMs : null }
}

export async function probeHttpFromHost(check: HttpCheck, host: HostRunner): Promise<ProbeResult> {
  const hostId = check.hostId as string
  const started = performance.now()
  const r = await host.exec(hostId, hostHttpCommand(check.url, check.timeoutSeconds), (check.timeoutSeconds + 10) * 1000)
  if ('unavailable' in r) return r.unavailable
  const parsed = parseHostHttp(r.stdout)
  if ('missingClient' in parsed) return unknown(`${hostId} has neither curl nor wget to run ${check.url}; install one, or run the check from this machine.`)
  if ('error' in parsed) return fail(`${check.url} could not be reached from ${hostId}: ${parsed.error}`, { latencyMs: performance.now() - started })
  return judgeHttp(check, { status: parsed.status, body: parsed.body, latencyMs: parsed.latencyMs ?? performance.now() - started })
}
