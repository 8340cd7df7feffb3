/**
 * A dialog for actions that lose work or availability: the operator types the target's name to
 * enable the button (what they type is sent as `confirm`, so the service checks it too). Extra
 * fields (a new size, a new name) go in `children`.
 */
import * as Dialog from '@radix-ui/react-dialog'
import { useId, useState, type FormEvent, type ReactNode } from 'react'
import { DialogActions } from './DialogActions'

interface TypedConfirmDialogProps {
  open: boolean
  onOpenChange: (open: boolean) => void
  title: string
  description: ReactNode
  /** What must be typed, exactly. */
  expected: string
  confirmLabel: string
  onConfirm: (typed: string) => void
  busy?: boolean
  /** Extra fields; `ready` false keeps the button disabled (e.g. a required size). */
  children?: ReactNode
  ready?: boolean
  error?: ReactNode
}

export function TypedConfirmDialog(props: TypedConfirmDialogProps) {
  return (
    <Dialog.Root open={props.open} onOpenChange={props.onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        {/* Remounted per opening so the typed name never carries over to the next action. */}
        {props.open && <TypedConfirmContent {...props} />}
      </Dialog.Portal>
    </Dialog.Root>
  )
}

function TypedConfirmContent({ title, description, expected, confirmLabel, onConfirm, busy, children, ready = true, error }: TypedConfirmDialogProps) {
  const [typed, setTyped] = useState('')
  const id = useId()
  const matches = typed === expected
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    if (matches && ready && !busy) onConfirm(typed)
  }
  return (
    <Dialog.Content className="dialog-content dialog-wide">
      <form onSubmit={onSubmit} noValidate>
        <Dialog.Title className="dialog-title">{title}</Dialog.Title>
        <Dialog.Description className="dialog-description">{description}</Dialog.Description>
        {children && <div className="dialog-fields">{children}</div>}
        <div className="dialog-field">
          <label htmlFor={`${id}-confirm`} className="dialog-label">
            Type <strong className="mono">{expected}</strong> to confirm
          </label>
          <input
            id={`${id}-confirm`}
            className="input input-mono"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            autoFocus={!children}
            onChange={(event) => setTyped(event.target.value)}
          />
        </div>
        {error && <div className="dialog-error">{error}</div>}
        <DialogActions label={confirmLabel} busyLabel="Sending…" busy={busy} disabled={!matches || !ready || busy} tone="danger" />
      </form>
    </Dialog.Content>
  )
}
