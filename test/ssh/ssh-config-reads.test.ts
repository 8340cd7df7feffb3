/**
 * ~/.ssh/config is read once per call (each read parses it and evaluates every alias): hosts.connect,
 * tunnels.start on a host not connected yet, hosts.add and hosts.list each read it exactly once, a
 * real sshd at the other end. Reads are counted through the hosts service's reader, which reads the
 * real file. Before (code review §3) a tunnels.start read it four times: twice in hosts.get, twice more
 * when the pool resolved the host again to connect.
 */
import { existsSync } from 'node:fs'
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readSshConfig } from '../../src/main/ssh/host-config'
import { withSshFleet } from './support/ssh-fleet'
import { startEchoServer, type TestServer } from './support/servers'

const hasSshd = existsSync('/usr/sbin/sshd')

describe.skipIf(!hasSshd)('ssh_config reads per call', () => {
  const reads: string[] = []
  const ssh = withSshFleet({
    aliases: ['one', 'two'],
    baseAddress: '127.0.45.2',
    env: {
      readSshConfig: (file) => {
        reads.push(file)
        return readSshConfig(file)
      }
    }
  })
  let echo: TestServer
  beforeAll(async () => {
    echo = await startEchoServer()
  })
  afterAll(async () => {
    await echo?.close()
  })

  /** The reads of the ssh_config that `run` made. */
  async function readsOf(run: () => Promise<unknown>): Promise<number> {
    reads.length = 0
    await run()
    expect(new Set(reads)).toEqual(reads.length ? new Set([ssh.env.configPath]) : new Set())
    return reads.length
  }

  it('hosts.connect reads it once, and connects', async () => {
    let state = ''
    expect(await readsOf(async () => (state = (await ssh.env.call('hosts.connect', { hostId: 'one' })).state))).toBe(1)
    expect(state).toBe('connected')
  })

  it('tunnels.start on a host not connected yet reads it once, and the tunnel carries bytes', async () => {
    let localPort = 0
    expect(await readsOf(async () => ({ localPort } = await ssh.env.call('tunnels.start', { hostId: 'two', remoteHost: '127.0.0.1', remotePort: echo.port })))).toBe(1)
    expect(ssh.env.ssh.pool.state('two').state).toBe('connected')
    const echoed = await new Promise<string>((resolve, reject) => {
      let out = ''
      const s = net.connect({ host: '127.0.0.1', port: localPort, allowHalfOpen: true }, () => s.end('through two'))
      s.on('data', (c: Buffer) => (out += c.toString()))
      s.on('end', () => {
        s.destroy()
        resolve(out)
      })
      s.on('error', reject)
    })
    expect(echoed).toBe('through two')
  })

  it('hosts.list and hosts.add read it once each', async () => {
    expect(await readsOf(() => ssh.env.call('hosts.list', {}))).toBe(1)
    expect(await readsOf(() => ssh.env.call('hosts.add', { id: 'by-hand', hostname: '10.9.0.1', port: 22, user: 'ops', identityFiles: [] }))).toBe(1)
  })
})
