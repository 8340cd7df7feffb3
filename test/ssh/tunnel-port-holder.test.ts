/**
 * A local port already held by one of Dropdeck's own tunnels is refused naming that tunnel (host and
 * remote port), not this process's command line, with a free port to use instead; against a real sshd.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDroplets, type Droplets } from '../fleet/sshd'
import { suggestFreePort } from '../../src/main/tunnels/port-holder'
import { createSshEnv, hostBlock, rejection } from './support/ssh-env'
import { writeFileSync } from 'node:fs'

describe.skipIf(!existsSync('/usr/sbin/sshd'))('a port held by a Dropdeck tunnel', () => {
  let fleet: Droplets
  let dir: string

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dd-tunnel-holder-'))
    fleet = await startDroplets({ count: 1, dir: path.join(dir, 'fleet'), port: 'auto', baseAddress: '127.0.70.2' })
  })

  afterAll(async () => {
    await fleet?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('names the tunnel that holds it', async () => {
    const d = fleet.droplets[0]
    const knownHosts = path.join(dir, 'known_hosts')
    writeFileSync(knownHosts, `[${d.host}]:${d.port} ${d.hostPublicKey}\n`)
    const env = createSshEnv(hostBlock('e2i-prod', d, [`IdentityFile ${fleet.privateKeyPath}`, `UserKnownHostsFile ${knownHosts}`]))
    try {
      const port = await suggestFreePort(47_300)
      const first = await env.call('tunnels.start', { hostId: 'e2i-prod', remoteHost: 'localhost', remotePort: 5000, localPort: port })
      const err = await rejection(env.call('tunnels.start', { hostId: 'e2i-prod', remoteHost: 'localhost', remotePort: 5173, localPort: port }))
      expect(err.code).toBe('PORT_IN_USE')
      expect(err.message).toContain(`Local port ${port} is already used by Dropdeck's tunnel to e2i-prod localhost:5000`)
      expect(err.data).toMatchObject({ port, tunnel: { id: first.id, hostId: 'e2i-prod', remoteHost: 'localhost', remotePort: 5000 } })
      expect((err.data as { suggestion: number }).suggestion).not.toBe(port)
      expect((err.data as { holder?: unknown }).holder).toBeUndefined()
    } finally {
      await env.close()
    }
  })
})
