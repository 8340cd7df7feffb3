/** One text field in a dialog (a new folder's name, a new name, a mode), submitted with Enter. */
import * as Dialog from '@radix-ui/react-dialog'
import { useId, useState, type FormEvent } from 'react'
import { DialogActions } from '../ui/DialogActions'

interface PromptDialogProps {
  open: boolean
  onOpenChange: (open: boolean) => void
  title: string
  label: string
  initial: string
  confirmLabel: string
  onConfirm: (value: string) => void
  busy?: boolean
  /** The value must match it (and must not contain a slash either way). */
  pattern?: RegExp
}

export function PromptDialog(props: PromptDialogProps) {
  return (
    <Dialog.Root open={props.open} onOpenChange={props.onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        {props.open && <PromptContent {...props} />}
      </Dialog.Portal>
    </Dialog.Root>
  )
}

function PromptContent({ title, label, initial, confirmLabel, onConfirm, busy, pattern }: PromptDialogProps) {
  const [value, setValue] = useState(initial)
  const id = useId()
  const v = value.trim()
  const valid = v.length > 0 && !v.includes('/') && v !== '.' && v !== '..' && (!pattern || pattern.test(v))
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (valid && !busy) onConfirm(v)
  }
  return (
    <Dialog.Content className="dialog-content" aria-describedby={undefined}>
      <form onSubmit={submit} noValidate>
        <Dialog.Title className="dialog-title">{title}</Dialog.Title>
        <div className="dialog-field">
          <label htmlFor={`${id}-value`} className="dialog-label">
            {label}
          </label>
          <input id={`${id}-value`} className="input input-mono" autoComplete="off" spellCheck={false} value={value} autoFocus onChange={(e) => setValue(e.target.value)} aria-invalid={value !== '' && !valid} />
        </div>
        <DialogActions label={confirmLabel} busyLabel="Working…" busy={busy} disabled={!valid || busy} />
      </form>
    </Dialog.Content>
  )
}
