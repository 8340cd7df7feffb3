/** Deleting a snapshot cannot be undone: its name is typed to confirm and sent as `confirm`. */
import { formatDateTime } from '../fleet/format'
import type { Snapshot } from '../rpc/provider-queries'
import { ErrorNotice } from '../ui/ErrorNotice'
import { isLockedRefusal, LockedRefusal } from '../ui/LockedRefusal'
import { TypedConfirmDialog } from '../ui/TypedConfirmDialog'
import { useDeleteSnapshot } from './use-delete-snapshot'

export function DeleteSnapshotDialog({ snapshot, dropletName, onClose }: { snapshot: Snapshot | null; dropletName?: string; onClose: () => void }) {
  const remove = useDeleteSnapshot()
  const close = () => {
    remove.reset()
    onClose()
  }
  return (
    <TypedConfirmDialog
      open={snapshot !== null}
      onOpenChange={(open) => !open && close()}
      title={`Delete snapshot ${snapshot?.name ?? ''}?`}
      description={
        snapshot ? (
          <>
            {snapshot.sizeGb} GB, taken {formatDateTime(snapshot.createdAt)}
            {dropletName ? ` from ${dropletName}` : ''}. Deleting it cannot be undone: the droplet can no longer be restored to this point.
          </>
        ) : null
      }
      expected={snapshot?.name ?? ''}
      confirmLabel="Delete snapshot"
      busy={remove.isPending}
      onConfirm={(typed) => snapshot && remove.mutate({ snapshot, confirm: typed }, { onSuccess: close })}
      error={
        isLockedRefusal(remove.error) ? (
          <LockedRefusal error={remove.error} busy={remove.isPending} onUnlock={() => snapshot && remove.mutate({ ...remove.variables!, unlock: true }, { onSuccess: close })} />
        ) : remove.error ? (
          <ErrorNotice error={remove.error} />
        ) : undefined
      }
    />
  )
}
