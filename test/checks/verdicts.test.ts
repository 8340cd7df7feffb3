/**
 * The rules behind checks, without servers: debouncing runs into up/down, the TLS lifetime rule,
 * HTTP verdicts, the health URL read from a container's own health check, listeners from `ss`, the
 * seed-002 findings' helpers, and the metrics store on disk (bounded, compacted, kept across restarts).
 */
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CheckInputSchema, type CheckSpec, type MetricPoint } from '../../src/shared/contract'
import { initialStatus, nextStatus } from '../../src/main/checks/debounce'
import { fail, ok, unknown } from '../../src/main/checks/probe-result'
import { judgeCertificate } from '../../src/main/checks/probes/tls-probe'
import { judgeHttp, statusAccepted } from '../../src/main/checks/probes/http-verdict'
import { parseHostHttp } from '../../src/main/checks/probes/http-probe'
import { healthUrlOf } from '../../src/main/checks/sources'
import { publicPorts } from '../../src/main/report/audit-data'
import { imageTagProblem, portCovered } from '../../src/main/report/findings'
import { MetricsStore, RAW_KEEP_MS } from '../../src/main/metrics/metrics-store'
import { parseCpuLine, parseNetDev } from '../../src/main/metrics/metrics-sampler'

const limits = { failuresToDown: 3, successesToUp: 2 }
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s))

describe('debounce', () => {
  it('goes down only after 3 failures in a row, and up again only after 2 successes', () => {
    let s = initialStatus()
    const states: string[] = []
    const runs = [ok('a'), fail('x'), fail('x'), ok('b'), fail('x'), fail('x'), fail('x'), ok('c'), fail('x'), ok('d'), ok('e')]
    runs.forEach((r, i) => {
      s = nextStatus(s, r, limits, at(i))
      states.push(s.state)
    })
    expect(states).toEqual(['up', 'up', 'up', 'up', 'up', 'up', 'down', 'down', 'down', 'down', 'up'])
    expect(s.since).toBe(at(10).toISOString())
    expect(s.recent).toHaveLength(11)
  })

  it('an unknown run (host not connected) is unknown, neither down nor up, and resets the counts', () => {
    let s = initialStatus()
    s = nextStatus(s, fail('x'), limits, at(0))
    s = nextStatus(s, fail('x'), limits, at(1))
    s = nextStatus(s, unknown('not connected'), limits, at(2))
    expect(s).toMatchObject({ state: 'unknown', severity: null, consecutiveFailures: 0 })
    s = nextStatus(s, fail('x', { severity: 'warning' }), limits, at(3))
    expect(s.state).toBe('unknown') // one failure after unknown is not yet down
    s = nextStatus(s, fail('x', { severity: 'warning' }), limits, at(4))
    s = nextStatus(s, fail('x', { severity: 'warning' }), limits, at(5))
    expect(s).toMatchObject({ state: 'down', severity: 'warning', since: at(5).toISOString() })
  })
})

describe('TLS lifetime rule', () => {
  const cert = (fromDays: number, toDays: number, extra: Partial<{ chainError: string; nameError: string }> = {}) => ({
    validFrom: new Date(Date.UTC(2026, 0, 1) + fromDays * 86_400_000),
    validTo: new Date(Date.UTC(2026, 0, 1) + toDays * 86_400_000),
    subject: 'app.example.com',
    issuer: 'Test CA',
    chainError: extra.chainError ?? null,
    nameError: extra.nameError ?? null
  })
  const now = new Date(Date.UTC(2026, 0, 1))
  it('warns under a third of the lifetime left, whatever the lifetime', () => {
    expect(judgeCertificate('a:443', cert(-61, 29), now)).toMatchObject({ outcome: 'fail', severity: 'warning' }) // 90-day cert, 29 left
    expect(judgeCertificate('a:443', cert(-50, 40), now).outcome).toBe('ok')
    expect(judgeCertificate('a:443', cert(-5, 1), now)).toMatchObject({ outcome: 'fail', severity: 'warning' }) // 6-day cert, 1 left
    expect(judgeCertificate('a:443', cert(-1, 5), now).outcome).toBe('ok') // 6-day cert, fresh
  })
  it('warns within the set days too, and errors when expired, untrusted or for another name', () => {
    expect(judgeCertificate('a:443', cert(-10, 80), now, 90)).toMatchObject({ outcome: 'fail', severity: 'warning' })
    expect(judgeCertificate('a:443', cert(-90, -1), now)).toMatchObject({ outcome: 'fail', severity: 'critical', message: expect.stringContaining('expired') })
    expect(judgeCertificate('a:443', cert(-1, 80, { chainError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), now)).toMatchObject({ severity: 'critical', message: expect.stringContaining('full chain') })
    expect(judgeCertificate('a:443', cert(-1, 80, { nameError: "Host: a. is not in the cert's altnames" }), now)).toMatchObject({ severity: 'critical', message: expect.stringContaining('not valid for that name') })
  })
})

describe('HTTP verdicts', () => {
  const http = (extra: Record<string, unknown>) => CheckInputSchema.parse({ kind: 'http', name: 'h', url: 'http://x/health', ...extra }) as Extract<CheckSpec, { kind: 'http' }>
  it('status lists, keyword, JSON path and latency', () => {
    expect(statusAccepted(204, '200-299')).toBe(true)
    expect(statusAccepted(301, '200,204,301-302')).toBe(true)
    expect(statusAccepted(500, '200-299')).toBe(false)
    expect(judgeHttp(http({}), { status: 503, body: 'down', latencyMs: 5 })).toMatchObject({ outcome: 'fail', message: expect.stringContaining('503') })
    expect(judgeHttp(http({ keyword: 'ok' }), { status: 200, body: 'fine', latencyMs: 5 }).outcome).toBe('fail')
    expect(judgeHttp(http({ jsonPath: 'checks.db', jsonEquals: 'up' }), { status: 200, body: '{"checks":{"db":"down"}}', latencyMs: 5 })).toMatchObject({ outcome: 'fail', message: expect.stringContaining('checks.db is down') })
    expect(judgeHttp(http({ jsonPath: 'checks.db', jsonEquals: 'up' }), { status: 200, body: '{"checks":{"db":"up"}}', latencyMs: 5 }).outcome).toBe('ok')
    expect(judgeHttp(http({ maxLatencyMs: 100 }), { status: 200, body: '', latencyMs: 250 })).toMatchObject({ outcome: 'fail', severity: 'warning' })
  })
  it('reads what curl and busybox wget print on the host', () => {
    expect(parseHostHttp('{"ok":true}\n@@dropdeck-http:200 0.012\n')).toEqual({ status: 200, body: '{"ok":true}', latencyMs: 12 })
    expect(parseHostHttp('\n@@dropdeck-http:404 3400us\n')).toEqual({ status: 404, body: '', latencyMs: 3.4 })
    expect(parseHostHttp('curl: (7) Failed to connect to 127.0.0.1 port 9 after 0 ms: Connection refused\n@@dropdeck-http:000 0.000\n')).toEqual({ error: expect.stringContaining('Connection refused') })
    expect(parseHostHttp('@@dropdeck-no-client\n')).toEqual({ missingClient: true })
  })
  it('refuses a host check without a host', () => {
    expect(CheckInputSchema.safeParse({ kind: 'http', name: 'h', url: 'http://127.0.0.1:8000/health', runFrom: 'host' }).success).toBe(false)
  })
})

describe('what proposals and the report read', () => {
  it('the URL a container health check fetches, with its environment filled in', () => {
    expect(healthUrlOf(['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:$PORT/health || exit 1'], ['PATH=/bin', 'PORT=8069'])).toBe('http://127.0.0.1:8069/health')
    expect(healthUrlOf(['CMD', 'curl', '-f', 'http://localhost:5000/api/health'], [])).toBe('http://127.0.0.1:5000/api/health')
    expect(healthUrlOf(['CMD-SHELL', 'pg_isready'], [])).toBeNull()
    expect(healthUrlOf(['CMD-SHELL', 'wget http://127.0.0.1:$NOPE/health'], [])).toBeNull()
  })
  it('public listeners from ss, firewall port specs, moving image tags', () => {
    const ss = ['LISTEN 0 4096 0.0.0.0:22 0.0.0.0:*', 'LISTEN 0 511 127.0.0.1:8000 0.0.0.0:*', 'LISTEN 0 4096 [::]:5432 [::]:*', 'LISTEN 0 4096 *:8069 *:*', 'LISTEN 0 4096 [::1]:6379 [::]:*'].join('\n')
    expect(publicPorts(ss)).toEqual([22, 5432, 8069])
    expect(portCovered('22', 22)).toBe(true)
    expect(portCovered('8100-8200', 8069)).toBe(false)
    expect(portCovered('8000-8100', 8069)).toBe(true)
    expect(portCovered('all', 1)).toBe(true)
    expect(imageTagProblem('n8nio/n8n:latest')).toBe(':latest')
    expect(imageTagProblem('falkordb/falkordb')).toBe('no tag (latest)')
    expect(imageTagProblem('registry:5000/app')).toBe('no tag (latest)')
    expect(imageTagProblem('sha256:0123456789abcdef')).toBe('an untagged image')
    expect(imageTagProblem('postgres:16')).toBeNull()
  })
  it('CPU and network counters', () => {
    expect(parseCpuLine('cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3')).toEqual({ busy: 150, total: 1000 })
    const dev = 'Inter-|   Receive\n face |bytes packets\n    lo: 999 1 0 0 0 0 0 0 999 1 0 0 0 0 0 0\n  eth0: 1000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0\n'
    expect(parseNetDev(dev)).toEqual({ rx: 1000, tx: 2000 })
  })
})

describe('the metrics store', () => {
  let dir: string | undefined
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })
  const point = (t: number, v: number): MetricPoint => ({ t, cpu: v, load1: v / 100, mem: v, swap: 0, disk: 50, rx: 10, tx: 20 })

  it('keeps samples across a restart and answers a range with at most ~300 points', async () => {
    dir = await mkdtemp(join(tmpdir(), 'dd-metrics-'))
    const now = Date.UTC(2026, 0, 8)
    const a = new MetricsStore(dir, () => undefined, () => now)
    for (let i = 0; i < 2000; i++) await a.append('web-1', point(now - (2000 - i) * 15_000, i % 100))
    await a.flush()
    const b = new MetricsStore(dir, () => undefined, () => now) // a new process
    const hour = await b.query('web-1', '1h')
    expect(hour.points).toHaveLength(240) // every 15 s sample of the last hour
    const day = await b.query('web-1', '24h')
    expect(day.points.length).toBeLessThanOrEqual(300)
    expect(day.stepSeconds).toBe(300)
    expect(day.points.every((p) => p.cpu !== null && p.cpu >= 0 && p.cpu < 100)).toBe(true)
  })

  it('downsamples points older than 7 days to 5-minute means and drops those older than 90 days', async () => {
    dir = await mkdtemp(join(tmpdir(), 'dd-metrics-'))
    const now = Date.UTC(2026, 3, 1)
    const old = now - RAW_KEEP_MS - 86_400_000 // 8 days ago
    const lines = [point(now - 100 * 86_400_000, 1), ...Array.from({ length: 40 }, (_, i) => point(old + i * 15_000, i % 2 ? 10 : 30)), point(now - 60_000, 5)]
    await mkdir(join(dir, 'metrics'), { recursive: true })
    await writeFile(join(dir, 'metrics', 'web-1.jsonl'), `${lines.map((p) => JSON.stringify(p)).join('\n')}\n{"t":1,"cut`)
    const store = new MetricsStore(dir, () => undefined, () => now)
    const week = await store.query('web-1', '7d')
    expect(week.points.map((p) => p.cpu)).toEqual([5])
    await store.flush()
    const kept = (await readFile(join(dir, 'metrics', 'web-1.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as MetricPoint)
    // 40 samples over 10 minutes became 3 five-minute means (the window does not start on a bucket edge); the 100-day-old point is gone
    expect(kept.length).toBeLessThanOrEqual(4)
    expect(kept.length).toBeGreaterThanOrEqual(3)
    expect(kept.at(-1)!.cpu).toBe(5)
    expect(kept.slice(0, -1).every((p) => p.cpu === 20 || (p.cpu! > 10 && p.cpu! < 30))).toBe(true)
  })
})
