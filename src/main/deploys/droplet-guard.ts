/**
 * The managed-tag check before a deploy or rollback (seed 004): a host that is a droplet of the
 * active team must carry the managed tag, or the operator unlocks it for this one action, exactly
 * as for droplet actions (the same CONFIRMATION_REQUIRED refusal with `data.readOnly`). Hosts that
 * are not droplets (ssh_config, added by hand) have no tag to check.
 */
import type { HostSourceSchema } from '../../shared/contract/ssh'
import type { z } from 'zod'

export interface DropletGuardDeps {
  /** Where the host comes from. */
  hostSource: (hostId: string) => Promise<z.infer<typeof HostSourceSchema>>
  /** The active team's droplets (id and name), to find the host's droplet by its name. */
  droplets: () => Promise<Array<{ id: number; name: string }>>
  /** The droplets' managed-tag lock: throws the refusal unless the droplet is writable or `unlock` is true. */
  assertWritable: (dropletId: number, unlock: boolean | undefined, what: string) => Promise<void>
}

/** Throws the managed-tag refusal when `hostId` is a droplet without the tag and the operator did not unlock it. */
export type DropletGuard = (hostId: string, unlock: boolean | undefined, what: string) => Promise<void>

export function createDropletGuard(deps: DropletGuardDeps): DropletGuard {
  return async (hostId, unlock, what) => {
    if ((await deps.hostSource(hostId)) !== 'droplet') return
    const droplet = (await deps.droplets()).find((d) => d.name === hostId)
    // Listed as a droplet host but gone from the list since: nothing left to protect.
    if (!droplet) return
    await deps.assertWritable(droplet.id, unlock, what)
  }
}
