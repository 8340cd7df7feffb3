// The bench's droplets are real OpenSSH servers: prove a client gets in with the test key, sees
// the host key the bench advertises (and is refused when it expects another), can forward TCP
// (tunnels), gets the session environment, and that stop() leaves no sshd behind.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import http from 'node:http'
import path from 'node:path'
import { readFileSync } from 'node:fs'
import { Client, utils } from 'ssh2'
import { startDroplets, fingerprintSha256, SSHD_PATH, type Droplets, type DropletServer } from './sshd'
import { writeSshClientFiles } from './ssh-client-files'
import { run, isAlive, descendants } from './proc'
import { canConnect } from './net'

const hasSshd = existsSync(SSHD_PATH)
if (!hasSshd) console.warn(`[fleet] skipping sshd tests: ${SSHD_PATH} is not installed (apt-get install openssh-server)`)
const hasSshClient = existsSync('/usr/bin/ssh')

function connect(d: DropletServer, opts: { privateKey?: Buffer | string; expectFingerprint?: string } = {}): Promise<{ conn: Client; seenFingerprint: string }> {
  return new Promise((resolve, reject) => {
    const conn = new Client()
    let seenFingerprint = ''
    conn
      .on('ready', () => resolve({ conn, seenFingerprint }))
      .on('error', (e) => reject(e))
      .connect({
        host: d.host,
        port: d.port,
        username: d.user,
        privateKey: opts.privateKey ?? readFileSync(d.privateKeyPath),
        readyTimeout: 10_000,
        hostVerifier: (key: Buffer) => {
          seenFingerprint = fingerprintSha256(key)
          return seenFingerprint === (opts.expectFingerprint ?? d.hostKeyFingerprintSha256)
        },
      })
  })
}

function exec(conn: Client, command: string): Promise<{ stdout: string; code: number }> {
  return new Promise((resolve, reject) => {
    conn.exec(command, (err, stream) => {
      if (err) return reject(err)
      let stdout = ''
      stream.on('data', (c: Buffer) => (stdout += c.toString()))
      stream.stderr.on('data', () => undefined)
      stream.on('close', (code: number) => resolve({ stdout, code }))
    })
  })
}

describe.skipIf(!hasSshd)(`sshd droplets (real ${SSHD_PATH})`, () => {
  let dir: string
  let fleet: Droplets

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dropdeck-sshd-'))
    // port 'auto' and our own addresses: runs next to a bench on 127.0.0.2:2222 or another test file
    fleet = await startDroplets({ count: 3, dir, baseAddress: '127.0.1.2', port: 'auto', env: { DROPDECK_FLEET: 'sshd test', DROPDECK_SECOND: 'two' } })
  })

  afterAll(async () => {
    await fleet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('starts one sshd per droplet on consecutive loopback addresses, each with its own host key', () => {
    expect(fleet.droplets.map((d) => d.name)).toEqual(['e2i-analytics-prod', 'odoo-erp-prod', 'n8n-prod'])
    expect(fleet.droplets.map((d) => d.host)).toEqual(['127.0.1.2', '127.0.1.3', '127.0.1.4'])
    expect(new Set(fleet.droplets.map((d) => d.hostKeyFingerprintSha256)).size).toBe(3)
    for (const d of fleet.droplets) expect(d.hostKeyFingerprintSha256).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
  })

  it('lets the test key in, runs `echo hi`, and presents the advertised host key', async () => {
    for (const d of fleet.droplets) {
      const { conn, seenFingerprint } = await connect(d)
      try {
        expect(seenFingerprint).toBe(d.hostKeyFingerprintSha256)
        expect(await exec(conn, 'echo hi')).toEqual({ stdout: 'hi\n', code: 0 })
      } finally {
        conn.end()
      }
    }
  })

  it('is refused by a client that expects a different host key', async () => {
    const [a, b] = fleet.droplets
    await expect(connect(a, { expectFingerprint: b.hostKeyFingerprintSha256 })).rejects.toThrow(/verification failed/i)
  })

  it('refuses a key that is not authorized', async () => {
    const stranger = utils.generateKeyPairSync('ed25519')
    await expect(connect(fleet.droplets[0], { privateKey: stranger.private })).rejects.toThrow(/authentication methods failed/i)
  })

  it('forwards TCP through the connection (what tunnels rely on)', async () => {
    const server = http.createServer((_req, res) => res.end('tunnel-ok'))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const port = (server.address() as { port: number }).port
    const { conn } = await connect(fleet.droplets[1])
    try {
      const reply = await new Promise<string>((resolve, reject) => {
        conn.forwardOut('127.0.0.1', 0, '127.0.0.1', port, (err, stream) => {
          if (err) return reject(err)
          let data = ''
          stream.on('data', (c: Buffer) => (data += c.toString()))
          stream.on('close', () => resolve(data))
          stream.end('GET / HTTP/1.0\r\nHost: x\r\n\r\n')
        })
      })
      expect(reply).toMatch(/^HTTP\/1\.[01] 200/)
      expect(reply).toContain('tunnel-ok')
    } finally {
      conn.end()
      server.close()
    }
  })

  it('gives sessions the configured environment (sshd SetEnv)', async () => {
    const { conn } = await connect(fleet.droplets[2])
    try {
      // Every variable, not only the first: sshd reads one SetEnv line.
      expect((await exec(conn, 'echo "$DROPDECK_FLEET|$DROPDECK_SECOND"')).stdout).toBe('sshd test|two\n')
    } finally {
      conn.end()
    }
  })

  it.skipIf(!hasSshClient)('works with OpenSSH\'s own client through the written ssh_config and known_hosts', async () => {
    const files = writeSshClientFiles(dir, fleet.droplets)
    const out = await run('ssh', ['-F', files.sshConfigPath, '-o', 'BatchMode=yes', fleet.droplets[0].name, 'echo', 'via-openssh'])
    expect(out).toBe('via-openssh\n')
  })

  it('stop() ends the sshd and its live sessions', async () => {
    const one = await startDroplets({ count: 1, dir: path.join(dir, 'single'), baseAddress: '127.0.1.20', port: 'auto', names: ['stop-check'] })
    const d = one.droplets[0]
    const { conn } = await connect(d)
    conn.on('error', () => undefined) // the server goes away under it
    conn.exec('sleep 60', () => undefined)
    await new Promise((r) => setTimeout(r, 300))
    const session = descendants(d.pid)
    expect(session.length).toBeGreaterThan(0)
    await one.stop()
    expect(isAlive(d.pid)).toBe(false)
    expect(session.filter(isAlive)).toEqual([])
    expect(await canConnect(d.host, d.port)).toBe(false)
    conn.end()
  })
})
