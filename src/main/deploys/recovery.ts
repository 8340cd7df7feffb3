/**
 * Puts a service back to exactly one running version from a deploy's journal (written into the lock
 * on the host before each transition): after the SSH connection was cut mid-deploy, or when an
 * operator takes over a stale lock left by an app that went away.
 * - Before the switch: the new container goes, the old one is started again if it was stopped.
 * - After the switch was decided: the old container goes, the new one gets the service's name.
 * Compose services: whichever container of the service runs is kept when healthy; else the project is
 * brought back up with the version from before (Dropdeck's override pins it).
 * A git deploy's folder gets its checkout from before back whenever the version from before runs again.
 */
import type { DeployResult } from '../../shared/contract/deploys'
import type { HostDocker } from './host-docker'
import type { DeployJournal, Exec, HostState } from './host-state'
import { healthGate, type GateOptions } from './health-gate'
import { composeUp, pinImage } from './compose-cli'
import { CheckoutError, restoreCheckout } from './git-source'

export interface RecoveryHost {
  docker: HostDocker
  exec: Exec
  state: HostState
  hostId: string
}

export interface Recovered {
  result: DeployResult
  detail: string
}

export async function recover(host: RecoveryHost, j: DeployJournal, gate: Omit<GateOptions, 'signal'>): Promise<Recovered> {
  const r = j.kind === 'compose' ? await recoverCompose(host, j, gate) : await recoverContainer(host, j, gate)
  return j.checkout && r.result === 'rolled-back' ? { ...r, detail: `${r.detail}; ${await putBackCheckout(host, j.checkout)}` } : r
}

/**
 * A git deploy's folder goes back to what it had checked out when the version from before runs again,
 * so its Compose files and mounted folders match that version (when the new version runs, its checkout
 * stays). A cut connection throws (the lock keeps its journal); git refusing is said in the detail.
 */
async function putBackCheckout(host: RecoveryHost, c: NonNullable<DeployJournal['checkout']>): Promise<string> {
  try {
    await restoreCheckout(host.exec, host.hostId, c.dir, c.before)
    return `put back ${c.label} in ${c.dir}`
  } catch (err) {
    if (!(err instanceof CheckoutError)) throw err
    return `the checkout from before (${c.label}) could not be put back in ${c.dir}: ${err.message}`
  }
}

async function recoverContainer(host: RecoveryHost, j: DeployJournal, gate: Omit<GateOptions, 'signal'>): Promise<Recovered> {
  const { docker } = host
  const byName = await docker.find(j.name)
  const temp = j.tempName ? await docker.find(j.tempName) : null
  const fresh = j.newContainerId ? (temp?.Id === j.newContainerId ? temp : await docker.find(j.newContainerId)) : temp
  if (j.switched && fresh) {
    if (byName && byName.Id !== fresh.Id) await docker.remove(byName.Id)
    if (fresh.Name.replace(/^\//, '') !== j.name) await docker.rename(fresh.Id, j.name)
    if (!fresh.State.Running) await docker.start(fresh.Id)
    const g = await healthGate(docker, fresh.Id, gate)
    return { result: 'succeeded', detail: `finished the switch: ${j.name} runs ${j.toImage} (${g.detail})` }
  }
  if (fresh) await docker.remove(fresh.Id)
  const old = j.oldContainerId ? await docker.find(j.oldContainerId) : byName
  if (!old) return { result: 'failed', detail: `neither the new nor the previous container of ${j.name} is on the host; deploy a retained version` }
  if (!old.State.Running) await docker.start(old.Id)
  if (old.Name.replace(/^\//, '') !== j.name) await docker.rename(old.Id, j.name)
  const g = await healthGate(docker, old.Id, gate)
  return { result: 'rolled-back', detail: `removed the unfinished new version; ${j.name} runs ${j.fromImage ?? 'its previous image'} again (${g.detail})` }
}

/**
 * Before the switch of a Compose service started beside its old container: every other container of the
 * service goes (the new one, even if `up` was cut before its id was recorded), the old one runs, and the
 * override pins the version from before again.
 */
export async function undoBeside(host: RecoveryHost, j: DeployJournal): Promise<string> {
  const { docker } = host
  if (!j.compose) return 'nothing to undo'
  const all = await docker.containers({ label: [`com.docker.compose.project=${j.compose.project}`, `com.docker.compose.service=${j.compose.service}`] })
  const extra = all.filter((c) => c.Id !== j.oldContainerId)
  for (const c of extra) await docker.remove(c.Id)
  const old = j.oldContainerId ? all.find((c) => c.Id === j.oldContainerId) : undefined
  if (old && old.State !== 'running') await docker.start(old.Id)
  if (j.fromImage) await pinImage(host.state, host.hostId, j.compose, j.fromImage)
  return old ? `removed ${extra.length} unfinished container${extra.length === 1 ? '' : 's'}; the old container kept running` : 'the old container is gone'
}

async function recoverCompose(host: RecoveryHost, j: DeployJournal, gate: Omit<GateOptions, 'signal'>): Promise<Recovered> {
  const { docker } = host
  if (j.gapless) {
    const fresh = j.newContainerId ? await docker.find(j.newContainerId) : null
    if (j.switched && fresh) {
      // The switch was decided: the new container stays alone.
      if (j.oldContainerId) await docker.remove(j.oldContainerId)
      if (!fresh.State.Running) await docker.start(fresh.Id)
      const g = await healthGate(docker, fresh.Id, gate)
      return { result: 'succeeded', detail: `finished the switch: ${j.name} runs ${j.toImage} alone (${g.detail})` }
    }
    const undone = await undoBeside(host, j)
    const old = j.oldContainerId ? await docker.find(j.oldContainerId) : null
    if (!old) return { result: 'failed', detail: `${j.name}: ${undone}; deploy a retained version` }
    const g = await healthGate(docker, old.Id, gate)
    return { result: 'rolled-back', detail: `${undone}; ${j.name} runs ${j.fromImage ?? 'its previous image'} (${g.detail})` }
  }
  const running = j.newContainerId ? await docker.find(j.newContainerId) : null
  if (running?.State.Running) {
    const g = await healthGate(docker, running.Id, gate)
    if (g.healthy) return { result: 'succeeded', detail: `${j.name} runs ${j.toImage} and is healthy (${g.detail})` }
  }
  // Compose replaced the old container: bring the service up again with the version from before.
  if (j.compose && j.fromImage) {
    const r = await composeUp(host.exec, host.state, host.hostId, j.compose, j.fromImage)
    if (!r.ok) return { result: 'failed', detail: `${j.compose.cli.command} up with ${j.fromImage} failed: ${r.output.split('\n').slice(-2).join(' ')}` }
    const back = (await docker.containers({ label: [`com.docker.compose.project=${j.compose.project}`, `com.docker.compose.service=${j.compose.service}`] })).find((c) => c.State === 'running' && c.Image === j.fromImage)
    const g = back ? await healthGate(docker, back.Id, gate) : null
    return { result: 'rolled-back', detail: `${j.name} runs ${j.fromImage} again (${g?.detail ?? 'its container was not found'})` }
  }
  const old = j.oldContainerId ? await docker.find(j.oldContainerId) : null
  if (old) {
    if (!old.State.Running) await docker.start(old.Id)
    const g = await healthGate(docker, old.Id, gate)
    return { result: 'rolled-back', detail: `${j.name} runs ${j.fromImage ?? 'its previous image'} again (${g.detail})` }
  }
  return { result: 'failed', detail: `${j.name} has no healthy container; deploy a retained version` }
}
