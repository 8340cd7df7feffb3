/**
 * One deploy (or rollback) of one service, step by step, in Kamal's order made safer:
 * pull outside the lock → lock on the host → checks → tag `<repo>:deploy_<id8>` → start the new version
 * → health gate → switch (or roll back by itself) → keep the last N versions → release → history.
 *
 * The invariant: a service that had a running version before has one after, whatever happens. Every
 * transition is written into the lock's journal on the host before it is made, so when the SSH
 * connection is cut mid-way this run (once the host answers again), or another app taking over the
 * stale lock, puts the service back to exactly one version (../deploys/recovery.ts).
 */
import type { Client } from 'ssh2'
import type { ComposeCli, DeployEntry, DeployResult, DeploySettings, DeployStep, DeployStepName } from '../../shared/contract/deploys'
import { DropdeckError } from '../../shared/errors'
import type { HostDocker } from './host-docker'
import { builtAt, containerBytes, requireRoom, splitImage } from './host-docker'
import type { DeployJournal, Exec, HostState, LockInfo } from './host-state'
import { sq } from './host-state'
import { healthGate, type GateResult } from './health-gate'
import { recreatePlan } from './recreate-config'
import { DEPLOY_LABEL, type FoundService } from './service-discovery'
import { composeUp, overrideFile, pinImage, type ComposeTarget } from './compose-cli'
import { recover, undoBeside } from './recovery'
import { absoluteFiles, buildScript, checkout, currentCheckout, lastLines, restoreCheckout, type GitPlan } from './git-source'
import { runStreamed, type CommandOutput } from './host-command'
import { lockKey } from './host-state'

export interface RunDeps {
  docker: HostDocker
  state: HostState
  exec: Exec
  client: () => Promise<Client>
  who: string
  machine: string
  settings: DeploySettings
  lockTimeoutMs: number
  compose: () => Promise<ComposeCli | null>
  /** Resolves once the host answers Docker again (after a cut), or throws when it gives up. */
  waitForHost: () => Promise<void>
  onStep: (step: DeployStep) => void
  onCancellable: (cancellable: boolean) => void
  /** Test seam: awaited at named points ('locked', 'started', 'switched'), to cut the connection there. */
  pause?: (point: string) => Promise<void>
}

export interface RunRequest {
  deployId: string
  hostId: string
  service: FoundService
  action: 'deploy' | 'rollback'
  tag: string
  /** The lock, when start already took it (the image was on the host). */
  lockHeld: boolean
  /** The X-Registry-Auth header for the pull, built in memory for this run only (./registry-auth.ts). */
  registryAuth?: string
  /** A git deploy: the commit to build (outside the lock) and check out (under it); `tag` is then `deploy_<id8 of the commit>`. */
  git?: GitPlan
  /**
   * The image was built from `git` before (a rollback or redeploy of a git-built `deploy_<id8>`, found in the
   * history): no build; the commit is checked out again so the folder matches, skipped with a warning over
   * local changes (a rollback is not held up by them).
   */
  gitBuiltBefore?: boolean
}

/** How long a build may run on the host. */
const BUILD_TIMEOUT_MS = 30 * 60_000

type StepOutput = { lines: string[]; total: number }
type Progress = (detail: string, bytes?: { current: number; total: number }, output?: StepOutput) => void
type StepResult = { status?: 'ok' | 'skipped' | 'failed'; detail: string; output?: StepOutput }

const DEPLOY_TAG = /^deploy_[0-9a-f]{8}$/

export class DeployRun {
  private readonly started = Date.now()
  private readonly startedIso = new Date().toISOString()
  private readonly controller = new AbortController()
  private cancellableNow = true
  private healthOutput: string[] = []
  private logTail: string[] = []
  private gapMs: number | null = null
  private lock: LockInfo | null = null
  private warnings: string[] = []
  /** What the service's folder had checked out before a git deploy's checkout (put back if the deploy does not stay). */
  private checkedOut: { dir: string; before: string; label: string } | null = null
  private journal: DeployJournal
  readonly toImage: string

  constructor(
    private readonly deps: RunDeps,
    readonly req: RunRequest
  ) {
    this.toImage = `${req.service.repo}:${req.tag}`
    const c = req.service.container
    const name = req.service.kind === 'compose' ? req.service.name : req.service.id.slice('container:'.length)
    // In the lock from the start (the temporary name is known now): recovery finds the new container by it.
    this.journal = {
      kind: req.service.kind,
      name,
      oldContainerId: c.Id,
      fromImage: c.Image,
      toImage: this.toImage,
      ...(req.service.kind === 'container' ? { tempName: `${name}-dropdeck-${req.deployId.slice(0, 8)}` } : {})
    }
  }

  get cancellable(): boolean {
    return this.cancellableNow
  }

  /** Cancels before the switch; false once it is too late. */
  cancel(): boolean {
    if (!this.cancellableNow) return false
    this.controller.abort()
    return true
  }

  lockInfo(): LockInfo {
    const now = new Date().toISOString()
    return (this.lock ??= {
      deployId: this.req.deployId,
      hostId: this.req.hostId,
      serviceId: this.req.service.id,
      who: this.deps.who,
      machine: this.deps.machine,
      what: `${this.req.action} ${this.toImage}`,
      since: now,
      updatedAt: now,
      timeoutMs: this.deps.lockTimeoutMs,
      step: 'lock',
      journal: this.journal
    })
  }

  /** Runs to the end; never throws (a failure is the entry's result). */
  async run(): Promise<DeployEntry> {
    const { docker } = this.deps
    let result: DeployResult
    let reason: string | null
    let locked = this.req.lockHeld
    try {
      if (this.req.git && !this.req.gitBuiltBefore) await this.step('build', (progress) => this.build(progress))
      else await this.step('pull', async (progress) => {
        if (await docker.image(this.toImage)) return { status: 'skipped', detail: `${this.toImage} is already on the host` }
        // A nearly full disk refuses here, before a pull that would fill it (the pull itself says so too).
        requireRoom(this.req.hostId, await docker.diskRoom(this.deps.exec).catch(() => null), 0, `pulling ${this.toImage}`)
        let shown = 0
        let last = { current: 0, total: 0 }
        await docker.pull(this.req.service.repo, this.req.tag, (current, total) => {
          last = { current, total }
          if (Date.now() - shown > 250) {
            shown = Date.now()
            progress(`pulling ${this.toImage}`, last)
          }
        }, this.controller.signal, this.req.registryAuth)
        return { detail: `pulled ${this.toImage}${last.total ? ` (${mb(last.total)})` : ''}` }
      })
      if (!locked) {
        await this.step('lock', async () => {
          const got = await this.deps.state.acquire(this.lockInfo())
          if (!got.acquired) throw lockedError(this.req.service.id, got.holder)
          return { detail: `locked by ${this.deps.who} on ${this.deps.machine}` }
        })
        locked = true
      }
      await this.deps.pause?.('locked')
      const outcome = this.req.service.kind === 'compose' ? await this.composeDeploy() : await this.containerDeploy()
      result = outcome.result
      reason = outcome.reason
      if (result === 'succeeded') await this.step('prune', () => this.prune()).catch(() => undefined)
    } catch (err) {
      const e = err as Error
      if (this.controller.signal.aborted && !(this.journal.switched ?? false) && !(err instanceof DropdeckError && err.code === 'DEPLOY_LOCKED')) {
        result = 'cancelled'
        reason = 'cancelled by the operator before the switch'
      } else {
        result = 'failed'
        reason = e.message
      }
      if (locked && isConnectionError(err)) {
        // The connection was cut mid-way: once the host answers, put the service back to one version.
        const recovered = await this.recoverAfterCut(e.message)
        result = recovered.result
        reason = recovered.reason
      } else if (locked && !(err instanceof DropdeckError && err.code === 'DEPLOY_LOCKED')) {
        await this.undoBeforeSwitch().catch(() => undefined)
      }
    }
    this.cancellableNow = false
    this.deps.onCancellable(false)
    if (locked) {
      await this.step('release', async () => {
        const released = await this.deps.state.release(this.req.hostId, this.req.service.id, this.req.deployId)
        return { detail: released ? 'lock released' : 'the lock was no longer ours' }
      }).catch(() => undefined)
    }
    const entry: DeployEntry = {
      deployId: this.req.deployId,
      hostId: this.req.hostId,
      serviceId: this.req.service.id,
      action: this.req.action,
      who: this.deps.who,
      machine: this.deps.machine,
      fromImage: this.journal.fromImage,
      toImage: this.runImage ?? this.toImage,
      startedAt: this.startedIso,
      finishedAt: new Date().toISOString(),
      result,
      reason,
      gapMs: this.gapMs,
      healthOutput: this.healthOutput,
      logTail: this.logTail,
      ...(this.req.git ? { git: { ref: this.req.git.ref, commit: this.req.git.commit, subject: this.req.git.subject } } : {}),
      ...(this.warnings.length ? { warnings: this.warnings } : {})
    }
    await this.deps.state.appendHistory(this.req.hostId, entry).catch(() => undefined)
    return entry
  }

  /** The image reference the new version runs (`<repo>:deploy_<id8>`). */
  private runImage: string | null = null

  private async tagStep(): Promise<string> {
    const { repo } = this.req.service
    if (DEPLOY_TAG.test(this.req.tag)) {
      await this.step('tag', async () => ({ status: 'skipped', detail: `${this.toImage} already has a deploy tag` }))
      return (this.runImage = this.toImage)
    }
    const tagged = `${repo}:deploy_${this.req.deployId.slice(0, 8)}`
    await this.step('tag', async () => {
      await this.deps.docker.tag(this.toImage, repo, `deploy_${this.req.deployId.slice(0, 8)}`)
      return { detail: `tagged ${this.toImage} as ${tagged}` }
    })
    return (this.runImage = tagged)
  }

  private async checks(): Promise<void> {
    await this.step('checks', async () => {
      const [image, room] = await Promise.all([this.deps.docker.image(this.toImage), this.deps.docker.diskRoom(this.deps.exec).catch(() => null)])
      if (!image) throw new DropdeckError('NOT_FOUND', `${this.toImage} is not on ${this.req.hostId}.`)
      // Room for the new container (vfs copies the whole image into it) and Docker's own margin.
      requireRoom(this.req.hostId, room, containerBytes(room, image.Size), `starting ${this.toImage}`)
      const notes = [`${this.toImage} is on the host (${mb(image.Size)})`]
      if (room) notes.push(`${mb(room.freeBytes)} free`)
      return { detail: notes.join(', ') }
    })
  }

  // ── Plain containers: recreate through the Engine API ──────────────────────────────────────────

  private async containerDeploy(): Promise<{ result: DeployResult; reason: string | null }> {
    const { docker } = this.deps
    const svc = this.req.service
    const old = await docker.inspect(svc.container.Id)
    await this.checks()
    await this.preDeploy()
    const oldImage = await docker.image(old.Image)
    const runImage = await this.tagStep()
    const plan = recreatePlan(old, oldImage?.Config, runImage, { [DEPLOY_LABEL]: this.req.deployId })
    if (plan.refusal) throw new DropdeckError('BAD_REQUEST', `${this.journal.name} cannot be recreated safely: ${plan.refusal}.`)
    const tempName = this.journal.tempName!
    const stopFirst = svc.switchMode === 'stop-first'
    const wasRunning = old.State.Running
    let stoppedAt: number | null = null

    await this.step('start', async () => {
      // The lock already holds the journal with the temporary name: recovery finds the new container by
      // it, and starts the old one whenever it is not running, so these steps need no write of their own.
      const id = await docker.create(tempName, plan.body)
      this.journal.newContainerId = id
      for (const n of plan.extraNetworks) await docker.connect(n.name, id, n.endpoint)
      if (stopFirst && wasRunning) {
        this.journal.oldStopped = true
        await docker.stop(old.Id)
        // The gap starts when the old version is gone (a stop may wait out its stop timeout while it still serves).
        stoppedAt = Date.now()
      }
      await docker.start(id)
      return { detail: stopFirst ? `stopped the old version (${svc.gapReason}), started ${tempName}` : `started ${tempName} beside the running version` }
    })
    const { gate, ended } = await this.gateNew(runImage, async (newId) => {
      await docker.remove(newId)
      if (this.journal.oldStopped) {
        await docker.start(old.Id)
        const back = await healthGate(docker, old.Id, this.gateOptions())
        if (stoppedAt !== null && back.healthyAt) this.gapMs = back.healthyAt - stoppedAt
        return { detail: back.healthy ? `the previous version ${old.Config.Image} is running again, ${back.detail}` : `restarted ${old.Config.Image}; it is not healthy either: ${back.detail}` }
      }
      return { detail: `removed the new version; ${old.Config.Image} kept serving` }
    })
    if (ended) return ended
    if (stoppedAt !== null && gate.healthyAt) this.gapMs = gate.healthyAt - stoppedAt
    else this.gapMs = stopFirst ? null : 0
    await this.step('switch', async () => {
      await this.markSwitched()
      await this.deps.pause?.('switching')
      await docker.remove(old.Id)
      await docker.rename(this.journal.newContainerId!, this.journal.name)
      return { detail: `${this.journal.name} now runs ${runImage}${this.gapMs !== null ? ` (gap ${this.gapMs} ms)` : ''}` }
    })
    await this.postDeploy()
    return { result: 'succeeded', reason: null }
  }

  // ── Compose services: `up -d --no-deps SERVICE` with Dropdeck's override pinning the image ─────

  private async composeDeploy(): Promise<{ result: DeployResult; reason: string | null }> {
    const { docker } = this.deps
    const svc = this.req.service
    const compose = svc.compose!
    const cli = await this.deps.compose()
    if (!cli) throw new DropdeckError('UPSTREAM', `Neither \`docker compose\` nor \`docker-compose\` is on ${this.req.hostId}; install the Compose plugin (apt install docker-compose-plugin) and retry.`)
    await this.checks()
    const files = compose.configFiles.map((f) => (f.startsWith('/') ? f : `${compose.workingDir}/${f}`))
    await this.step('checks', async () => {
      const r = await this.deps.exec(this.req.hostId, files.map((f) => `test -f ${sq(f)} || echo ${sq(f)}`).join('; '), { timeoutMs: 15_000 })
      const missing = r.stdout.split('\n').filter(Boolean)
      if (missing.length) throw new DropdeckError('NOT_FOUND', `The Compose file ${missing[0]} is not on ${this.req.hostId}; Dropdeck deploys a Compose service with its project's own files.`)
      return { detail: `${cli.command} ${cli.version}, ${files.length} Compose file${files.length > 1 ? 's' : ''}` }
    })
    // Nothing changed yet: a failing pre-deploy command stops here; then a git deploy's checkout.
    await this.preDeploy()
    const git = this.req.git
    if (git) {
      await this.step('checkout', async () => {
        // Into the journal first: after a cut during or right after the checkout, recovery puts it back.
        const now = await currentCheckout(this.deps.exec, this.req.hostId, git.workingDir)
        this.journal.checkout = { dir: git.workingDir, before: now.before, label: now.beforeLabel }
        await this.writeJournal('checkout')
        const r = await checkout(this.deps.exec, this.req.hostId, git).catch((err: unknown) => {
          if (!(this.req.gitBuiltBefore && err instanceof DropdeckError && err.code === 'BAD_REQUEST')) throw err
          this.warnings.push(`${git.workingDir} was left as it was: ${err.message}`)
          return null
        })
        if (!r) {
          delete this.journal.checkout
          return { status: 'skipped', detail: `left ${git.workingDir} as it was: tracked files have local changes` }
        }
        this.checkedOut = { dir: git.workingDir, before: r.before, label: r.beforeLabel }
        return { detail: `checked out ${git.commit.slice(0, 12)} (${git.ref}) in ${git.workingDir}, detached; it had ${r.beforeLabel}` }
      })
    }
    const runImage = await this.tagStep()
    const versionLine = (await this.deps.exec(this.req.hostId, `grep -m1 -E '^version:' ${sq(files[0])} || true`, { timeoutMs: 15_000 })).stdout.trim() || null
    const target: ComposeTarget = { cli, project: svc.project!, service: svc.name, workingDir: compose.workingDir, files, versionLine }
    this.journal.compose = target
    const up = (image: string) => composeUp(this.deps.exec, this.deps.state, this.req.hostId, target, image)
    const current = async (image: string) => {
      const list = await docker.containers({ label: [`com.docker.compose.project=${svc.project}`, `com.docker.compose.service=${svc.name}`] })
      return list.find((c) => c.State === 'running' && c.Image === image) ?? list.find((c) => c.Image === image) ?? null
    }
    if (svc.switchMode === 'gapless') return this.composeBeside(target, runImage)
    const t0 = Date.now()
    await this.step('start', async () => {
      this.journal.oldStopped = true
      await this.writeJournal('start')
      const { override } = await this.composeUpNew(target, runImage, false, () => current(runImage))
      return { detail: `${cli.command} up -d --no-deps ${svc.name} with ${override}` }
    })
    const { gate, ended } = await this.gateNew(
      runImage,
      async () => {
        const from = this.journal.fromImage
        if (!from) return { status: 'skipped', detail: 'nothing ran before' }
        const r = await up(from)
        if (!r.ok) throw new DropdeckError('UPSTREAM', `${cli.command} up with ${from} failed: ${r.output.split('\n').slice(-3).join(' ')}`)
        const back = await current(from)
        const again = back ? await healthGate(docker, back.Id, this.gateOptions()) : null
        if (again?.healthyAt) this.gapMs = again.healthyAt - t0
        return { detail: again?.healthy ? `${svc.name} runs ${from} again, ${again.detail}` : `${svc.name} runs ${from} again; ${again?.detail ?? 'its container was not found'}` }
      },
      () => this.putBackCheckout()
    )
    if (ended) return ended
    if (gate.healthyAt) this.gapMs = gate.healthyAt - t0
    await this.step('switch', async () => {
      await this.markSwitched()
      return { detail: `${svc.name} runs ${runImage} (gap ${this.gapMs ?? '?'} ms, from the start of up to healthy)` }
    })
    await this.postDeploy()
    return { result: 'succeeded', reason: null }
  }

  /**
   * A Compose service with no host port and one container: the new version starts as a second container
   * of the service (`up --scale <service>=2 --no-recreate`, the old one untouched), is gated, then the old
   * container is removed, so no request meets a stopped service. Unhealthy: the new container goes and
   * the override pins the version from before again; the old one never stopped.
   */
  private async composeBeside(target: ComposeTarget, runImage: string): Promise<{ result: DeployResult; reason: string | null }> {
    const { docker } = this.deps
    const svc = this.req.service
    const oldId = svc.container.Id
    const others = async () => (await docker.containers({ label: [`com.docker.compose.project=${target.project}`, `com.docker.compose.service=${target.service}`] })).filter((c) => c.Id !== oldId)
    await this.step('start', async () => {
      this.journal.gapless = true
      await this.writeJournal('start')
      const { override, started } = await this.composeUpNew(target, runImage, true, async () => (await others()).find((c) => c.Image === runImage))
      return { detail: `${target.cli.command} up -d --no-deps --no-recreate --scale ${svc.name}=2 with ${override}: ${started.Names[0]?.replace(/^\//, '')} beside the running version` }
    })
    const { ended } = await this.gateNew(
      runImage,
      async (newId) => {
        await docker.remove(newId)
        if (this.journal.fromImage) await pinImage(this.deps.state, this.req.hostId, target, this.journal.fromImage)
        return { detail: `removed the new version; ${this.journal.fromImage ?? 'the previous version'} kept serving` }
      },
      () => this.putBackCheckout()
    )
    if (ended) return ended
    this.gapMs = 0
    await this.step('switch', async () => {
      await this.markSwitched()
      await this.deps.pause?.('switching')
      await docker.remove(oldId)
      return { detail: `${svc.name} runs ${runImage}; removed the old container (no gap)` }
    })
    await this.postDeploy()
    return { result: 'succeeded', reason: null }
  }

  // ── Shared steps ──────────────────────────────────────────────────────────────────────────────

  /**
   * `compose up` with the new version (beside: as a second container of the service), then the container
   * it started, recorded in the journal; an up that failed or started no such container fails the step.
   */
  private async composeUpNew<C extends { Id: string }>(target: ComposeTarget, runImage: string, beside: boolean, find: () => Promise<C | null | undefined>): Promise<{ override: string; started: C }> {
    const r = await composeUp(this.deps.exec, this.deps.state, this.req.hostId, target, runImage, beside)
    if (!r.ok) throw new DropdeckError('UPSTREAM', `${target.cli.command} up failed: ${r.output.split('\n').slice(-3).join(' ')}`)
    const started = await find()
    if (!started) throw new DropdeckError('UPSTREAM', `${target.cli.command} up ran, but no ${beside ? 'second ' : ''}${target.service} container runs ${runImage}.`)
    this.journal.newContainerId = started.Id
    return { override: r.override, started }
  }

  private gateOptions() {
    const s = this.deps.settings
    return { timeoutMs: s.healthTimeoutMs, successes: s.successes, healthUrl: s.healthUrl, expectStatus: s.expectStatus, client: this.deps.client }
  }

  /**
   * After the start step: the new container's health gate. Unhealthy, or the deploy cancelled meanwhile,
   * the new container's logs are kept, `undo` runs as the rollback step, then `afterUndo` (a git build's
   * checkout put back), and `ended` says how the run ended; healthy, `ended` is null and the switch follows.
   */
  private async gateNew(runImage: string, undo: (newId: string) => Promise<StepResult>, afterUndo?: () => Promise<void>): Promise<{ gate: GateResult; ended: { result: DeployResult; reason: string } | null }> {
    await this.deps.pause?.('started')
    const newId = this.journal.newContainerId!
    const gate = await this.gate(newId)
    if (gate.healthy && !this.controller.signal.aborted) return { gate, ended: null }
    const cancelled = this.controller.signal.aborted
    this.logTail = await this.deps.docker.logTail(newId, 50).catch(() => [])
    await this.step('rollback', () => undo(newId))
    await afterUndo?.()
    return {
      gate,
      ended: cancelled ? { result: 'cancelled', reason: 'cancelled by the operator before the switch' } : { result: 'rolled-back', reason: `${runImage} failed its health gate: ${gate.detail}` }
    }
  }

  private async gate(containerId: string): Promise<GateResult> {
    let gate: GateResult = { healthy: false, output: [], detail: '', healthyAt: null }
    await this.step('health', async () => {
      gate = await healthGate(this.deps.docker, containerId, { ...this.gateOptions(), signal: this.controller.signal })
      this.healthOutput = gate.output
      return { status: gate.healthy ? 'ok' : 'failed', detail: gate.detail }
    })
    return gate
  }

  /** Keeps the newest N `deploy_*` tags of the repository (and any a container uses); untags the rest. */
  private async prune(): Promise<{ detail: string }> {
    const { docker } = this.deps
    const repo = this.req.service.repo
    const [images, containers] = await Promise.all([docker.images(repo), docker.containers()])
    const used = new Set(containers.map((c) => c.ImageID))
    const tags = images
      .flatMap((img) => (img.RepoTags ?? []).filter((t) => splitImage(t).repo === repo && DEPLOY_TAG.test(splitImage(t).tag)).map((t) => ({ ref: t, img })))
      .sort((a, b) => builtAt(b.img).localeCompare(builtAt(a.img)))
    const keep = new Set(tags.slice(0, this.deps.settings.keep).map((t) => t.ref))
    if (this.runImage) keep.add(this.runImage)
    if (this.journal.fromImage) keep.add(this.journal.fromImage)
    const removed: string[] = []
    for (const t of tags) {
      if (keep.has(t.ref) || used.has(t.img.Id)) continue
      await docker.untag(t.ref).then(() => removed.push(t.ref), () => undefined)
    }
    return { detail: removed.length ? `kept ${keep.size} versions, removed ${removed.join(', ')}` : `kept ${Math.min(tags.length, Math.max(keep.size, tags.length))} versions; nothing to remove` }
  }

  /** A failure before the switch (not a cut connection): the new container goes, the old one runs. */
  private async undoBeforeSwitch(): Promise<void> {
    if (this.journal.switched) return
    const { docker } = this.deps
    if (this.journal.kind === 'container') {
      if (this.journal.newContainerId) await docker.remove(this.journal.newContainerId)
      if (this.journal.oldStopped && this.journal.oldContainerId) await docker.start(this.journal.oldContainerId).catch(() => undefined)
    } else if (this.journal.gapless) {
      await undoBeside({ docker, exec: this.deps.exec, state: this.deps.state, hostId: this.req.hostId }, this.journal)
    } else if (this.journal.oldStopped && this.journal.compose && this.journal.fromImage) {
      // `up` may have removed the old container before it failed: bring the version from before back up.
      await composeUp(this.deps.exec, this.deps.state, this.req.hostId, this.journal.compose, this.journal.fromImage)
    }
    await this.putBackCheckout()
  }

  // ── Git deploys and the operator's commands ───────────────────────────────────────────────────

  /**
   * Builds the commit's image outside the lock (nothing the service uses changes): a worktree of the
   * commit in the state folder, `compose build` with an override naming the image `<repo>:deploy_<id8>`.
   * An image already built for the commit is reused: no rebuild.
   */
  private async build(progress: Progress): Promise<StepResult> {
    const git = this.req.git!
    const svc = this.req.service
    if (await this.deps.docker.image(this.toImage)) return { status: 'skipped', detail: `${this.toImage} was already built for ${git.commit.slice(0, 12)}; no rebuild` }
    const cli = await this.deps.compose()
    if (!cli) throw new DropdeckError('UPSTREAM', `Neither \`docker compose\` nor \`docker-compose\` is on ${this.req.hostId}; install the Compose plugin (apt install docker-compose-plugin) and retry.`)
    const files = absoluteFiles(svc.compose!)
    const versionLine = (await this.deps.exec(this.req.hostId, `grep -m1 -E '^version:' ${sq(files[0])} || true`, { timeoutMs: 15_000 })).stdout.trim() || null
    const buildOverride = await this.deps.state.writeFile(this.req.hostId, `compose/${svc.project}/${svc.name}.build.yml`, overrideFile(svc.name, this.toImage, versionLine))
    const worktree = `${await this.deps.state.path(this.req.hostId)}/builds/${lockKey(svc.id)}-${this.req.deployId.slice(0, 8)}`
    const what = `${git.ref} (${git.commit.slice(0, 12)})`
    progress(`building ${what}`)
    const out = await runStreamed(await this.deps.client(), buildScript({ cli, project: svc.project!, service: svc.name, plan: git, files, buildOverride, worktree }), {
      timeoutMs: BUILD_TIMEOUT_MS,
      signal: this.controller.signal,
      onOutput: (o) => progress(`building ${what}: ${o.total} lines`, undefined, o)
    })
    const output = { lines: out.lines, total: out.total }
    if (this.controller.signal.aborted) throw withOutput(new DropdeckError('TIMEOUT', `The build of ${what} was cancelled.`), output)
    if (out.code !== 0) {
      const why = out.timedOut ? `did not finish within ${BUILD_TIMEOUT_MS / 60_000} min` : `exited with ${out.code ?? 'no code'}: ${lastLines(out.lines.join('\n'), 2)}`
      throw withOutput(new DropdeckError('UPSTREAM', `Building ${what} on ${this.req.hostId} ${why}. Nothing the service runs was changed; the build's last lines are in its step.`), output)
    }
    if (!(await this.deps.docker.image(this.toImage))) throw withOutput(new DropdeckError('UPSTREAM', `${cli.command} build of ${what} ended without ${this.toImage}.`), output)
    return { detail: `built ${this.toImage} from ${what} ${JSON.stringify(git.subject)} (${out.total} lines of output)`, output }
  }

  /** Puts back what the folder had checked out before this deploy's checkout (the deploy did not stay). */
  private async putBackCheckout(): Promise<void> {
    const c = this.checkedOut
    if (!c) return
    this.checkedOut = null
    await this.step('checkout', async () => {
      await restoreCheckout(this.deps.exec, this.req.hostId, c.dir, c.before)
      return { detail: `put back ${c.label} in ${c.dir}` }
    }).catch((err: Error) => this.warnings.push(`the checkout from before could not be put back in ${c.dir}: ${err.message}`))
  }

  /** The operator's command on the host, with the deploy's facts in its environment. */
  private async hook(name: 'pre-deploy' | 'post-deploy', command: string, progress: Progress): Promise<CommandOutput> {
    const svc = this.req.service
    const dir = svc.compose?.workingDir
    const env: Record<string, string> = {
      DROPDECK_SERVICE: svc.id,
      DROPDECK_FROM_IMAGE: this.journal.fromImage ?? '',
      DROPDECK_TO_IMAGE: this.runImage ?? this.toImage,
      DROPDECK_DEPLOY_ID: this.req.deployId,
      ...(this.req.git ? { DROPDECK_GIT_COMMIT: this.req.git.commit, DROPDECK_GIT_REF: this.req.git.ref } : {})
    }
    const script = [dir ? `cd ${sq(dir)} || exit 125` : 'cd', ...Object.entries(env).map(([k, v]) => `export ${k}=${sq(v)}`), command].join('\n')
    progress(`running the ${name} command`)
    // A pre-deploy command can be cancelled (nothing changed yet); a post-deploy one runs past the switch, where a cancel is refused.
    return runStreamed(await this.deps.client(), script, { timeoutMs: this.deps.settings.commandTimeoutMs, signal: this.controller.signal, onOutput: (o) => progress(`running the ${name} command: ${o.total} lines`, undefined, o) })
  }

  /** A failing pre-deploy command stops the deploy before anything changed. */
  private async preDeploy(): Promise<void> {
    const command = this.deps.settings.preDeploy?.trim()
    if (!command) return
    await this.step('pre-deploy', async (progress) => {
      const out = await this.hook('pre-deploy', command, progress)
      const output = { lines: out.lines, total: out.total }
      // No exit status, not stopped by us: the connection was cut (the run then waits for the host and releases the lock).
      if (out.code === null && !out.timedOut && !this.controller.signal.aborted) throw new DropdeckError('UPSTREAM', `The connection to ${this.req.hostId} was cut while the pre-deploy command ran.`)
      if (out.code !== 0) {
        const why = out.timedOut ? `did not finish within ${Math.round(this.deps.settings.commandTimeoutMs / 1000)} s` : out.code === 125 ? `could not enter ${this.req.service.compose?.workingDir}` : `exited with ${out.code ?? 'no code'}${out.lines.length ? `: ${out.lines.at(-1)}` : ''}`
        throw withOutput(new DropdeckError('UPSTREAM', `The pre-deploy command ${why}. The deploy stopped before anything changed.`), output)
      }
      return { detail: `exited with 0 (${out.total} lines of output)`, output }
    })
  }

  /** After the switch: a failing post-deploy command is a warning in the history; the deploy stays. */
  private async postDeploy(): Promise<void> {
    const command = this.deps.settings.postDeploy?.trim()
    if (!command) return
    await this.step('post-deploy', async (progress) => {
      const out = await this.hook('post-deploy', command, progress)
      const output = { lines: out.lines, total: out.total }
      if (out.code === 0) return { detail: `exited with 0 (${out.total} lines of output)`, output }
      const why = out.timedOut ? `did not finish within ${Math.round(this.deps.settings.commandTimeoutMs / 1000)} s` : `exited with ${out.code ?? 'no code'}${out.lines.length ? `: ${out.lines.at(-1)}` : ''}`
      this.warnings.push(`the post-deploy command ${why}; the new version stays`)
      return { status: 'failed', detail: `${why}; the new version stays`, output }
    }).catch((err: Error) => this.warnings.push(`the post-deploy command could not run: ${err.message}; the new version stays`))
  }

  private async recoverAfterCut(why: string): Promise<{ result: DeployResult; reason: string }> {
    let outcome: { result: DeployResult; reason: string } = { result: 'failed', reason: why }
    await this.step('recover', async () => {
      await this.deps.waitForHost()
      const r = await recover({ docker: this.deps.docker, exec: this.deps.exec, state: this.deps.state, hostId: this.req.hostId }, this.journal, this.gateOptions())
      outcome = { result: r.result, reason: `the connection to ${this.req.hostId} was cut (${why}); ${r.detail}` }
      return { detail: r.detail }
    }).catch((err: Error) => {
      outcome = { result: 'failed', reason: `the connection to ${this.req.hostId} was cut (${why}) and recovery failed: ${err.message}; the lock stays with its journal for a takeover` }
      throw err
    }).catch(() => undefined)
    return outcome
  }

  /** Past the point of no return: no cancel any more, and the journal says so before the old version goes. */
  private async markSwitched(): Promise<void> {
    this.cancellableNow = false
    this.deps.onCancellable(false)
    this.journal.switched = true
    await this.writeJournal('switch')
  }

  private async writeJournal(step: string): Promise<void> {
    const info = this.lockInfo()
    info.step = step
    info.journal = this.journal
    info.updatedAt = new Date().toISOString()
    await this.deps.state.update(info)
  }

  /** Runs one step: a `running` event, then `ok`/`skipped`/`failed` with its duration. */
  private async step(name: DeployStepName, work: (progress: Progress) => Promise<StepResult>): Promise<void> {
    if (this.controller.signal.aborted && this.cancellableNow && name !== 'release' && name !== 'rollback' && name !== 'recover') throw new DropdeckError('TIMEOUT', 'Cancelled.')
    const t = Date.now()
    const at = t - this.started
    this.deps.onStep({ step: name, status: 'running', detail: '', at, durationMs: null })
    try {
      const r = await work((detail, bytes, output) => this.deps.onStep({ step: name, status: 'running', detail, at, durationMs: null, ...(bytes ? { bytes } : {}), ...(output ? { output } : {}) }))
      this.deps.onStep({ step: name, status: r.status ?? 'ok', detail: r.detail, at, durationMs: Date.now() - t, ...(r.output ? { output: r.output } : {}) })
    } catch (err) {
      const output = (err as { stepOutput?: StepOutput }).stepOutput
      this.deps.onStep({ step: name, status: 'failed', detail: (err as Error).message, at, durationMs: Date.now() - t, ...(output ? { output } : {}) })
      throw err
    }
  }
}

export function lockedError(serviceId: string, holder: LockInfo | null): DropdeckError {
  const who = holder ? `${holder.who} on ${holder.machine} (${holder.what}, since ${holder.since})` : 'another deploy'
  return new DropdeckError('DEPLOY_LOCKED', `${serviceId} is being deployed by ${who}; wait for it to finish, or take over a stale lock.`, {
    retryable: true,
    data: holder ? { holder: { deployId: holder.deployId, serviceId: holder.serviceId, who: holder.who, machine: holder.machine, what: holder.what, since: holder.since, timeoutMs: holder.timeoutMs } } : { holder: null }
  })
}

/** The SSH connection or the docker channel went away (not an answer from docker). */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  // A command's own failure (a build, a pre-deploy command) quotes its output, which may say "connection refused".
  if ('stepOutput' in err) return false
  if (err instanceof DropdeckError) {
    if (err.code === 'TIMEOUT' && /cancelled/i.test(err.message)) return false
    return (err.code === 'UPSTREAM' || err.code === 'TIMEOUT') && /channel|did not answer|no response|disconnected|connection|not connected|closed|socket|ECONN|session/i.test(err.message)
  }
  return /channel|Not connected|No response|ECONNRESET|socket hang up|closed|EPIPE|exited/i.test(err.message)
}

/** Carries a command's output to the step's `failed` event. */
function withOutput<E extends Error>(err: E, output: StepOutput): E {
  return Object.assign(err, { stepOutput: output })
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`
