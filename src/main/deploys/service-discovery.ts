/**
 * Deployable services found from a host's containers, with nothing to configure first: a Compose
 * service from its containers' `com.docker.compose.*` labels, every other container as a plain one.
 * Containers a deploy created under a temporary name (`<name>-dropdeck-<id8>`) and Compose
 * one-off containers (`run`) are not services.
 */
import type { ListedContainer } from './host-docker'
import { splitImage } from './host-docker'
import { switchMode } from './recreate-config'

export const TEMP_LABEL = 'com.dropdeck.deploy.temp'
export const DEPLOY_LABEL = 'com.dropdeck.deploy.id'
/** `<name>-dropdeck-<deploy id's first 8 hex digits>`: a new version before the switch renames it. */
export const TEMP_NAME = /-dropdeck-[0-9a-f]{8}$/

export interface FoundService {
  id: string
  kind: 'compose' | 'container'
  project: string | null
  name: string
  repo: string
  /** The container to deploy over: the running one, else the newest. */
  container: ListedContainer
  switchMode: 'gapless' | 'stop-first'
  gapReason: string | null
  compose: { workingDir: string; configFiles: string[] } | null
}

const label = (c: ListedContainer, key: string) => c.Labels?.[key]

export function discoverServices(containers: ListedContainer[]): FoundService[] {
  const byId = new Map<string, ListedContainer[]>()
  for (const c of containers) {
    // A deploy's new version under its temporary name is part of that deploy, not a service.
    if (label(c, TEMP_LABEL) || c.Names.some((n) => TEMP_NAME.test(n))) continue
    if (label(c, 'com.docker.compose.oneoff')?.toLowerCase() === 'true') continue
    const project = label(c, 'com.docker.compose.project')
    const service = label(c, 'com.docker.compose.service')
    const id = project && service ? `compose:${project}/${service}` : `container:${(c.Names[0] ?? c.Id).replace(/^\//, '')}`
    if (!/^(compose:[a-zA-Z0-9_.-]+\/[a-zA-Z0-9_.-]+|container:[a-zA-Z0-9][a-zA-Z0-9_.-]*)$/.test(id)) continue
    byId.set(id, [...(byId.get(id) ?? []), c])
  }
  const out: FoundService[] = []
  for (const [id, group] of byId) {
    const container = group.find((c) => c.State === 'running') ?? group[0]
    const compose = id.startsWith('compose:')
    const published = container.Ports.filter((p) => p.PublicPort).map((p) => `${p.IP && p.IP !== '0.0.0.0' ? `${p.IP}:` : ''}${p.PublicPort}->${p.PrivatePort}/${p.Type}`)
    const mode = switchMode(container.HostConfig?.NetworkMode, [...new Set(published)])
    const composeMode = compose ? composeSwitchMode(container, group, mode) : null
    out.push({
      id,
      kind: compose ? 'compose' : 'container',
      project: compose ? label(container, 'com.docker.compose.project')! : null,
      name: compose ? label(container, 'com.docker.compose.service')! : id.slice('container:'.length),
      repo: splitImage(container.Image).repo,
      container,
      switchMode: composeMode ? composeMode.mode : mode.mode,
      gapReason: composeMode ? composeMode.reason : mode.reason,
      compose: compose
        ? {
            workingDir: label(container, 'com.docker.compose.project.working_dir') ?? '',
            configFiles: (label(container, 'com.docker.compose.project.config_files') ?? '').split(',').map((f) => f.trim()).filter(Boolean)
          }
        : null
    })
  }
  return out.sort((a, b) => (a.project ?? '\uffff').localeCompare(b.project ?? '\uffff') || a.name.localeCompare(b.name))
}

/**
 * A Compose service starts its new version beside the old one (`up --scale <service>=2 --no-recreate`,
 * then the old container goes) when that is possible: no host port, exactly one container, and Compose's own
 * container name (a `container_name` cannot be run twice). Else Compose stops the old one first.
 */
function composeSwitchMode(container: ListedContainer, group: ListedContainer[], mode: { mode: 'gapless' | 'stop-first'; reason: string | null }): { mode: 'gapless' | 'stop-first'; reason: string | null } {
  if (mode.mode === 'stop-first') return mode
  const project = label(container, 'com.docker.compose.project') ?? ''
  const service = label(container, 'com.docker.compose.service') ?? ''
  const name = container.Names[0]?.replace(/^\//, '') ?? ''
  const numbered = [`${project}_${service}_`, `${project}-${service}-`].some((prefix) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
  if (!numbered) return { mode: 'stop-first', reason: 'it sets container_name, so Compose cannot run a second container beside it' }
  // a second container, even a stopped one, would be started again by `--scale 2 --no-recreate` with its old configuration
  if (group.length > 1) return { mode: 'stop-first', reason: `it has ${group.length} containers; Compose recreates them in place` }
  return { mode: 'gapless', reason: null }
}

/** Docker's list status text carries the health: "Up 3 minutes (healthy)". */
export function listedHealth(c: ListedContainer): 'healthy' | 'unhealthy' | 'starting' | 'running' | 'stopped' {
  if (c.State !== 'running') return 'stopped'
  if (/\(healthy\)/.test(c.Status)) return 'healthy'
  if (/\(unhealthy\)/.test(c.Status)) return 'unhealthy'
  if (/\(health: starting\)/.test(c.Status)) return 'starting'
  return 'running'
}
