/**
 * Droplet snapshots: listed (all, or one droplet's) and deleted with the snapshot's name typed to
 * confirm. Deleting is audited.
 */
import type { Result } from '../../../shared/contract'
import { DropdeckError } from '../../../shared/errors'
import type { CallContext } from '../../rpc/context'
import type { EventBus } from '../../rpc/event-bus'
import type { AuditLog } from '../audit/audit-log'
import { toSnapshot, type DoApi } from '../digitalocean/do-api'

export class SnapshotsService {
  constructor(private readonly deps: { api: DoApi; bus: EventBus; audit: AuditLog; lock: DropletLock }) {}

  async list(dropletId?: number): Promise<Result<'snapshots.list'>> {
    if (dropletId !== undefined) return (await this.deps.api.dropletSnapshots(dropletId)).map((s) => toSnapshot(s, dropletId))
    return (await this.deps.api.snapshots()).map((s) => toSnapshot(s))
  }

  async delete(ctx: CallContext, id: string, confirm: string, unlock?: boolean): Promise<Result<'snapshots.delete'>> {
    const snapshot = await this.deps.api.snapshot(id)
    const dropletId = Number(snapshot.resource_id)
    const ofDroplet = snapshot.resource_type === 'droplet' && Number.isInteger(dropletId)
    // A read-only droplet's snapshots are its recovery points: the lock covers them too.
    if (ofDroplet) await this.deps.lock(dropletId, unlock, `deleting snapshot ${snapshot.name}`)
    if (confirm !== snapshot.name) {
      throw new DropdeckError('CONFIRMATION_REQUIRED', `Deleting snapshot ${snapshot.name} cannot be undone: type its name, ${snapshot.name}, to confirm.`, { data: { expected: snapshot.name } })
    }
    const target = `snapshot ${snapshot.id} (${snapshot.name})`
    try {
      const res = await this.deps.api.deleteSnapshot(id)
      await this.deps.audit.append(ctx, { action: 'snapshot.delete', target, result: 'ok', requestId: res.requestId })
    } catch (err) {
      await this.deps.audit.append(ctx, { action: 'snapshot.delete', target, result: 'error', requestId: requestIdOf(err), message: (err as Error).message })
      throw err
    }
    if (ofDroplet) this.deps.bus.emit('droplets.changed', { ids: [dropletId] })
    return { deleted: true }
  }
}

/** Throws CONFIRMATION_REQUIRED (readOnly) when the managed-tag lock covers the droplet and `unlock` is not set. */
export type DropletLock = (dropletId: number, unlock: boolean | undefined, what: string) => Promise<void>

export function requestIdOf(err: unknown): string | undefined {
  return err instanceof DropdeckError ? (err.data as { requestId?: string } | undefined)?.requestId : undefined
}
