/**
 * The Health capability wired together: checks (./checks-service.ts) and their alerts, metrics
 * sampled from connected hosts, and the audit report; all reading the rest of the app through
 * ./sources.ts. Handlers for checks.*, alerts.*, metrics.* and report.generate.
 */
import type { checksMethods } from '../../shared/contract/checks'
import type { reportMethods } from '../../shared/contract/report'
import { AlertsService } from '../alerts/alerts-service'
import type { OpsDeps } from '../app/ops-deps'
import type { DockerEngine } from '../docker/engine'
import { MetricsSampler } from '../metrics/metrics-sampler'
import { MetricsStore } from '../metrics/metrics-store'
import { collectAudit } from '../report/audit-data'
import { renderReport } from '../report/render'
import { createCallContext } from '../rpc/context'
import type { HandlersFor, Router } from '../rpc/router'
import { ChecksService, createChecksHandlers, type ChecksTuning } from './checks-service'
import { createSources } from './sources'


export interface HealthTuning {
  checks?: ChecksTuning
  /** Metrics sampling period (15 s). */
  sampleMs?: number
}

export interface HealthDeps extends OpsDeps {
  router: () => Router
  engine: DockerEngine
  fetch: typeof fetch
  env: NodeJS.ProcessEnv
  tuning?: HealthTuning
}

export interface HealthServices {
  handlers: HandlersFor<typeof checksMethods & typeof reportMethods>
  checks: ChecksService
  alerts: AlertsService
  metrics: { store: MetricsStore; sampler: MetricsSampler }
  start(): void
  dispose(): Promise<void>
}

export function createHealthServices(deps: HealthDeps): HealthServices {
  // The app's own calls (checks reading containers, DNS...) own nothing that must outlive a client.
  const ctx = createCallContext('app:health', deps.bus)
  const sources = createSources(deps.router, ctx, deps.ssh, deps.engine)
  const alerts = new AlertsService({ dataDir: deps.dataDir, bus: deps.bus, fetch: deps.fetch, log: deps.log })
  const checks = new ChecksService({ dataDir: deps.dataDir, bus: deps.bus, log: deps.log, sources, alerts, fetch: deps.fetch, env: deps.env, tuning: deps.tuning?.checks })
  const store = new MetricsStore(deps.dataDir, deps.log)
  // Which hosts are connected, from the pool's state changes: sampling never lists hosts (which would
  // ask DigitalOcean for droplets) and never connects one.
  const connected = new Set<string>()
  const unsubscribe = deps.bus.subscribe((event, payload) => {
    if (event !== 'hosts.changed') return
    const host = payload as { id: string; state: string }
    if (host.state === 'connected') connected.add(host.id)
    else connected.delete(host.id)
  })
  const sampler = new MetricsSampler({ store, connected: () => [...connected], exec: (hostId, command, options) => deps.ssh.exec(hostId, command, options), threshold: () => sources.threshold(), log: deps.log, intervalMs: deps.tuning?.sampleMs })

  const handlers: HandlersFor<typeof checksMethods & typeof reportMethods> = {
    ...createChecksHandlers(checks),
    'alerts.list': ({ limit }) => alerts.list(limit),
    'alerts.acknowledge': ({ id }) => alerts.acknowledge(id),
    'alerts.webhook.get': () => alerts.webhook(),
    'alerts.webhook.set': ({ url }) => alerts.setWebhook(url),
    'alerts.webhook.test': () => alerts.testWebhook(),
    'metrics.host': async ({ hostId, range }) => ({ hostId, range, ...(await store.query(hostId, range)) }),
    'report.generate': async ({ format }) => {
      const data = await collectAudit(sources, () => checks.list())
      const generatedAt = new Date().toISOString()
      return { content: renderReport(data, format, generatedAt), generatedAt }
    }
  }
  return {
    handlers,
    checks,
    alerts,
    metrics: { store, sampler },
    start() {
      void checks.start().catch((err: Error) => deps.log(`checks: could not start (${err.message})`))
      sampler.start()
    },
    async dispose() {
      unsubscribe()
      sampler.stop()
      await checks.dispose()
      await Promise.allSettled([alerts.flush(), store.flush(), ctx.dispose()])
    }
  }
}
