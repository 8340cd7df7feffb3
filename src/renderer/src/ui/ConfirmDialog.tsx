/** A Radix dialog that asks before a destructive action; the safe choice has focus. */
import * as Dialog from '@radix-ui/react-dialog'
import type { ReactNode } from 'react'
import { DialogActions } from './DialogActions'

interface ConfirmDialogProps {
  open: boolean
  onOpenChange: (open: boolean) => void
  title: string
  description: ReactNode
  confirmLabel: string
  onConfirm: () => void
  busy?: boolean
}

export function ConfirmDialog({ open, onOpenChange, title, description, confirmLabel, onConfirm, busy }: ConfirmDialogProps) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog-content">
          <Dialog.Title className="dialog-title">{title}</Dialog.Title>
          <Dialog.Description className="dialog-description">{description}</Dialog.Description>
          <DialogActions label={confirmLabel} tone="danger" disabled={busy} onConfirm={onConfirm} />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}
