/**
 * The managed-tag lock refused a mutation that reaches a read-only droplet (deleting its snapshot,
 * putting a firewall on it). The operator sees why and may unlock for this one call; the retry sends
 * `unlock: true` and nothing is remembered.
 */
import { Lock } from 'lucide-react'
import { errorData } from '../../../shared/error-data'
import type { DropdeckError } from '../../../shared/errors'
import { Callout } from './Callout'

export function isLockedRefusal(error: unknown): error is DropdeckError {
  return errorData(error, 'CONFIRMATION_REQUIRED')?.readOnly === true
}

export function LockedRefusal({ error, busy, onUnlock }: { error: DropdeckError; busy?: boolean; onUnlock: () => void }) {
  return (
    <Callout
      tone="warning"
      title="Read-only droplet"
      actions={
        <button type="button" className="button button-small" disabled={busy} onClick={onUnlock}>
          <Lock size={12} aria-hidden="true" />
          Unlock for this action
        </button>
      }
    >
      {error.message}
    </Callout>
  )
}
