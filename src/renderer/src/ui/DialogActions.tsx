/** A form dialog's footer: Cancel, which closes it, and the submit button, which says what it is doing while busy. */
import * as Dialog from '@radix-ui/react-dialog'
import type { ReactNode } from 'react'

export function DialogActions({ label, busyLabel, busy, disabled, tone = 'primary' }: { label: ReactNode; busyLabel: string; busy?: boolean; disabled?: boolean; tone?: 'primary' | 'danger' }) {
  return (
    <div className="dialog-actions">
      <Dialog.Close asChild>
        <button type="button" className="button">
          Cancel
        </button>
      </Dialog.Close>
      <button type="submit" className={`button button-${tone}`} disabled={disabled}>
        {busy ? busyLabel : label}
      </button>
    </div>
  )
}
