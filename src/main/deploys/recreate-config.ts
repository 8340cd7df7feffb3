/**
 * The create payload for a plain container's new version, from the running one's inspect: its whole
 * configuration with the image swapped, never a lossy `docker run` line. What the old *image* set
 * (CMD, ENTRYPOINT, ENV, LABELs, WORKDIR, USER, EXPOSE, HEALTHCHECK) is left out, so the new image's
 * own defaults apply; only what the operator set on the container is carried over (Watchtower's rule).
 */
import type { ContainerConfig, ContainerInspect } from './host-docker'

export interface RecreatePlan {
  body: Record<string, unknown>
  /** Networks beyond the first: connected after create (API 1.41 creates with one network). */
  extraNetworks: Array<{ name: string; endpoint: Record<string, unknown> }>
  /** Why this container cannot be recreated faithfully from its inspect, if so. */
  refusal: string | null
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

export function recreatePlan(old: ContainerInspect, oldImage: ContainerConfig | null | undefined, image: string, labels: Record<string, string>): RecreatePlan {
  const c = old.Config
  const img: Partial<ContainerConfig> = oldImage ?? {}
  const imageEnv = new Set(img.Env ?? [])
  const imageLabels = img.Labels ?? {}
  const config: Record<string, unknown> = { ...c, Image: image }
  if (same(c.Cmd, img.Cmd)) delete config.Cmd
  if (same(c.Entrypoint, img.Entrypoint)) delete config.Entrypoint
  if (same(c.WorkingDir, img.WorkingDir)) delete config.WorkingDir
  if (same(c.User, img.User)) delete config.User
  if (same(c.Healthcheck, img.Healthcheck)) delete config.Healthcheck
  config.Env = (c.Env ?? []).filter((e) => !imageEnv.has(e))
  config.Labels = { ...Object.fromEntries(Object.entries(c.Labels ?? {}).filter(([k, v]) => imageLabels[k] !== v)), ...labels }
  const exposed = Object.fromEntries(Object.entries(c.ExposedPorts ?? {}).filter(([k]) => !(img.ExposedPorts && k in img.ExposedPorts)))
  for (const port of Object.keys(old.HostConfig.PortBindings ?? {})) exposed[port] = {}
  config.ExposedPorts = exposed
  const volumes = Object.fromEntries(Object.entries(c.Volumes ?? {}).filter(([k]) => !(img.Volumes && k in img.Volumes)))
  config.Volumes = volumes
  // The old container's own id as host name (docker's default) would carry over: let docker pick the new id.
  if (c.Hostname && old.Id.startsWith(c.Hostname)) delete config.Hostname

  const networkMode = old.HostConfig.NetworkMode ?? 'default'
  const networks = Object.entries(old.NetworkSettings.Networks ?? {})
  const shortId = old.Id.slice(0, 12)
  const endpoint = (e: NonNullable<ContainerInspect['NetworkSettings']['Networks']>[string]) => ({
    ...(e.IPAMConfig ? { IPAMConfig: e.IPAMConfig } : {}),
    ...(e.Links ? { Links: e.Links } : {}),
    Aliases: (e.Aliases ?? []).filter((a) => a !== shortId && a !== old.Id),
    ...(e.DriverOpts ? { DriverOpts: e.DriverOpts } : {})
  })
  const userDefined = networkMode !== 'host' && networkMode !== 'none' && !networkMode.startsWith('container:')
  const [first, ...rest] = userDefined ? networks : []
  const body: Record<string, unknown> = {
    ...config,
    HostConfig: old.HostConfig,
    ...(first ? { NetworkingConfig: { EndpointsConfig: { [first[0]]: endpoint(first[1]) } } } : {})
  }
  let refusal: string | null = null
  if (networkMode.startsWith('container:')) refusal = `it shares another container's network (${networkMode}), which a recreate would break`
  return { body, extraNetworks: rest.map(([name, e]) => ({ name, endpoint: endpoint(e) })), refusal }
}

/**
 * Whether the new version can start beside the old one: not when the container publishes a host port
 * or shares the host's network (both would need the same port).
 */
export function switchMode(networkMode: string | undefined, publishedPorts: string[]): { mode: 'gapless' | 'stop-first'; reason: string | null } {
  if (networkMode === 'host') return { mode: 'stop-first', reason: 'it uses the host network, so the new version needs the same ports' }
  if (publishedPorts.length) return { mode: 'stop-first', reason: `it publishes host port${publishedPorts.length > 1 ? 's' : ''} ${publishedPorts.join(', ')}` }
  return { mode: 'gapless', reason: null }
}
