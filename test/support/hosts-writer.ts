/**
 * A process that adds hosts by hand (dataDir/hosts.json) one after another until it is killed, and
 * prints each host's id once its `add` has resolved: what it printed was acknowledged to the caller,
 * so it must survive a SIGKILL at any moment.
 * Usage: node --import tsx test/support/hosts-writer.ts <dataDir> <id prefix>
 */
import path from 'node:path'
import { HostsService } from '../../src/main/ssh/hosts-service'

const [dataDir, prefix] = process.argv.slice(2)
const hosts = new HostsService({
  dataDir,
  env: { DROPDECK_SSH_CONFIG: path.join(dataDir, 'no-ssh-config') },
  dropletHosts: async () => [],
  log: (line) => process.stderr.write(`${line}\n`)
})
for (let i = 0; ; i++) {
  const id = `${prefix}-${i}`
  await hosts.add({ id, hostname: `10.2.${Math.floor(i / 250)}.${(i % 250) + 1}`, port: 22, user: 'ops', identityFiles: [] })
  process.stdout.write(`${id}\n`)
}
