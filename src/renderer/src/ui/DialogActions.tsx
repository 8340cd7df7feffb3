/**
 * A dialog's footer: Cancel, which closes it, and the confirming button, which says what it is doing
 * while busy. In a form dialog that button submits the form; a dialog without a form (`onConfirm`)
 * asks before something, so its Cancel, the safe choice, has focus.
 */
import * as Dialog from '@radix-ui/react-dialog'
import type { ReactNode } from 'react'

export function DialogActions({
  label,
  busyLabel,
  busy,
  disabled,
  tone = 'primary',
  onConfirm
}: {
  label: ReactNode
  busyLabel?: string
  busy?: boolean
  disabled?: boolean
  tone?: 'primary' | 'danger'
  onConfirm?: () => void
}) {
  return (
    <div className="dialog-actions">
      <DialogCancel autoFocus={onConfirm !== undefined} />
      <button type={onConfirm ? 'button' : 'submit'} className={`button button-${tone}`} onClick={onConfirm} disabled={disabled}>
        {busy && busyLabel ? busyLabel : label}
      </button>
    </div>
  )
}

/** The button that closes a dialog without doing anything ("Close" where there is nothing to do). */
export function DialogCancel({ label = 'Cancel', autoFocus }: { label?: string; autoFocus?: boolean }) {
  return (
    <Dialog.Close asChild>
      <button type="button" className="button" autoFocus={autoFocus}>
        {label}
      </button>
    </Dialog.Close>
  )
}
