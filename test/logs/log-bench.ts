/**
 * The bench for log tests, e2e and bench:logs: a private dockerd, one real sshd "droplet" whose
 * sessions get DOCKER_HOST and a PATH starting with a bin/ dir holding a replaying `journalctl` (systemd
 * does not run here), and containers that write logs, created here rather than in the shared seed.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { dockerCall, dockerRequest } from '../fleet/docker-api'
import { BASE_IMAGE, FLEET_LABEL } from '../fleet/docker-seed'
import { seedImages, startDocker, type DockerDaemon } from '../fleet/dockerd'
import { startDroplets, type Droplets } from '../fleet/sshd'
import { findExecutable, processesUsing, terminatePids } from '../fleet/proc'
import { REPLAY } from './journal-capture'

export interface LogBench {
  dir: string
  docker: DockerDaemon
  droplets: Droplets
  /** Where the fake journalctl appends its arguments, one invocation per line. */
  journalArgsPath: string
  /** The journal the fake journalctl replays (journalctl -o json lines). */
  journalPath: string
  /** A log file on the host, for `tail -F`. */
  filePath: string
  /** Creates (replacing) and starts a container running `script` under busybox sh. */
  container(name: string, script: string, opts?: { tty?: boolean }): Promise<string>
  stop(): Promise<void>
}

/**
 * Replays the journal file (after --after-cursor's entry when given), then with -f waits while its
 * sshd session lives, so a dropped connection leaves nothing running on the host.
 */
function fakeJournalctl(argsPath: string, journalPath: string): string {
  return `#!/bin/bash
printf '%s\\n' "$*" >> ${JSON.stringify(argsPath)}
after=""
follow=0
for a in "$@"; do
  case "$a" in
    --after-cursor=*) after="\${a#--after-cursor=}" ;;
    -f|--follow) follow=1 ;;
  esac
done
if [ -n "$after" ]; then
  awk -v c="\\"$after\\"" 'found { print } index($0, c) { found = 1 }' ${JSON.stringify(journalPath)}
else
  cat ${JSON.stringify(journalPath)}
fi
if [ "$follow" = 1 ]; then
  while kill -0 "$PPID" 2>/dev/null; do sleep 0.3; done
fi
`
}

export async function startLogBench(dir: string, baseAddress: string): Promise<LogBench> {
  const bin = path.join(dir, 'bin')
  mkdirSync(bin, { recursive: true })
  const journalArgsPath = path.join(dir, 'journalctl.args')
  const journalPath = path.join(dir, 'journal.jsonl')
  const filePath = path.join(dir, 'app.log')
  writeFileSync(journalPath, REPLAY.join('\n') + '\n')
  writeFileSync(journalArgsPath, '')
  writeFileSync(filePath, 'boot: file log starts\n')
  writeFileSync(path.join(bin, 'journalctl'), fakeJournalctl(journalArgsPath, journalPath))
  chmodSync(path.join(bin, 'journalctl'), 0o755)
  const realDocker = findExecutable('docker')
  if (!realDocker) throw new Error('the docker CLI is missing')

  const docker = await startDocker({ dir: path.join(dir, 'd') })
  // sshd applies only the first SetEnv line, so DOCKER_HOST cannot go next to PATH: a docker wrapper on
  // the same PATH points the real CLI at the private daemon.
  writeFileSync(path.join(bin, 'docker'), `#!/bin/sh\nDOCKER_HOST=${docker.env.DOCKER_HOST} exec ${realDocker} "$@"\n`)
  chmodSync(path.join(bin, 'docker'), 0o755)
  let droplets: Droplets | undefined
  try {
    droplets = await startDroplets({
      count: 1,
      dir: path.join(dir, 'ssh'),
      names: ['logs-droplet'],
      port: 'auto',
      baseAddress,
      env: { PATH: `${bin}:/usr/local/bin:/usr/bin:/bin` }
    })
    await seedImages(docker)
  } catch (err) {
    await droplets?.stop()
    await docker.stop()
    throw err
  }

  const container = async (name: string, script: string, opts: { tty?: boolean } = {}) => {
    await dockerRequest(docker.socketPath, 'DELETE', `/containers/${name}`, { query: { force: true } })
    const created = await dockerCall(docker.socketPath, 'POST', '/containers/create', {
      query: { name },
      body: { Image: BASE_IMAGE, Cmd: ['/bin/sh', '-c', script], Tty: Boolean(opts.tty), Labels: { [FLEET_LABEL]: 'logs-test' }, HostConfig: { NetworkMode: 'host', RestartPolicy: { Name: 'no' } } }
    })
    const id = created.json<{ Id: string }>().Id
    await dockerCall(docker.socketPath, 'POST', `/containers/${id}/start`)
    return id
  }

  const stop = async () => {
    await droplets?.stop()
    await docker.stop()
    // tail -F and the fake journalctl orphaned by killed sessions name files under dir
    await terminatePids(processesUsing(dir))
  }
  return { dir, docker, droplets, journalArgsPath, journalPath, filePath, container, stop }
}
