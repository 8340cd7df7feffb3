/**
 * deploys.*: services found from the host's containers, deploys and rollbacks run by ./deploy-run.ts,
 * the lock and history kept on the host (./host-state.ts), per-service settings kept locally, and the
 * runs of this app (kept a while after they finish) so a window that reconnects picks a deploy up.
 * Progress goes out as `deploys.data` (one step event) and `deploys.state` (phase, cancellable, entry).
 */
import { randomBytes } from 'node:crypto'
import { hostname, userInfo } from 'node:os'
import path from 'node:path'
import { z } from 'zod'
import type { EventPayload } from '../../shared/contract'
import {
  defaultDeploySettings,
  DeploySettingsSchema,
  type ComposeCli,
  type DeployEntry,
  type DeployRun as DeployRunView,
  type DeployService,
  type DeploySettings,
  type DeployStep,
  type deploysMethods
} from '../../shared/contract/deploys'
import { DropdeckError } from '../../shared/errors'
import type { OpsDeps } from '../app/ops-deps'
import type { HandlersFor } from '../rpc/router'
import type { CallContext, Ownership } from '../rpc/context'
import { JsonFile } from '../storage/json-file'
import { AuditLog } from '../providers/audit/audit-log'
import { DETECT_COMPOSE, parseComposeDetection } from './compose-cli'
import { DeployRun, lockedError } from './deploy-run'
import { builtAt, HostDocker, splitImage } from './host-docker'
import { HostState, publicLock, type LockInfo } from './host-state'
import { discoverServices, listedHealth, type FoundService } from './service-discovery'
import { recover } from './recovery'
import type { DropletGuard } from './droplet-guard'
import { registryAuthHeader, registryOf } from './registry-auth'
import type { DoRegistry } from '../providers/digitalocean/registry'
import { listRefs, prepareGitDeploy, requireBuild, type GitPlan } from './git-source'


export interface DeploysTuning {
  /** How long a lock may go without its holder writing to it before it counts as stale (default 15 min). */
  lockTimeoutMs?: number
  /** How long a run waits for the host to answer again after a cut (default 120 s). */
  reconnectWaitMs?: number
  /** Test seam: awaited at named points of each run (see DeployRun). */
  pause?: (deployId: string, point: string) => Promise<void>
  /** The operator's clock (default Date.now); a test sets it off. Locks are judged stale on the host's clock, not this one. */
  now?: () => number
}

interface Tracked {
  run: DeployRun
  view: DeployRunView
  done: Promise<DeployEntry>
  /** The clients that started or opened the deploy's stream: its events go to them only. */
  clients: Map<string, { ctx: CallContext; ownership: Ownership }>
}

/** A stream event for each client that holds the deploy's stream, and no other. */
function emitTo<E extends 'deploys.data' | 'deploys.state'>(event: E, payload: EventPayload<E>, clients: Tracked['clients']): void {
  for (const { ctx } of clients.values()) ctx.emit(event, payload)
}

const SettingsFileSchema = z.record(z.string(), DeploySettingsSchema.partial())
const KEEP_FINISHED_MS = 10 * 60_000
/** DigitalOcean's docker credentials for a pull live this long: enough for a slow pull, useless soon after. */
const DOCR_CREDENTIALS_SECONDS = 900

export interface DeploysServices {
  handlers: HandlersFor<typeof deploysMethods>
  /** Resolves when deploy `id` finished (tests, the bench). */
  finished(deployId: string): Promise<DeployEntry>
  dispose(): Promise<void>
}

export function createDeploysServices(deps: OpsDeps & { dropletGuard?: DropletGuard; docr?: DoRegistry }, tuning: DeploysTuning = {}): DeploysServices {
  const state = new HostState((hostId, command, options) => deps.ssh.exec(hostId, command, options))
  const audit = new AuditLog(deps.dataDir, deps.bus, deps.log)
  const settingsFile = new JsonFile<Record<string, Partial<DeploySettings>>>({
    file: path.join(deps.dataDir, 'deploy-settings.json'),
    schema: SettingsFileSchema,
    empty: () => ({}),
    kind: 'deploy settings',
    startsFrom: 'default deploy settings',
    log: deps.log,
    logPrefix: 'deploys'
  })
  const runs = new Map<string, Tracked>()
  const composeByHost = new Map<string, Promise<ComposeCli | null>>()
  const lockTimeoutMs = tuning.lockTimeoutMs ?? 15 * 60_000
  const now = tuning.now ?? Date.now
  const who = (() => {
    try {
      return userInfo().username
    } catch {
      return 'unknown'
    }
  })()
  const machine = hostname()

  const composeOf = (hostId: string) => {
    let p = composeByHost.get(hostId)
    if (!p) {
      p = deps.ssh.exec(hostId, DETECT_COMPOSE, { timeoutMs: 20_000 }).then((r) => parseComposeDetection(r.stdout))
      p.catch(() => composeByHost.delete(hostId))
      composeByHost.set(hostId, p)
    }
    return p
  }

  const settingsKey = (hostId: string, serviceId: string) => `${hostId} ${serviceId}`
  const settingsOf = async (hostId: string, serviceId: string): Promise<DeploySettings> => ({ ...defaultDeploySettings, ...(await settingsFile.read())[settingsKey(hostId, serviceId)] })

  const find = async (hostId: string, serviceId: string, docker = new HostDocker(deps.engine, hostId)): Promise<FoundService> => {
    const svc = discoverServices(await docker.containers()).find((s) => s.id === serviceId)
    if (!svc) throw new DropdeckError('NOT_FOUND', `${hostId} has no service ${serviceId}; its containers may have been removed. Refresh the Deploys list.`)
    return svc
  }

  const liveRunFor = (hostId: string, serviceId: string) => [...runs.values()].find((t) => t.view.phase === 'running' && t.view.hostId === hostId && t.view.serviceId === serviceId)

  const waitForHost = (hostId: string) => async () => {
    const deadline = Date.now() + (tuning.reconnectWaitMs ?? 120_000)
    for (;;) {
      try {
        await deps.engine.request(hostId, 'GET', '/_ping', { timeoutMs: 10_000 })
        return
      } catch (err) {
        if (Date.now() > deadline) throw new DropdeckError('UPSTREAM', `${hostId} did not answer again within ${Math.round((tuning.reconnectWaitMs ?? 120_000) / 1000)} s: ${(err as Error).message}`)
        await new Promise((r) => setTimeout(r, 1000))
      }
    }
  }

  const emitChanged = (hostId: string) => deps.bus.emit('deploys.changed', { hostId })

  async function begin(hostId: string, serviceId: string, tag: string, action: 'deploy' | 'rollback', caller: CallContext, unlock: boolean | undefined, login?: { username: string; password: string }, gitRef?: string): Promise<{ deployId: string }> {
    const live = liveRunFor(hostId, serviceId)
    if (live) throw lockedError(serviceId, live.run.lockInfo())
    // Before anything reaches the host: a droplet without the managed tag is read-only unless unlocked for this action.
    await deps.dropletGuard?.(hostId, unlock, `${action} ${serviceId}:${gitRef ? `git ${gitRef}` : tag}`)
    // The run's own kept-open Engine channel (a deploy makes dozens of requests), from the first lookup on.
    const runDocker = new HostDocker(deps.engine, hostId, true)
    let svc: FoundService
    let git: GitPlan | undefined
    try {
      svc = await find(hostId, serviceId, runDocker)
      // A git deploy: refused now (no build:, unknown ref, local changes) before any deploy starts; builds deploy_<id8 of the commit>.
      if (gitRef) {
        await requireBuild((h, c, o) => deps.ssh.exec(h, c, o), hostId, await composeOf(hostId).catch(() => null), svc)
        git = await prepareGitDeploy((h, c, o) => deps.ssh.exec(h, c, o), hostId, svc.compose!.workingDir, gitRef)
        tag = `deploy_${git.commit.slice(0, 8)}`
      } else if (svc.compose) {
        // A version built from git before (a rollback to it): its commit is checked out again, no rebuild.
        const built = (await state.history(hostId, 500).catch(() => [])).find((e) => e.serviceId === serviceId && e.git && e.toImage === `${svc.repo}:${tag}`)
        if (built?.git) git = { ...built.git, workingDir: svc.compose.workingDir, repoDir: svc.compose.workingDir }
      }
    } catch (err) {
      runDocker.close()
      throw err
    }
    const docker = runDocker
    const deployId = randomBytes(8).toString('hex')
    const settings = await settingsOf(hostId, serviceId)
    const view: DeployRunView = { id: deployId, deployId, hostId, serviceId, action, toImage: `${svc.repo}:${tag}`, phase: 'running', steps: [], cancellable: true, entry: null }
    const clients: Tracked['clients'] = new Map()
    let seq = 0
    const run = new DeployRun(
      {
        docker: runDocker,
        state,
        exec: (h, c, o) => deps.ssh.exec(h, c, o),
        client: () => deps.ssh.pool.acquire(hostId),
        who,
        machine,
        settings,
        lockTimeoutMs,
        compose: () => composeOf(hostId),
        waitForHost: waitForHost(hostId),
        onStep: (step: DeployStep) => {
          view.steps.push(step)
          emitTo('deploys.data', { id: deployId, seq: ++seq, step }, clients)
        },
        onCancellable: (cancellable) => {
          if (view.cancellable === cancellable) return
          view.cancellable = cancellable
          emitTo('deploys.state', { id: deployId, phase: view.phase, cancellable, entry: null }, clients)
        },
        pause: tuning.pause ? (point) => tuning.pause!(deployId, point) : undefined
      },
      { deployId, hostId, service: svc, action, tag, lockHeld: false, ...(git ? { git, gitBuiltBefore: !gitRef } : {}), ...(login ? { registryAuth: registryAuthHeader({ ...login, serveraddress: registryOf(svc.repo) }) } : {}) }
    )
    // With the image already on the host there is nothing to do outside the lock: take it now, so a
    // second deploy of the same service fails right here with DEPLOY_LOCKED and the holder.
    try {
      const onHost = await docker.image(`${svc.repo}:${tag}`)
      if (onHost) {
        const got = await state.acquire(run.lockInfo())
        if (!got.acquired) throw lockedError(serviceId, got.holder)
        run.req.lockHeld = true
      } else {
        // An image in the team's DigitalOcean registry is pulled with DigitalOcean's short-lived docker
        // credentials (asked for now, held in memory for this pull), unless the operator typed a login.
        const inDocr = !login && !git && deps.docr ? await deps.docr.locate(svc.repo) : null
        if (inDocr) run.req.registryAuth = registryAuthHeader(await deps.docr!.dockerCredentials(inDocr.registry, DOCR_CREDENTIALS_SECONDS))
        const held = (await state.locks(hostId)).find((l) => l.serviceId === serviceId)
        if (held && !publicLock(held, now()).stale) throw lockedError(serviceId, held)
      }
    } catch (err) {
      runDocker.close()
      throw err
    }
    const tracked: Tracked = { run, view, done: Promise.resolve(null as unknown as DeployEntry), clients }
    runs.set(deployId, tracked)
    subscribe(tracked, caller)
    emitChanged(hostId)
    const ctx = { clientId: caller.clientId }
    void audit.append(ctx, { action: `deploy.${action}`, target: `${serviceId} on ${hostId}: ${view.toImage}`, result: 'started', requestId: deployId }).catch(() => undefined)
    tracked.done = run.run().finally(() => runDocker.close()).then((entry) => {
      view.phase = 'finished'
      view.cancellable = false
      view.entry = entry
      emitTo('deploys.state', { id: deployId, phase: 'finished', cancellable: false, entry }, clients)
      emitChanged(hostId)
      void audit
        .append(ctx, { action: `deploy.${action}`, target: `${serviceId} on ${hostId}: ${entry.toImage}`, result: entry.result === 'succeeded' ? 'ok' : 'error', requestId: deployId, message: `${entry.result}${entry.reason ? `: ${entry.reason}` : ''}` })
        .catch(() => undefined)
      // The stream ended by itself: its clients no longer hold it.
      for (const { ownership } of clients.values()) ownership.release()
      clients.clear()
      const timer = setTimeout(() => runs.delete(deployId), KEEP_FINISHED_MS)
      timer.unref()
      return entry
    })
    return { deployId }
  }

  /** Makes the deploy's events go to `ctx` too, until it closes the stream or goes away. */
  function subscribe(t: Tracked, ctx: CallContext): void {
    if (t.clients.has(ctx.clientId) || t.view.phase === 'finished') return
    const ownership = ctx.own({ dispose: () => void t.clients.delete(ctx.clientId) })
    t.clients.set(ctx.clientId, { ctx, ownership })
  }

  async function listServices(hostId: string): Promise<{ services: DeployService[]; compose: ComposeCli | null }> {
    const docker = new HostDocker(deps.engine, hostId)
    const [containers, locks, history, compose, statePath] = await Promise.all([
      docker.containers(),
      state.locks(hostId),
      state.history(hostId, 500),
      composeOf(hostId).catch(() => null),
      state.path(hostId).catch(() => '~/.dropdeck')
    ])
    const found = discoverServices(containers)
    const imagesByRepo = new Map<string, Awaited<ReturnType<HostDocker['images']>>>()
    for (const repo of new Set(found.map((s) => s.repo))) imagesByRepo.set(repo, await docker.images(repo).catch(() => []))
    const services = found.map((s): DeployService => {
      const lock = locks.find((l) => l.serviceId === s.id)
      const retained = (imagesByRepo.get(s.repo) ?? [])
        .flatMap((img) => (img.RepoTags ?? []).filter((t) => splitImage(t).repo === s.repo).map((t) => ({ tag: splitImage(t).tag, createdAt: builtAt(img), imageId: img.Id, size: img.Size })))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.tag.localeCompare(a.tag))
      return {
        id: s.id,
        kind: s.kind,
        project: s.project,
        name: s.name,
        image: s.repo,
        running: { tag: splitImage(s.container.Image).tag, containerId: s.container.Id, containerName: s.container.Names[0]?.replace(/^\//, '') ?? s.container.Id.slice(0, 12), health: listedHealth(s.container) },
        retained,
        switchMode: s.switchMode,
        gapReason: s.gapReason,
        compose: s.compose ? { ...s.compose, overrideFile: `${statePath}/compose/${s.project}/${s.name}.override.yml` } : null,
        lock: lock ? publicLock(lock, now()) : null,
        lastDeploy: history.find((e) => e.serviceId === s.id) ?? null
      }
    })
    return { services, compose }
  }

  /** Clears a stale lock (never a live one) after the typed confirmation, and recovers from its journal. */
  async function takeover(hostId: string, serviceId: string, confirm: string | undefined, clientId: string): Promise<{ deployId: string }> {
    const held = (await state.locks(hostId)).find((l) => l.serviceId === serviceId)
    if (!held) throw new DropdeckError('NOT_FOUND', `${serviceId} on ${hostId} is not locked.`)
    const view = publicLock(held, now())
    const mine = runs.get(held.deployId)
    if (!view.stale || (mine && mine.view.phase === 'running')) throw lockedError(serviceId, held)
    const name = serviceId.replace(/^(compose:[^/]+\/|container:)/, '')
    if (confirm !== name) throw new DropdeckError('CONFIRMATION_REQUIRED', `Taking over the stale lock of ${serviceId} (held by ${held.who} on ${held.machine} since ${held.since}) recovers the service; confirm with its name.`, { data: { expected: name, holder: view } })
    const deployId = randomBytes(8).toString('hex')
    const docker = new HostDocker(deps.engine, hostId)
    const settings = await settingsOf(hostId, serviceId)
    const startedAt = new Date(now()).toISOString()
    const mineInfo: LockInfo = { deployId, hostId, serviceId, who, machine, what: `recover after ${held.who}'s ${held.what}`, since: startedAt, updatedAt: startedAt, timeoutMs: lockTimeoutMs }
    if (!(await state.breakLock(hostId, serviceId, held.deployId))) throw lockedError(serviceId, held)
    const got = await state.acquire(mineInfo)
    if (!got.acquired) throw lockedError(serviceId, got.holder)
    let result: DeployEntry['result'] = 'succeeded'
    let reason: string | null = `took over a stale lock held by ${held.who} on ${held.machine} since ${held.since}`
    try {
      if (held.journal) {
        const r = await recover({ docker, exec: (h, c, o) => deps.ssh.exec(h, c, o), state, hostId }, held.journal, { timeoutMs: settings.healthTimeoutMs, successes: settings.successes, healthUrl: settings.healthUrl, expectStatus: settings.expectStatus, client: () => deps.ssh.pool.acquire(hostId) })
        result = r.result === 'failed' ? 'failed' : 'succeeded'
        reason = `${reason}; ${r.detail}`
      }
    } finally {
      await state.release(hostId, serviceId, deployId).catch(() => undefined)
    }
    const entry: DeployEntry = {
      deployId,
      hostId,
      serviceId,
      action: 'recover',
      who,
      machine,
      fromImage: held.journal?.fromImage ?? null,
      toImage: held.journal?.toImage ?? held.what,
      startedAt,
      finishedAt: new Date(now()).toISOString(),
      result,
      reason,
      gapMs: null,
      healthOutput: [],
      logTail: []
    }
    await state.appendHistory(hostId, entry)
    void audit.append({ clientId }, { action: 'deploy.takeover', target: `${serviceId} on ${hostId}`, result: result === 'failed' ? 'error' : 'ok', requestId: deployId, message: reason ?? undefined }).catch(() => undefined)
    emitChanged(hostId)
    return { deployId }
  }

  const handlers: HandlersFor<typeof deploysMethods> = {
    'deploys.services': ({ hostId }) => listServices(hostId),
    'deploys.start': ({ hostId, serviceId, tag, gitRef, unlock, registry }, ctx) => begin(hostId, serviceId, tag ?? '', 'deploy', ctx, unlock, registry, gitRef),
    'deploys.refs': async ({ hostId, serviceId }) => {
      const svc = await find(hostId, serviceId)
      await requireBuild((h, c, o) => deps.ssh.exec(h, c, o), hostId, await composeOf(hostId).catch(() => null), svc)
      return listRefs((h, c, o) => deps.ssh.exec(h, c, o), hostId, svc.compose!.workingDir)
    },
    'deploys.rollback': async ({ hostId, serviceId, tag, confirm, unlock }, ctx) => {
      const name = serviceId.replace(/^(compose:[^/]+\/|container:)/, '')
      if (confirm !== name) throw new DropdeckError('CONFIRMATION_REQUIRED', `Rolling ${serviceId} on ${hostId} back to ${tag} replaces the running version; confirm with the service's name.`, { data: { expected: name } })
      return begin(hostId, serviceId, tag, 'rollback', ctx, unlock)
    },
    'deploys.tags': async ({ hostId, serviceId }) => {
      const svc = await find(hostId, serviceId)
      const inDocr = deps.docr ? await deps.docr.locate(svc.repo) : null
      if (!inDocr) return { source: 'typed' as const, image: svc.repo, registry: null, tags: [] }
      return { source: 'docr' as const, image: svc.repo, registry: inDocr.registry, tags: await deps.docr!.tags(inDocr.registry, inDocr.repository) }
    },
    'deploys.history': async ({ hostId, serviceId, limit }) => {
      const all = await state.history(hostId, serviceId ? 5000 : (limit ?? 200))
      return (serviceId ? all.filter((e) => e.serviceId === serviceId) : all).slice(0, limit ?? 200)
    },
    'deploys.cancel': ({ deployId }) => {
      const t = runs.get(deployId)
      if (!t) throw new DropdeckError('NOT_FOUND', `No deploy ${deployId} runs in this app.`)
      return { cancelled: t.view.phase === 'running' && t.run.cancel() }
    },
    'deploys.takeover': ({ hostId, serviceId, confirm }, ctx) => takeover(hostId, serviceId, confirm, ctx.clientId),
    'deploys.active': ({ hostId }) => [...runs.values()].map((t) => t.view).filter((v) => !hostId || v.hostId === hostId),
    'deploys.open': ({ deployId }, ctx) => {
      const t = runs.get(deployId)
      if (!t) throw new DropdeckError('NOT_FOUND', `No deploy ${deployId} runs in this app (finished ones are in deploys.history).`)
      subscribe(t, ctx)
      return t.view
    },
    'deploys.close': ({ id }, ctx) => {
      const held = runs.get(id)?.clients.get(ctx.clientId)
      if (held) {
        runs.get(id)!.clients.delete(ctx.clientId)
        held.ownership.release()
      }
      return { closed: true as const }
    },
    'deploys.settings': ({ hostId, serviceId }) => settingsOf(hostId, serviceId),
    'deploys.configure': async ({ hostId, serviceId, settings }) => {
      await settingsFile.update((all) => {
        all[settingsKey(hostId, serviceId)] = { ...all[settingsKey(hostId, serviceId)], ...settings }
      })
      return settingsOf(hostId, serviceId)
    }
  }

  return {
    handlers,
    finished: async (deployId) => {
      const t = runs.get(deployId)
      if (!t) throw new DropdeckError('NOT_FOUND', `No deploy ${deployId}.`)
      return t.done
    },
    async dispose() {
      for (const t of runs.values()) t.run.cancel()
      await Promise.allSettled([...runs.values()].map((t) => t.done))
    }
  }
}
