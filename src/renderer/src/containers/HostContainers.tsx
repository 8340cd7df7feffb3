/**
 * One host's containers, grouped by Compose project, kept live by a containers.watch. The header
 * says whether live updates are flowing (and why not), and opens the disk panel and the prune.
 */
import { useQueryClient } from '@tanstack/react-query'
import { HardDrive } from 'lucide-react'
import { useState } from 'react'
import { useApi } from '../rpc/api-context'
import { contractKey, useContractMutation } from '../rpc/contract-queries'
import { Callout } from '../ui/Callout'
import { HostGroup } from '../ui/HostGroup'
import { ErrorNotice } from '../ui/ErrorNotice'
import { QueryState } from '../ui/QueryState'
import { ConfirmDialog } from '../ui/ConfirmDialog'
import { TypedConfirmDialog } from '../ui/TypedConfirmDialog'
import { ContainerRow, type RowAction } from './ContainerRow'
import { useLiveContainers, type Container, type WatchStatus } from './containers-queries'
import { DiskPanel } from './DiskPanel'
import { formatBytes } from '../ui/format'
import { PruneDialog, type PruneResult } from './PruneDialog'
import { useLogSession } from '../logs/use-log-session'
import { requestTerminal } from '../terminals/terminal-requests'
import { goTo } from '../navigation/use-hash-path'
import { OpenInFilesButton } from '../files/OpenInFilesButton'

/** A Compose project's folder on the host, from the first of its containers that carries the label. */
const projectDirOf = (items: Container[]): string | undefined => items.find((c) => c.projectDir?.startsWith('/'))?.projectDir ?? undefined

/** `project`: show only that Compose project (`''`: containers outside any), or every one when undefined. */
export function HostContainers({ hostId, project: onlyProject }: { hostId: string; project?: string }) {
  const api = useApi()
  const logSession = useLogSession(api)
  const client = useQueryClient()
  const { list, status } = useLiveContainers(hostId)
  const [pending, setPending] = useState<Record<string, RowAction>>({})
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set())
  const [failure, setFailure] = useState<{ error: unknown; title: string } | null>(null)
  const [removing, setRemoving] = useState<Container | null>(null)
  const [stopping, setStopping] = useState<Container | null>(null)
  const [diskOpen, setDiskOpen] = useState(false)
  const [pruneOpen, setPruneOpen] = useState(false)
  const [pruned, setPruned] = useState<PruneResult | null>(null)
  const containerAction = useContractMutation('containers.action')

  const run = (c: Container, action: RowAction, confirm?: string) => {
    setPending((p) => ({ ...p, [c.id]: action }))
    setFailure(null)
    return containerAction
      .mutateAsync({ hostId, id: c.id, action, confirm })
      .then(
        (after) => {
          // The watch reports it too; this keeps the row right when live updates are down.
          client.setQueryData<Container[]>(contractKey('containers.list', { hostId }), (old) => (old ? (after.state === 'removed' ? old.filter((x) => x.id !== c.id) : old.map((x) => (x.id === c.id ? after : x))) : old))
          if (action === 'remove') setRemoving(null)
        },
        (error: unknown) => setFailure({ error, title: `${c.name} did not ${action}` })
      )
      .finally(() =>
        setPending((p) => {
          const { [c.id]: _, ...rest } = p
          return rest
        })
      )
  }
  // Remove and stop take a service away: remove asks for the name, stop asks once.
  const onAction = (c: Container, action: RowAction) => (action === 'remove' ? setRemoving(c) : action === 'stop' ? setStopping(c) : void run(c, action))
  const toggle = (id: string) =>
    setExpanded((s) => {
      const next = new Set(s)
      if (!next.delete(id)) next.add(id)
      return next
    })

  const groups = new Map<string, Container[]>()
  for (const c of list.data ?? []) if (onlyProject === undefined || (c.project ?? '') === onlyProject) groups.set(c.project ?? '', [...(groups.get(c.project ?? '') ?? []), c])
  const followLogs = (c: Container) => {
    // Already followed: just show it.
    if (!logSession.sources.some((s) => s.hostId === hostId && s.source.kind === 'container' && (s.source.id === c.name || s.source.id === c.id))) {
      void logSession.add(hostId, { kind: 'container', id: c.name }).catch((error: unknown) => setFailure({ error, title: `${c.name}'s log could not be followed` }))
    }
    goTo('logs')
  }

  return (
    <HostGroup
      hostId={hostId}
      label={`Containers on ${hostId}`}
      head={
        <>
          <LiveChip status={status} />
          {list.data && <span className="faint small">{summary(list.data)}</span>}
          <span className="toolbar-spacer" />
          <button type="button" className="button button-small" aria-expanded={diskOpen} onClick={() => setDiskOpen((o) => !o)}>
            <HardDrive size={13} aria-hidden="true" />
            Disk
          </button>
        </>
      }
    >
      {diskOpen && <DiskPanel hostId={hostId} onPrune={() => setPruneOpen(true)} />}
      {pruned && (
        <Callout
          tone="info"
          title={`Pruned ${hostId}: ${formatBytes(pruned.spaceReclaimed, 'docker')} freed`}
          actions={
            <button type="button" className="button button-small" onClick={() => setPruned(null)}>
              Dismiss
            </button>
          }
        >
          Removed {pruned.containers.length} container{pruned.containers.length === 1 ? '' : 's'}, {pruned.images.length} image{pruned.images.length === 1 ? '' : 's'},{' '}
          {pruned.buildCache.count} build cache record{pruned.buildCache.count === 1 ? '' : 's'}
          {pruned.volumesIncluded ? ` and ${pruned.volumes.length} volume${pruned.volumes.length === 1 ? '' : 's'}` : ''}.
        </Callout>
      )}
      {failure && <ErrorNotice error={failure.error} title={failure.title} onDismiss={() => setFailure(null)} />}
      <QueryState
        query={list}
        loading="Loading containers…"
        failed={`Containers on ${hostId} could not be loaded`}
        isEmpty={(all) => all.length === 0}
        empty={<p className="faint small">No containers on {hostId}.</p>}
      >
        {() => [...groups.entries()].map(([project, items]) => (
          <div key={project} role="group" aria-label={project ? `Project ${project}` : 'No project'}>
            <h4>
              {project || 'No Compose project'}
              {project && projectDirOf(items) && <OpenInFilesButton hostId={hostId} path={projectDirOf(items)!} what={`project ${project}'s folder`} />}
            </h4>
            <table className="rtable ctable">
              <colgroup>
                <col className="ctable-name" />
                <col className="ctable-image" />
                <col className="ctable-ports" />
                <col className="ctable-state" />
                <col className="ctable-actions" />
              </colgroup>
              <tbody>
                {items.map((c) => (
                  <ContainerRow key={c.id} hostId={hostId} container={c} expanded={expanded.has(c.id)} onToggle={() => toggle(c.id)} pending={pending[c.id] ?? null} onAction={(a) => onAction(c, a)} onShell={() => requestTerminal({ hostId, container: c.name })} onLogs={() => followLogs(c)} />
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </QueryState>
      <TypedConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title={`Remove ${removing?.name ?? ''}`}
        description={`Deletes the container on ${hostId} (force: a running one is killed first). Its image and volumes stay. This cannot be undone.`}
        expected={removing?.name ?? ''}
        confirmLabel="Remove container"
        busy={removing !== null && pending[removing.id] === 'remove'}
        onConfirm={(typed) => removing && void run(removing, 'remove', typed)}
        error={failure && removing ? <ErrorNotice error={failure.error} title={failure.title} /> : undefined}
      />
      <ConfirmDialog
        open={stopping !== null}
        onOpenChange={(open) => !open && setStopping(null)}
        title={`Stop ${stopping?.name ?? ''}?`}
        description={`It stops serving on ${hostId} until started again (Docker waits up to 10 s for it to exit, then kills it).`}
        confirmLabel="Stop container"
        onConfirm={() => {
          if (stopping) void run(stopping, 'stop')
          setStopping(null)
        }}
      />
      <PruneDialog
        hostId={hostId}
        open={pruneOpen}
        onOpenChange={setPruneOpen}
        onPruned={setPruned}
      />
    </HostGroup>
  )
}

function summary(list: Container[]): string {
  const running = list.filter((c) => c.state === 'running').length
  const unhealthy = list.filter((c) => c.state === 'running' && c.health === 'unhealthy').length
  return `${running} of ${list.length} running${unhealthy ? `, ${unhealthy} unhealthy` : ''}`
}

/** Live / connecting / reconnecting, with the reason as the tooltip and for screen readers. */
function LiveChip({ status }: { status: WatchStatus | null }) {
  if (!status) return null
  if (status.state === 'live') return <span className="clive clive-live" title="Live updates from Docker's events stream">live</span>
  if (status.state === 'connecting') return <span className="clive">connecting…</span>
  return (
    <span className="clive clive-down" role="status" title={status.message ?? undefined}>
      reconnecting{status.retryInMs !== null ? ` in ${Math.max(1, Math.round(status.retryInMs / 1000))} s` : ''}
      <span className="visually-hidden">: {status.message}</span>
    </span>
  )
}
