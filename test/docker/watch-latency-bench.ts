/**
 * How fast a container change reaches a Dropdeck client through containers.watch (Docker's events
 * stream over SSH, then a re-inspect over SSH, then containers.watch.data on the event bus), against the
 * peer: the docker CLI's own `docker events` on the daemon's local socket. Pauses and unpauses one
 * container N times on a bench dockerd behind a bench sshd and prints the latencies and their ratio,
 * and what one Engine API request costs alone (most of the difference: each opens a channel and starts
 * `docker system dial-stdio` on the host).
 *
 *   npx tsx test/docker/watch-latency-bench.ts [rounds=40]
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { createServices } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import { BASE_IMAGE } from '../fleet/docker-seed'
import { dockerCall } from '../fleet/docker-api'
import { seedImages, startDocker } from '../fleet/dockerd'
import { startDroplets } from '../fleet/sshd'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { memoryKeychain } from '../ssh/support/ssh-env'

const rounds = Number(process.argv[2] ?? 40)

function stats(ms: number[]): { median: number; p95: number; max: number } {
  const s = [...ms].sort((a, b) => a - b)
  return { median: s[Math.floor(s.length / 2)], p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))], max: s[s.length - 1] }
}
const fmt = (x: { median: number; p95: number; max: number }) => `median ${x.median.toFixed(1)} ms, p95 ${x.p95.toFixed(1)} ms, max ${x.max.toFixed(1)} ms`

async function main(): Promise<void> {
  const dir = mkdtempSync('/tmp/ddb-')
  const docker = await startDocker({ dir: path.join(dir, 'd') })
  const droplets = await startDroplets({ count: 1, dir: path.join(dir, 'ssh'), names: ['bench-droplet'], port: 'auto', baseAddress: '127.0.41.20', env: { DOCKER_HOST: docker.env.DOCKER_HOST } })
  const services = createServices({ dataDir: path.join(dir, 'data'), version: '0.0.0-bench', keychain: memoryKeychain(), env: { DROPDECK_SSH_CONFIG: writeSshClientFiles(dir, droplets.droplets).sshConfigPath }, log: () => undefined })
  const ctx = createCallContext('bench', services.bus)
  const cli = spawn('docker', ['-H', docker.env.DOCKER_HOST, 'events', '--filter', 'type=container', '--filter', 'event=pause', '--filter', 'event=unpause', '--format', '{{.Action}}'])
  try {
    await seedImages(docker)
    const id = (await dockerCall(docker.socketPath, 'POST', '/containers/create', { query: { name: 'bench-target' }, body: { Image: BASE_IMAGE, Cmd: ['sleep', '3600'] } })).json<{ Id: string }>().Id
    await dockerCall(docker.socketPath, 'POST', `/containers/${id}/start`)

    let waitingApp: { state: string; resolve: () => void } | undefined
    services.bus.subscribe((event, payload) => {
      if (event !== 'containers.watch.data' || (payload as { kind: string }).kind !== 'changed') return
      const c = (payload as { container: { id: string; state?: string } }).container
      if (waitingApp && c.id === id && c.state === waitingApp.state) waitingApp.resolve()
    })
    let waitingCli: { action: string; resolve: () => void } | undefined
    createInterface({ input: cli.stdout }).on('line', (line) => {
      if (waitingCli && line.trim() === waitingCli.action) waitingCli.resolve()
    })
    const live = new Promise<void>((resolve) => services.bus.subscribe((event, p) => event === 'containers.watch.state' && (p as { state: string }).state === 'live' && resolve()))
    await services.router.call('containers.watch.open', { hostId: 'bench-droplet' }, ctx)
    await live
    await new Promise((r) => setTimeout(r, 500)) // the CLI's stream is open too

    const app: number[] = []
    const peer: number[] = []
    for (let i = 0; i < rounds; i++) {
      for (const [action, state] of [
        ['pause', 'paused'],
        ['unpause', 'running']
      ] as const) {
        const t0 = performance.now()
        const appSeen = new Promise<number>((resolve) => (waitingApp = { state, resolve: () => resolve(performance.now() - t0) }))
        const cliSeen = new Promise<number>((resolve) => (waitingCli = { action, resolve: () => resolve(performance.now() - t0) }))
        await dockerCall(docker.socketPath, 'POST', `/containers/${id}/${action}`)
        const [a, c] = await Promise.all([appSeen, cliSeen])
        app.push(a)
        peer.push(c)
      }
    }
    // What one re-inspect costs by itself: a new exec channel and a `docker system dial-stdio` process per request.
    const single: number[] = []
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now()
      await services.router.call('containers.health', { hostId: 'bench-droplet', id }, ctx)
      single.push(performance.now() - t0)
    }
    const a = stats(app)
    const p = stats(peer)
    console.log(`containers.watch, ${app.length} changes (pause/unpause) through SSH + re-inspect: ${fmt(a)}`)
    console.log(`peer: docker events on the local socket:                     ${fmt(p)}`)
    console.log(`one Engine API request (containers.health: channel + dial-stdio + inspect): ${fmt(stats(single))}`)
    console.log(`ratio (median): ${(a.median / p.median).toFixed(2)}x; added by SSH and the re-inspect: ${(a.median - p.median).toFixed(1)} ms`)
  } finally {
    cli.kill()
    await ctx.dispose()
    await services.dispose()
    await droplets.stop()
    await docker.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
