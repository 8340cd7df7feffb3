// What the bench's dockerd holds: images built locally (no registry is reachable) and the
// containers an operator meets in the seed documents: Compose projects `e2i` (000: mlflow,
// opik-frontend) and `odoo` (002), one container healthy, one unhealthy, one exited, plus a
// plain container with no health check. Health checks run every second or so, so tests see
// the final states within seconds rather than after Docker's default 30 s interval.
import { dockerCall, dockerRequest, streamError, listContainers, healthOf } from './docker-api'
import { tar } from './tar'
import { baseRootfs, findStaticBusybox, webRootfs, WEB_VERSIONS } from './busybox-rootfs'
import { waitFor } from './proc'

export const BASE_IMAGE = 'dropdeck/busybox:1'
export const WEB_REPO = 'dropdeck/web'
/** Every container and image the bench creates carries this label. */
export const FLEET_LABEL = 'com.dropdeck.fleet'

type Expect = 'healthy' | 'unhealthy' | 'exited' | 'running'

interface ContainerSpec {
  name: string
  project?: string
  service?: string
  workingDir?: string
  tag: string
  /** The port the service has on the real droplet; the bench adds portOffset. */
  port: number
  expect: Expect
  cmd?: string[]
  healthcheck: boolean
}

export const SEEDED_CONTAINERS: ContainerSpec[] = [
  { name: 'e2i-mlflow-1', project: 'e2i', service: 'mlflow', workingDir: '/opt/e2i_causal_analytics/docker', tag: 'deploy_bbbbbbbb', port: 5000, expect: 'healthy', healthcheck: true },
  { name: 'e2i-opik-frontend-1', project: 'e2i', service: 'opik-frontend', workingDir: '/opt/e2i_causal_analytics/docker', tag: 'deploy_aaaaaaaa', port: 5173, expect: 'healthy', healthcheck: true },
  // the broken build has no /health: its health check fails while httpd keeps serving
  { name: 'odoo-odoo-1', project: 'odoo', service: 'odoo', workingDir: '/opt/odoo', tag: 'deploy_cccccccc', port: 8069, expect: 'unhealthy', healthcheck: true },
  {
    name: 'odoo-ocr-adapter-1',
    project: 'odoo',
    service: 'ocr-adapter',
    workingDir: '/opt/odoo',
    tag: 'deploy_bbbbbbbb',
    port: 8100,
    expect: 'exited',
    healthcheck: true,
    cmd: ['/bin/sh', '-c', 'echo "ocr-adapter: connecting to ocr-service:8090"; echo "Error: connect ECONNREFUSED 10.114.0.3:8090" >&2; exit 1'],
  },
  { name: 'tax-rules-service', tag: 'deploy_aaaaaaaa', port: 9000, expect: 'running', healthcheck: false },
]

export interface SeededContainer {
  id: string
  name: string
  image: string
  port: number
  expect: Expect
  project?: string
  service?: string
}

interface DockerRef {
  socketPath: string
}

async function importImage(docker: DockerRef, repo: string, tag: string, rootfs: Buffer, changes: string[]): Promise<void> {
  const res = await dockerCall(docker.socketPath, 'POST', '/images/create', {
    query: { fromSrc: '-', repo, tag, changes, message: 'dropdeck fleet bench' },
    body: rootfs,
    timeoutMs: 120_000,
  })
  const err = streamError(res.text)
  if (err) throw new Error(`docker import ${repo}:${tag} failed: ${err}`)
}

/** Build dropdeck/busybox:1 and dropdeck/web:deploy_{aaaaaaaa,bbbbbbbb,cccccccc} (+ latest). */
export async function seedImages(docker: DockerRef, opts: { busyboxPath?: string } = {}): Promise<string[]> {
  const base = baseRootfs(opts.busyboxPath ?? findStaticBusybox())
  await importImage(docker, 'dropdeck/busybox', '1', tar(base), ['CMD ["/bin/sh"]', `LABEL ${FLEET_LABEL}=seed`])
  const images = [BASE_IMAGE]
  for (const v of WEB_VERSIONS) {
    await importImage(docker, WEB_REPO, v.tag, tar(webRootfs(base, v)), [
      'ENV PORT=8080',
      'WORKDIR /www',
      `LABEL ${FLEET_LABEL}=seed org.opencontainers.image.title=web org.opencontainers.image.version=${v.tag} org.opencontainers.image.created=${v.builtAt}`,
      // -f: foreground (PID 1); -vv: log each request's url and status, so `docker logs` has lines
      'CMD ["/bin/sh", "-c", "exec httpd -f -vv -p 127.0.0.1:${PORT} -h /www"]',
    ])
    images.push(`${WEB_REPO}:${v.tag}`)
  }
  // `latest` follows the current release; rollbacks must use the deploy_ tags (seed 004)
  await dockerCall(docker.socketPath, 'POST', `/images/${WEB_REPO}:deploy_bbbbbbbb/tag`, { query: { repo: WEB_REPO, tag: 'latest' } })
  images.push(`${WEB_REPO}:latest`)
  return images
}

/**
 * Create and start the seed containers (replacing any of the same name), all with --network host.
 * portOffset moves every service port (default 10000: mlflow on 15000, odoo on 18069...) so that
 * two benches, or a bench and a test, do not collide.
 */
export async function seedContainers(docker: DockerRef, opts: { portOffset?: number; healthIntervalMs?: number } = {}): Promise<SeededContainer[]> {
  const offset = opts.portOffset ?? 10_000
  const intervalNs = (opts.healthIntervalMs ?? 1000) * 1e6
  const out: SeededContainer[] = []
  for (const spec of SEEDED_CONTAINERS) {
    const port = spec.port + offset
    const image = `${WEB_REPO}:${spec.tag}`
    await dockerRequest(docker.socketPath, 'DELETE', `/containers/${spec.name}`, { query: { force: true } })
    const labels: Record<string, string> = { [FLEET_LABEL]: 'seed' }
    if (spec.project) {
      Object.assign(labels, {
        'com.docker.compose.project': spec.project,
        'com.docker.compose.service': spec.service!,
        'com.docker.compose.container-number': '1',
        'com.docker.compose.oneoff': 'False',
        'com.docker.compose.project.working_dir': spec.workingDir!,
        'com.docker.compose.project.config_files': `${spec.workingDir}/docker-compose.yml`,
        'com.docker.compose.version': '2.24.6',
      })
    }
    const created = await dockerCall(docker.socketPath, 'POST', '/containers/create', {
      query: { name: spec.name },
      body: {
        Image: image,
        Env: [`PORT=${port}`],
        Labels: labels,
        ...(spec.cmd ? { Cmd: spec.cmd } : {}),
        ...(spec.healthcheck
          ? {
              Healthcheck: {
                Test: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:$PORT/health || exit 1'],
                Interval: intervalNs,
                Timeout: 2e9,
                Retries: 2,
                StartPeriod: 0,
              },
            }
          : {}),
        HostConfig: { NetworkMode: 'host', RestartPolicy: { Name: 'no' } },
      },
    })
    const id = created.json<{ Id: string }>().Id
    await dockerCall(docker.socketPath, 'POST', `/containers/${id}/start`)
    if (spec.expect === 'exited') await dockerCall(docker.socketPath, 'POST', `/containers/${id}/wait`, { timeoutMs: 30_000 })
    out.push({ id, name: spec.name, image, port, expect: spec.expect, project: spec.project, service: spec.service })
  }
  return out
}

/** Wait until every seeded container shows the state it was built to show. */
export async function waitForSeededStates(docker: DockerRef, seeded: SeededContainer[], timeoutMs = 30_000, signal?: AbortSignal): Promise<void> {
  await waitFor(
    async () => {
      const all = await listContainers(docker.socketPath)
      return seeded.every((s) => {
        const c = all.find((x) => x.Id === s.id)
        if (!c) return false
        if (s.expect === 'exited') return c.State === 'exited'
        if (s.expect === 'running') return c.State === 'running'
        return c.State === 'running' && healthOf(c) === s.expect
      })
    },
    { timeoutMs, intervalMs: 250, what: 'seeded containers to reach healthy/unhealthy/exited', abort: () => (signal?.aborted ? 'aborted' : undefined) },
  )
}
