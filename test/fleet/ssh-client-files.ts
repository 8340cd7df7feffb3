// The client side of the bench's droplets: an ssh_config with one Host alias per droplet and a
// known_hosts holding their host keys, so both OpenSSH (`ssh -F`) and Dropdeck (which reads
// ssh_config and known_hosts) can reach them with strict host-key checking on.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import type { DropletServer } from './sshd'

export interface SshClientFiles {
  sshConfigPath: string
  knownHostsPath: string
}

/** known_hosts spells non-default ports as [host]:port. */
export function knownHostsHost(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`
}

export function writeSshClientFiles(dir: string, droplets: DropletServer[]): SshClientFiles {
  const knownHostsPath = path.resolve(dir, 'known_hosts')
  const sshConfigPath = path.resolve(dir, 'ssh_config')
  writeFileSync(knownHostsPath, droplets.map((d) => `${knownHostsHost(d.host, d.port)} ${d.hostPublicKey}\n`).join(''))
  const blocks = droplets.map((d) =>
    [
      // the address too: a client that got the droplet's IP from the API finds the port here
      `Host ${d.name} ${d.host}`,
      `    HostName ${d.host}`,
      `    Port ${d.port}`,
      `    User ${d.user}`,
      `    IdentityFile ${path.resolve(d.privateKeyPath)}`,
      '    IdentitiesOnly yes',
      `    UserKnownHostsFile ${knownHostsPath}`,
      '    StrictHostKeyChecking yes',
      '',
    ].join('\n'),
  )
  writeFileSync(sshConfigPath, `# Written by the Dropdeck fleet bench (test/fleet). Try: ssh -F ${sshConfigPath} ${droplets[0]?.name ?? '<droplet>'}\n\n${blocks.join('\n')}`)
  return { sshConfigPath, knownHostsPath }
}
