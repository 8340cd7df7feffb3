/**
 * Prune with a preview: what would go (stopped containers, dangling images, unused build cache;
 * unused volumes only when ticked) is listed before anything is deleted, and the prune runs only
 * once the operator types the host's name (sent as `confirm`, checked again by the service).
 */
import { useState } from 'react'
import type { Result } from '../../../shared/contract'
import { useContractMutation, useContractQuery } from '../rpc/contract-queries'
import { ErrorNotice } from '../ui/ErrorNotice'
import { TypedConfirmDialog } from '../ui/TypedConfirmDialog'
import { formatBytes } from '../ui/format'

export type PruneResult = Result<'containers.prune'>

interface PruneDialogProps {
  hostId: string
  open: boolean
  onOpenChange: (open: boolean) => void
  onPruned: (result: PruneResult) => void
}

export function PruneDialog({ hostId, open, onOpenChange, onPruned }: PruneDialogProps) {
  const [volumes, setVolumes] = useState(false)
  const [failure, setFailure] = useState<unknown>(null)
  // never cached: what a prune would delete right now (method-options.ts)
  const preview = useContractQuery('containers.prunePreview', { hostId, volumes }, { enabled: open })
  // its success makes the host's containers.list and containers.df stale (method-options.ts)
  const pruneCall = useContractMutation('containers.prune')
  const busy = pruneCall.isPending
  const p = preview.data
  const empty = p !== undefined && p.containers.length === 0 && p.images.length === 0 && p.buildCache.count === 0 && p.volumes.length === 0

  const change = (next: boolean) => {
    if (!next) {
      setFailure(null)
      setVolumes(false)
    }
    onOpenChange(next)
  }
  const prune = (confirm: string) => {
    setFailure(null)
    pruneCall.mutateAsync({ hostId, volumes, confirm }).then(
      (result) => {
        onPruned(result)
        change(false)
      },
      (error: unknown) => setFailure(error)
    )
  }

  return (
    <TypedConfirmDialog
      open={open}
      onOpenChange={change}
      title={`Prune Docker on ${hostId}`}
      description="Deletes what is listed below to free disk space. Running containers, tagged images and (unless ticked) volumes are kept. This cannot be undone."
      expected={hostId}
      confirmLabel={p ? `Prune, free about ${formatBytes(p.spaceReclaimed, 'docker')}` : 'Prune'}
      onConfirm={prune}
      busy={busy}
      ready={p !== undefined && !empty && !preview.isFetching}
      error={failure !== null ? <ErrorNotice error={failure} title="The prune did not finish" /> : undefined}
    >
      <div className="cprune" aria-live="polite">
        {!p ? (
          preview.isError ? <ErrorNotice error={preview.error} title="The preview could not be read" /> : <p className="faint small" role="status">Reading what would be removed…</p>
        ) : empty ? (
          <p className="small">Nothing to prune: no stopped containers, dangling images or unused build cache{volumes ? ', and no unused volumes' : ''}.</p>
        ) : (
          <ul className="cprune-list" aria-label="Would be removed">
            <li>
              <span className="cprune-what">
                <strong>{p.containers.length}</strong> stopped container{p.containers.length === 1 ? '' : 's'}
                {p.containers.length > 0 && <span className="faint">: {p.containers.map((c) => c.name).join(', ')}</span>}
              </span>
              <span className="cprune-size">{formatBytes(p.containers.reduce((a, c) => a + c.size, 0), 'docker')}</span>
            </li>
            <li>
              <span className="cprune-what">
                <strong>{p.images.length}</strong> dangling image{p.images.length === 1 ? '' : 's'}
              </span>
              <span className="cprune-size">{formatBytes(p.images.reduce((a, i) => a + i.size, 0), 'docker')}</span>
            </li>
            <li>
              <span className="cprune-what">
                <strong>{p.buildCache.count}</strong> build cache record{p.buildCache.count === 1 ? '' : 's'}
              </span>
              <span className="cprune-size">{formatBytes(p.buildCache.size, 'docker')}</span>
            </li>
            {volumes && (
              <li>
                <span className="cprune-what">
                  <strong>{p.volumes.length}</strong> unused volume{p.volumes.length === 1 ? '' : 's'}
                  {p.volumes.length > 0 && <span className="faint">: {p.volumes.map((v) => v.name).join(', ')}</span>}
                </span>
                <span className="cprune-size">{formatBytes(p.volumes.reduce((a, v) => a + v.size, 0), 'docker')}</span>
              </li>
            )}
          </ul>
        )}
        <label className="checkbox-row small">
          <input type="checkbox" checked={volumes} onChange={(e) => setVolumes(e.target.checked)} />
          Also delete unused volumes (their data is lost)
        </label>
      </div>
    </TypedConfirmDialog>
  )
}
