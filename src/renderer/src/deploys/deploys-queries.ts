/** Query keys for deploys, the refresh on deploys.changed, and one deploy's live steps (its deploys stream). */
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import type { Result } from '../../../shared/contract'
import type { DeployEntry, DeployRun, DeployStep } from '../../../shared/contract/deploys'
import { useApi } from '../rpc/api-context'
import { contractKeyMatching, useContractQuery } from '../rpc/contract-queries'
import { streamClient } from '../rpc/stream-client'

export type DeployServices = Result<'deploys.services'>
export type Service = DeployServices['services'][number]

/** DeployDialog's registry tags (until it reads deploys.tags through the data layer). */
export const deploysKeys = {
  tags: (hostId: string, serviceId: string) => ['deploys', hostId, 'tags', serviceId] as const,
  all: (hostId: string) => ['deploys', hostId] as const
}

/** The host's services, with what this app runs there; refreshed whenever main says they changed. */
export function useDeployServices(hostId: string) {
  const api = useApi()
  const client = useQueryClient()
  const services = useContractQuery('deploys.services', { hostId })
  // A window that (re)connects picks up the deploys this app runs on the host.
  const active = useContractQuery('deploys.active', { hostId })
  useEffect(
    () =>
      api.on('deploys.changed', (e) => {
        if (e.hostId !== hostId) return
        for (const method of ['deploys.services', 'deploys.active', 'deploys.history'] as const) void client.invalidateQueries({ queryKey: contractKeyMatching(method, { hostId }) })
        void client.invalidateQueries({ queryKey: deploysKeys.all(hostId) })
      }),
    [api, client, hostId]
  )
  return { services, active }
}

export interface LiveRun {
  steps: DeployStep[]
  phase: DeployRun['phase']
  cancellable: boolean
  entry: DeployEntry | null
  toImage: string
  action: DeployRun['action']
}

/**
 * One deploy's progress: deploys.open gives the steps so far, then its events arrive (those already
 * in the snapshot, by `seq`, are skipped). Closed when the component goes away; the deploy runs on.
 */
export function useDeployRun(deployId: string | null): LiveRun | null {
  const api = useApi()
  const [run, setRun] = useState<LiveRun | null>(null)
  useEffect(() => {
    if (!deployId) return
    const streams = streamClient(api, 'deploys')
    let off: (() => void) | undefined
    let gone = false
    streams.open({ deployId }).then(
      (view) => {
        if (gone) return void streams.close(view.id).catch(() => undefined)
        const known = view.steps.length
        setRun({ steps: view.steps, phase: view.phase, cancellable: view.cancellable, entry: view.entry, toImage: view.toImage, action: view.action })
        off = streams.listen(view.id, {
          data: (d) => {
            if (d.seq <= known) return
            setRun((r) => (r ? { ...r, steps: [...r.steps, d.step] } : r))
          },
          state: (s) => setRun((r) => (r ? { ...r, phase: s.phase, cancellable: s.cancellable, entry: s.entry ?? r.entry } : r))
        })
      },
      () => setRun(null)
    )
    return () => {
      gone = true
      off?.()
      void streams.close(deployId).catch(() => undefined)
    }
  }, [api, deployId])
  return run
}

/** `dropdeck/web:deploy_aaaaaaaa` → `deploy_aaaaaaaa`. */
export function tagOf(image: string | null): string {
  if (!image) return '—'
  const slash = image.lastIndexOf('/')
  const colon = image.lastIndexOf(':')
  return colon > slash ? image.slice(colon + 1) : 'latest'
}
