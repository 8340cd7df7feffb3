/**
 * Docker's disk use on a host (GET /system/df) and the prune that frees it: stopped containers,
 * dangling images, unused build cache, and unused volumes only when asked for by name. The preview
 * reads the same filters the prune endpoints apply, so what it lists is what goes.
 */
import type { DiskUsage, PruneReport } from '../../shared/contract/containers'
import { DropdeckError } from '../../shared/errors'
import type { DockerEngine } from './engine'

/** Prunes walk every layer; on a full disk that takes a while. */
const PRUNE_TIMEOUT_MS = 5 * 60_000

/** The part of GET /system/df that Dropdeck reads. */
interface SystemDf {
  LayersSize?: number
  Images?: Array<{ Id: string; Size: number; SharedSize: number; Containers: number; RepoTags?: string[] | null }> | null
  Containers?: Array<{ Id: string; SizeRw?: number; State: string }> | null
  Volumes?: Array<{ Name: string; UsageData?: { Size: number; RefCount: number } | null }> | null
  BuildCache?: Array<{ ID: string; Size: number; InUse: boolean; Shared: boolean }> | null
}

const STOPPED = ['exited', 'created', 'dead']

const filters = (f: Record<string, string[]>) => `filters=${encodeURIComponent(JSON.stringify(f))}`
const sum = (xs: number[]) => xs.reduce((a, b) => a + Math.max(0, b), 0)

export async function diskUsage(engine: DockerEngine, hostId: string): Promise<DiskUsage> {
  const df = (await engine.request(hostId, 'GET', '/system/df', { timeoutMs: PRUNE_TIMEOUT_MS })).json<SystemDf>()
  const images = df.Images ?? []
  const containers = df.Containers ?? []
  const volumes = df.Volumes ?? []
  const cache = (df.BuildCache ?? []).filter((b) => !b.Shared)
  const imagesSize = df.LayersSize ?? sum(images.map((i) => i.Size))
  // What containers.prune frees, so the panel and the prune's preview say the same: dangling images
  // (no tag) that no container uses. (`docker system df` counts LayersSize less what images in use
  // hold alone, which also counts unused tagged images and layers images in use share: space a prune
  // never frees.)
  const dangling = images.filter((i) => i.Containers <= 0 && isDangling(i.RepoTags))
  return {
    images: { count: images.length, active: images.filter((i) => i.Containers > 0).length, size: imagesSize, reclaimable: sum(dangling.map((i) => i.Size)) },
    containers: {
      count: containers.length,
      active: containers.filter((c) => c.State === 'running').length,
      size: sum(containers.map((c) => c.SizeRw ?? 0)),
      reclaimable: sum(containers.filter((c) => c.State !== 'running').map((c) => c.SizeRw ?? 0))
    },
    volumes: {
      count: volumes.length,
      active: volumes.filter((v) => (v.UsageData?.RefCount ?? 0) > 0).length,
      size: sum(volumes.map((v) => v.UsageData?.Size ?? 0)),
      reclaimable: sum(volumes.filter((v) => v.UsageData?.RefCount === 0).map((v) => v.UsageData?.Size ?? 0))
    },
    buildCache: { count: cache.length, active: cache.filter((b) => b.InUse).length, size: sum(cache.map((b) => b.Size)), reclaimable: sum(cache.filter((b) => !b.InUse).map((b) => b.Size)) }
  }
}

const isDangling = (tags: string[] | null | undefined) => !tags || tags.length === 0 || tags.every((t) => t === '<none>:<none>')

export async function prunePreview(engine: DockerEngine, hostId: string, withVolumes: boolean): Promise<PruneReport> {
  const get = async <T>(path: string) => (await engine.request(hostId, 'GET', path, { timeoutMs: PRUNE_TIMEOUT_MS })).json<T>()
  const [containers, images, df, volumes] = await Promise.all([
    get<Array<{ Id: string; Names: string[]; SizeRw?: number }>>(`/containers/json?all=1&size=1&${filters({ status: STOPPED })}`),
    get<Array<{ Id: string; Size: number }>>(`/images/json?${filters({ dangling: ['true'] })}`),
    get<SystemDf>('/system/df'),
    withVolumes ? get<{ Volumes: Array<{ Name: string }> | null }>(`/volumes?${filters({ dangling: ['true'] })}`) : Promise.resolve({ Volumes: [] })
  ])
  const cache = (df.BuildCache ?? []).filter((b) => !b.InUse && !b.Shared)
  const volumeSizes = new Map((df.Volumes ?? []).map((v) => [v.Name, Math.max(0, v.UsageData?.Size ?? 0)]))
  const report: PruneReport = {
    containers: containers.map((c) => ({ id: c.Id, name: (c.Names[0] ?? c.Id).replace(/^\//, ''), size: Math.max(0, c.SizeRw ?? 0) })),
    images: images.map((i) => ({ id: i.Id, size: i.Size })),
    buildCache: { count: cache.length, size: sum(cache.map((b) => b.Size)) },
    volumes: (volumes.Volumes ?? []).map((v) => ({ name: v.Name, size: volumeSizes.get(v.Name) ?? 0 })),
    volumesIncluded: withVolumes,
    spaceReclaimed: 0
  }
  report.spaceReclaimed = sum(report.containers.map((c) => c.size)) + sum(report.images.map((i) => i.size)) + report.buildCache.size + sum(report.volumes.map((v) => v.size))
  return report
}

/** The prune itself; `confirm` must be the host id. Containers go first, so images only they used can go too. */
export async function prune(engine: DockerEngine, hostId: string, withVolumes: boolean, confirm: string | undefined): Promise<PruneReport> {
  const preview = await prunePreview(engine, hostId, withVolumes)
  if (confirm !== hostId) {
    throw new DropdeckError('CONFIRMATION_REQUIRED', `Pruning Docker on ${hostId} deletes what the preview lists and cannot be undone; confirm with the host name.`, {
      data: { expected: hostId, preview }
    })
  }
  const post = async <T>(path: string) => (await engine.request(hostId, 'POST', path, { timeoutMs: PRUNE_TIMEOUT_MS })).json<T>()
  const removedContainers = await post<{ ContainersDeleted: string[] | null; SpaceReclaimed: number }>('/containers/prune')
  const removedImages = await post<{ ImagesDeleted: Array<{ Deleted?: string; Untagged?: string }> | null; SpaceReclaimed: number }>(`/images/prune?${filters({ dangling: ['true'] })}`)
  const removedCache = await post<{ CachesDeleted: string[] | null; SpaceReclaimed: number }>('/build/prune')
  const removedVolumes = withVolumes ? await post<{ VolumesDeleted: string[] | null; SpaceReclaimed: number }>('/volumes/prune') : { VolumesDeleted: [], SpaceReclaimed: 0 }
  const deletedContainers = new Set(removedContainers.ContainersDeleted ?? [])
  const deletedImages = new Set((removedImages.ImagesDeleted ?? []).map((i) => i.Deleted).filter((d): d is string => Boolean(d)))
  const names = new Map(preview.containers.map((c) => [c.id, c]))
  const volumeSizes = new Map(preview.volumes.map((v) => [v.name, v.size]))
  return {
    containers: [...deletedContainers].map((id) => names.get(id) ?? { id, name: id.slice(0, 12), size: 0 }),
    // ImagesDeleted also lists every layer removed; the images are the ones the preview named.
    images: preview.images.filter((i) => deletedImages.has(i.id)),
    buildCache: { count: (removedCache.CachesDeleted ?? []).length, size: removedCache.SpaceReclaimed },
    volumes: (removedVolumes.VolumesDeleted ?? []).map((name) => ({ name, size: volumeSizes.get(name) ?? 0 })),
    volumesIncluded: withVolumes,
    spaceReclaimed: removedContainers.SpaceReclaimed + removedImages.SpaceReclaimed + removedCache.SpaceReclaimed + removedVolumes.SpaceReclaimed
  }
}
