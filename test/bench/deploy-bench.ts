/**
 * bench:deploy: a Dropdeck deploy against the same steps typed by hand over OpenSSH on the same bench
 * service, in the same run, alternating which goes first; a rollback to a retained version; and the gap
 * (requests refused while switching) of a service on the host network, probed every 25 ms from this machine;
 * and the gap of two Compose services side by side (docker-compose v1), one on the host network
 * (stop-then-start) and one with no host port (started beside the old container): the longest time the
 * service had no healthy running container, sampled every 25 ms over the Engine API, plus the HTTP probe
 * for the one with a port. Prints figures and ratios; asserts nothing.
 *
 *   npm run bench:deploy                # 3 rounds
 *   BENCH_ROUNDS=5 npm run bench:deploy
 *
 * The bench image's httpd runs as PID 1 and ignores SIGTERM, so every stop waits out Docker's stop
 * timeout (BENCH_STOP_SECONDS, default 10, set on the container as StopTimeout): the same for both sides.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { createServices } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import type { DeployEntry } from '../../src/shared/contract/deploys'
import { startDocker, seedImages } from '../fleet/dockerd'
import { dockerCall, listContainers, healthOf } from '../fleet/docker-api'
import { isPortFree } from '../fleet/net'
import { findExecutable, run as runCommand, waitFor } from '../fleet/proc'
import { startDroplets } from '../fleet/sshd'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { memoryKeychain } from '../ssh/support/ssh-env'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const STOP_SECONDS = Number(process.env.BENCH_STOP_SECONDS ?? 10)
const HOST = 'deploy-bench'
const HEALTH = 'wget -q -O /dev/null http://127.0.0.1:$PORT/health || exit 1'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`

async function main(): Promise<void> {
  const dir = mkdtempSync('/tmp/ddb-')
  const docker = await startDocker({ dir: path.join(dir, 'd') })
  const droplets = await startDroplets({ count: 1, dir: path.join(dir, 'ssh'), names: [HOST], port: 'auto', baseAddress: '127.0.39.40', env: { DOCKER_HOST: docker.env.DOCKER_HOST, DROPDECK_STATE_DIR: path.join(dir, 'state') } })
  const files = writeSshClientFiles(dir, droplets.droplets)
  const services = createServices({ dataDir: path.join(dir, 'data'), version: 'bench', keychain: memoryKeychain(), env: { DROPDECK_SSH_CONFIG: files.sshConfigPath }, log: () => undefined })
  const ctx = createCallContext('bench:deploy', () => services.bus)
  try {
    await seedImages(docker)
    let port = 39_700
    while (!(await isPortFree('127.0.0.1', port))) port++
    const run = async (tag: string) => {
      const created = await dockerCall(docker.socketPath, 'POST', '/containers/create', {
        query: { name: 'shop' },
        body: { Image: `dropdeck/web:${tag}`, Env: [`PORT=${port}`], StopTimeout: STOP_SECONDS, Healthcheck: { Test: ['CMD-SHELL', HEALTH], Interval: 500e6, Timeout: 2e9, Retries: 2 }, HostConfig: { NetworkMode: 'host' } }
      })
      await dockerCall(docker.socketPath, 'POST', `/containers/${created.json<{ Id: string }>().Id}/start`)
    }
    await run('deploy_bbbbbbbb')
    const healthy = () => waitFor(async () => (await listContainers(docker.socketPath)).some((c) => c.Names.includes('/shop') && healthOf(c) === 'healthy'), { timeoutMs: 60_000, intervalMs: 100, what: 'shop healthy' })
    await healthy()

    /** Resolves with the entry once the deploy finished, and the time its switch step ended (the new version serving). */
    const finished = (deployId: string) =>
      new Promise<{ entry: DeployEntry; switchedAt: number | null }>((resolve) => {
        let switchedAt: number | null = null
        const off = services.bus.subscribe((event, payload) => {
          const p = payload as { id?: string; phase?: string; entry?: DeployEntry | null; step?: { step: string; status: string } }
          if (p.id !== deployId) return
          if (event === 'deploys.data' && p.step?.step === 'switch' && p.step.status === 'ok') switchedAt = performance.now()
          if (event === 'deploys.state' && p.phase === 'finished' && p.entry) {
            off()
            resolve({ entry: p.entry, switchedAt })
          }
        })
      })
    const call = async <T>(method: string, params: object): Promise<T> => {
      const r = await services.router.call(method, params, ctx)
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`)
      return r.result as T
    }
    /** One Dropdeck deploy (or rollback): from the call to the healthy new version. */
    const appDeploy = async (tag: string, rollback = false): Promise<{ ms: number; servingMs: number; entry: DeployEntry }> => {
      const t0 = performance.now()
      const { deployId } = await call<{ deployId: string }>(rollback ? 'deploys.rollback' : 'deploys.start', { hostId: HOST, serviceId: 'container:shop', tag, ...(rollback ? { confirm: 'shop' } : {}) })
      const { entry, switchedAt } = await finished(deployId)
      if (entry.result !== 'succeeded') throw new Error(`deploy of ${tag}: ${entry.result} ${entry.reason}`)
      const ms = performance.now() - t0
      return { ms, servingMs: switchedAt === null ? ms : switchedAt - t0, entry }
    }
    /** The same steps typed by hand over OpenSSH: pull (present: a no-op), replace, poll health. */
    const byHand = async (tag: string): Promise<number> => {
      const script = [
        `docker pull dropdeck/web:${tag} >/dev/null 2>&1 || docker image inspect dropdeck/web:${tag} >/dev/null`,
        'docker stop shop >/dev/null && docker rm shop >/dev/null',
        `docker run -d --name shop --network host -e PORT=${port} --stop-timeout ${STOP_SECONDS} --health-cmd '${HEALTH}' --health-interval 500ms --health-timeout 2s --health-retries 2 dropdeck/web:${tag} >/dev/null`,
        'until [ "$(docker inspect -f "{{.State.Health.Status}}" shop)" = healthy ]; do sleep 0.2; done'
      ].join(' && ')
      const t0 = performance.now()
      await new Promise<void>((resolve, reject) => execFile('ssh', ['-F', files.sshConfigPath, HOST, script], { timeout: 120_000 }, (err, _o, e) => (err ? reject(new Error(`ssh: ${e || err.message}`)) : resolve())))
      return performance.now() - t0
    }

    // Warm up the SSH connection and the docker dial path once on each side.
    await call('deploys.services', { hostId: HOST })
    const app: number[] = []
    const serving: number[] = []
    const hand: number[] = []
    const gaps: number[] = []
    const refused: number[] = []
    let tag = 'deploy_aaaaaaaa'
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? ['app', 'hand'] : ['hand', 'app']
      for (const who of order) {
        if (who === 'app') {
          const probe = startProbe(port)
          const { ms, servingMs, entry } = await appDeploy(tag)
          const p = probe.stop()
          app.push(ms)
          serving.push(servingMs)
          if (entry.gapMs !== null) gaps.push(entry.gapMs)
          refused.push(p.longestDownMs)
        } else {
          hand.push(await byHand(tag))
          await healthy()
        }
        tag = tag === 'deploy_aaaaaaaa' ? 'deploy_bbbbbbbb' : 'deploy_aaaaaaaa'
      }
    }
    // Rollback to a retained version, click to healthy.
    const current = (await call<{ services: Array<{ id: string; running: { tag: string } }> }>('deploys.services', { hostId: HOST })).services.find((x) => x.id === 'container:shop')!.running.tag
    const back = current === 'deploy_aaaaaaaa' ? 'deploy_bbbbbbbb' : 'deploy_aaaaaaaa'
    const rollbacks: number[] = []
    for (let i = 0; i < ROUNDS; i++) rollbacks.push((await appDeploy(i % 2 === 0 ? back : current, true)).servingMs)

    console.log(`bench:deploy, ${ROUNDS} rounds, stop timeout ${STOP_SECONDS} s (host-network service: stop-then-start)`)
    console.log(`  Dropdeck deploy, call to switched:     median ${s(median(serving))}  (${serving.map(s).join(', ')})  (the new version healthy and named)`)
    console.log(`  Dropdeck deploy, call to finished:     median ${s(median(app))}  (${app.map(s).join(', ')})  (+ keep versions, release, history)`)
    console.log(`  by hand over ssh (pull, replace, poll): median ${s(median(hand))}  (${hand.map(s).join(', ')})`)
    console.log(`  ratio Dropdeck / by hand:              ${(median(serving) / median(hand)).toFixed(2)}x to switched, ${(median(app) / median(hand)).toFixed(2)}x to finished`)
    console.log(`  rollback to a retained version, to switched: median ${s(median(rollbacks))}  (${rollbacks.map(s).join(', ')})`)
    console.log(`  gap measured by the deploy (stop to healthy): median ${s(median(gaps))}`)
    console.log(`  longest run of refused probes (25 ms): median ${s(median(refused))}`)
    console.log('  a plain container with no host port starts beside the old one: gap 0 by construction (see the deploys test)')
    if (findExecutable('docker-compose')) await composeGaps({ docker, dir, call, finished, port: port + 1 })
    else console.log('  (docker-compose missing: no Compose figures)')
  } finally {
    await ctx.dispose()
    await services.dispose()
    await droplets.stop()
    await docker.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Two services of one Compose project, deployed in turn: `hostweb` on the host network (stop-then-start,
 * stop_grace_period BENCH_STOP_SECONDS) and `innerweb` with no network of its own (beside the old one).
 */
async function composeGaps(b: {
  docker: { socketPath: string; env: { DOCKER_HOST: string } }
  dir: string
  call: <T>(method: string, params: object) => Promise<T>
  finished: (deployId: string) => Promise<{ entry: DeployEntry; switchedAt: number | null }>
  port: number
}): Promise<void> {
  let port = b.port
  while (!(await isPortFree('127.0.0.1', port))) port++
  const projectDir = path.join(b.dir, 'benchc')
  mkdirSync(projectDir)
  const service = (name: string, network: string, env: string) => [
    `  ${name}:`,
    '    image: dropdeck/web:deploy_bbbbbbbb',
    `    network_mode: ${network}`,
    `    stop_grace_period: ${STOP_SECONDS}s`,
    `    environment: [${env}]`,
    '    healthcheck:',
    `      test: ["CMD-SHELL", "${HEALTH.replace(/\$/g, '$$$$')}"]`,
    '      interval: 500ms',
    '      timeout: 2s',
    '      retries: 2'
  ]
  writeFileSync(path.join(projectDir, 'docker-compose.yml'), ['version: "3.8"', 'services:', ...service('hostweb', 'host', `PORT=${port}`), ...service('innerweb', 'none', 'PORT=8080'), ''].join('\n'))
  await runCommand('sh', ['-c', `cd '${projectDir}' && DOCKER_HOST='${b.docker.env.DOCKER_HOST}' docker-compose -p benchc up -d`], { timeoutMs: 120_000 })
  const containersOf = (name: string) => listContainers(b.docker.socketPath, { label: ['com.docker.compose.project=benchc', `com.docker.compose.service=${name}`] })
  for (const name of ['hostweb', 'innerweb']) await waitFor(async () => (await containersOf(name)).some((c) => healthOf(c) === 'healthy'), { timeoutMs: 60_000, intervalMs: 200, what: `${name} healthy` })
  const rows: Record<string, { mode: string; gaps: number[]; noHealthy: number[]; refused: number[] }> = {}
  let tag = 'deploy_aaaaaaaa'
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of ['hostweb', 'innerweb']) {
      const probe = name === 'hostweb' ? startProbe(port) : null
      const sampler = startHealthySampler(() => containersOf(name))
      const { deployId } = await b.call<{ deployId: string }>('deploys.start', { hostId: HOST, serviceId: `compose:benchc/${name}`, tag })
      const { entry } = await b.finished(deployId)
      const noHealthy = await sampler.stop()
      const refused = probe?.stop().longestDownMs
      if (entry.result !== 'succeeded') throw new Error(`compose deploy of ${name} ${tag}: ${entry.result} ${entry.reason}`)
      const svc = (await b.call<{ services: Array<{ id: string; switchMode: string }> }>('deploys.services', { hostId: HOST })).services.find((x) => x.id === `compose:benchc/${name}`)!
      const row = (rows[name] ??= { mode: svc.switchMode, gaps: [], noHealthy: [], refused: [] })
      if (entry.gapMs !== null) row.gaps.push(entry.gapMs)
      row.noHealthy.push(noHealthy)
      if (refused !== undefined) row.refused.push(refused)
    }
    tag = tag === 'deploy_aaaaaaaa' ? 'deploy_bbbbbbbb' : 'deploy_aaaaaaaa'
  }
  console.log(`  Compose services (docker-compose v1), ${ROUNDS} deploys each:`)
  for (const [name, r] of Object.entries(rows)) {
    const refused = r.refused.length ? `, longest run of refused probes median ${s(median(r.refused))}` : ''
    console.log(`    ${name} (${r.mode}): gap by the deploy median ${s(median(r.gaps))}; longest time without a healthy container (Engine API, 25 ms) median ${s(median(r.noHealthy))} (${r.noHealthy.map(s).join(', ')})${refused}`)
  }
}

/** Lists the service's containers every 25 ms; the longest time none of them was running and healthy. */
function startHealthySampler(list: () => Promise<Array<{ State: string; Status: string }>>): { stop(): Promise<number> } {
  let stopped = false
  let downSince: number | null = null
  let longest = 0
  const loop = (async () => {
    while (!stopped) {
      const ok = (await list().catch(() => [])).some((c) => c.State === 'running' && /\(healthy\)/.test(c.Status))
      const now = performance.now()
      if (ok) {
        if (downSince !== null) longest = Math.max(longest, now - downSince)
        downSince = null
      } else downSince ??= now
      await new Promise((r) => setTimeout(r, 25))
    }
  })()
  return {
    async stop() {
      stopped = true
      await loop
      if (downSince !== null) longest = Math.max(longest, performance.now() - downSince)
      return longest
    }
  }
}

/** GETs / every 25 ms; the longest time no request was answered. */
function startProbe(port: number): { stop(): { longestDownMs: number } } {
  let downSince: number | null = null
  let longest = 0
  let stopped = false
  const tick = () => {
    if (stopped) return
    const req = http.get({ host: '127.0.0.1', port, path: '/', timeout: 1000 }, (res) => {
      res.resume()
      if (downSince !== null) longest = Math.max(longest, performance.now() - downSince)
      downSince = null
      setTimeout(tick, 25)
    })
    req.on('error', () => {
      downSince ??= performance.now()
      setTimeout(tick, 25)
    })
    req.on('timeout', () => req.destroy())
  }
  tick()
  return {
    stop() {
      stopped = true
      if (downSince !== null) longest = Math.max(longest, performance.now() - downSince)
      return { longestDownMs: longest }
    }
  }
}

void main().catch((err: Error) => {
  console.error(err.stack ?? err.message)
  process.exit(1)
})
