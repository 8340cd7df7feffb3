/** `npm run host` as an operator runs it: one ready line on stdout, the renderer at /, state in DROPDECK_DATA_DIR. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RpcSocket, repoRoot } from '../support/host-harness'

let child: ChildProcessWithoutNullStreams
let stdout = ''
let dataDir: string
let url: URL

beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'out/renderer/index.html'))) throw new Error('Build the renderer first: npm run build')
  dataDir = await mkdtemp(join(tmpdir(), 'dropdeck-cli-'))
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main/host/cli.ts', '--port', '0'], { cwd: repoRoot, env: { ...process.env, DROPDECK_DATA_DIR: dataDir } })
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line; stdout: ${stdout}`)), 30_000)
    child.stdout.on('data', () => {
      const match = /^DROPDECK_URL=(\S+)$/m.exec(stdout)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    child.once('exit', (code) => reject(new Error(`host exited with ${code}`)))
  })
  url = new URL(line)
})

afterAll(async () => {
  child?.kill('SIGTERM')
  await new Promise((r) => child?.once('exit', r))
  await rm(dataDir, { recursive: true, force: true })
})

describe('npm run host', () => {
  it('prints exactly one line on stdout: the URL with a per-launch token', async () => {
    await new Promise((r) => setTimeout(r, 300))
    expect(stdout.trim().split('\n')).toHaveLength(1)
    expect(url.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(url.searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{20,}$/)
  })

  it('serves the built renderer at / with a strict CSP, and nothing outside it', async () => {
    const index = await fetch(new URL('/', url))
    expect(index.status).toBe(200)
    expect(index.headers.get('content-type')).toContain('text/html')
    const csp = index.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${url.port}`)
    expect(await index.text()).toContain('<div id="root">')
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/%2e%2e%2fpackage.json', '/nope.js']) {
      expect((await fetch(new URL(path, url))).status, path).toBe(404)
    }
    expect((await fetch(new URL('/', url), { method: 'POST' })).status).toBe(405)
  })

  it('keeps its state in DROPDECK_DATA_DIR', async () => {
    const ws = await RpcSocket.open(`ws://127.0.0.1:${url.port}/rpc?token=${url.searchParams.get('token')}`)
    await ws.call('settings.update', { defaultSshUser: 'deploy' })
    ws.close()
    expect(JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8'))).toMatchObject({ defaultSshUser: 'deploy' })
  })

  it('refuses a bad --port with a clear message', async () => {
    const bad = spawn(process.execPath, ['--import', 'tsx', 'src/main/host/cli.ts', '--port', 'abc'], { cwd: repoRoot })
    let err = ''
    bad.stderr.on('data', (c: Buffer) => (err += c.toString()))
    const code = await new Promise((r) => bad.once('exit', r))
    expect(code).toBe(2)
    expect(err).toContain('--port must be a number')
  })
})
