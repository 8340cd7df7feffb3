/**
 * What can be done to one droplet. Destructive actions (the contract's list) need the droplet's
 * name typed; read-only droplets need "Unlock for one action" first, which sends `unlock: true`
 * with the next action only.
 */
import * as Dialog from '@radix-ui/react-dialog'
import * as Switch from '@radix-ui/react-switch'
import { Camera, Lock, Pencil, Power, PowerOff, RefreshCcw, RotateCw, Scaling, Square } from 'lucide-react'
import { useState, type FormEvent, type ReactNode } from 'react'
import { destructiveDropletActions } from '../../../shared/contract'
import { defaultSnapshotName } from '../fleet/format'
import { fieldErrors } from '../rpc/errors'
import type { Droplet, DropletAction } from '../rpc/provider-queries'
import { useSettings } from '../rpc/queries'
import { ErrorNotice } from '../ui/ErrorNotice'
import { TypedConfirmDialog } from '../ui/TypedConfirmDialog'
import { useDropletAction } from './use-droplet-mutations'
import { DialogActions } from '../ui/DialogActions'

type Destructive = (typeof destructiveDropletActions)[number]
type ActionType = DropletAction['type']

const isDestructive = (type: ActionType): type is Destructive => (destructiveDropletActions as readonly string[]).includes(type)

const copy: Record<Destructive, { title: string; button: string; body: (name: string) => string }> = {
  shutdown: { title: 'Shut down', button: 'Shut down', body: (n) => `Sends an ACPI shutdown to ${n}. Its services stop until it is powered on again.` },
  reboot: { title: 'Reboot', button: 'Reboot', body: (n) => `Restarts ${n} gracefully. Its services are unavailable until it is back up.` },
  power_cycle: { title: 'Power cycle', button: 'Power cycle', body: (n) => `Cuts power to ${n} and starts it again, like pressing reset. Unsaved data can be lost.` },
  power_off: { title: 'Power off', button: 'Power off', body: (n) => `Cuts power to ${n} at once, like pulling the plug. Unsaved data can be lost; a powered-off droplet is still billed.` },
  resize: { title: 'Resize', button: 'Resize', body: (n) => `Changes ${n}'s size. It must be powered off first. Resizing the disk too is permanent: it cannot be shrunk later.` },
  rename: { title: 'Rename', button: 'Rename', body: (n) => `Renames ${n} at DigitalOcean. SSH aliases and scripts that use the old name stop matching.` }
}

interface ActionButton {
  type: ActionType
  label: string
  icon: typeof Power
}

const powerButtons: ActionButton[] = [
  { type: 'power_on', label: 'Power on', icon: Power },
  { type: 'shutdown', label: 'Shut down', icon: Square },
  { type: 'reboot', label: 'Reboot', icon: RotateCw },
  { type: 'power_cycle', label: 'Power cycle', icon: RefreshCcw },
  { type: 'power_off', label: 'Power off', icon: PowerOff }
]
const otherButtons: ActionButton[] = [
  { type: 'snapshot', label: 'Snapshot…', icon: Camera },
  { type: 'resize', label: 'Resize…', icon: Scaling },
  { type: 'rename', label: 'Rename…', icon: Pencil }
]

export function DropletActions({ droplet, unlocked, onUnlockedChange }: { droplet: Droplet; unlocked: boolean; onUnlockedChange: (unlocked: boolean) => void }) {
  const managedTag = useSettings().data?.managedTag ?? 'the managed tag'
  const action = useDropletAction(droplet)
  const [dialog, setDialog] = useState<ActionType | null>(null)
  const locked = droplet.readOnly && !unlocked

  const send = (payload: DropletAction, confirm?: string) => {
    action.mutate(
      { action: payload, confirm, unlock: droplet.readOnly && unlocked },
      {
        onSuccess: () => {
          setDialog(null)
          // Unlocking is for one action only.
          onUnlockedChange(false)
        }
      }
    )
  }

  const open = (type: ActionType) => {
    action.reset()
    if (type === 'power_on') send({ type: 'power_on' })
    else setDialog(type)
  }

  const disabledFor = (type: ActionType) => {
    if (locked || action.isPending) return true
    if (type === 'power_on') return droplet.status === 'active'
    if (type === 'shutdown' || type === 'reboot' || type === 'power_off') return droplet.status === 'off'
    return false
  }

  const renderButton = ({ type, label, icon: Icon }: ActionButton) => (
    <button key={type} type="button" className="button button-small" disabled={disabledFor(type)} onClick={() => open(type)}>
      <Icon size={13} aria-hidden="true" />
      {label}
    </button>
  )

  return (
    <div className="dactions">
      {droplet.readOnly && (
        <div className={`readonly-bar${unlocked ? ' is-unlocked' : ''}`}>
          <Lock size={13} aria-hidden="true" />
          <span className="readonly-text">{unlocked ? 'Unlocked for the next action only.' : `Read-only: not tagged “${managedTag}”.`}</span>
          <label className="readonly-toggle">
            <Switch.Root className="switch" checked={unlocked} onCheckedChange={onUnlockedChange} aria-label="Unlock for one action">
              <Switch.Thumb className="switch-thumb" />
            </Switch.Root>
            <span aria-hidden="true">Unlock for one action</span>
          </label>
        </div>
      )}
      <div className="dactions-row" role="group" aria-label="Power">
        {powerButtons.map(renderButton)}
      </div>
      <div className="dactions-row" role="group" aria-label="Change">
        {otherButtons.map(renderButton)}
      </div>
      {action.error && !dialog && <ErrorNotice error={action.error} onDismiss={() => action.reset()} />}

      <SnapshotDialog open={dialog === 'snapshot'} onOpenChange={(o) => !o && setDialog(null)} droplet={droplet} busy={action.isPending} error={dialog === 'snapshot' ? action.error : null} onSubmit={(name) => send({ type: 'snapshot', name })} />

      {dialog && isDestructive(dialog) && (
        <DestructiveDialog
          type={dialog}
          droplet={droplet}
          busy={action.isPending}
          error={action.error}
          onClose={() => setDialog(null)}
          onConfirm={(payload, typed) => send(payload, typed)}
        />
      )}
    </div>
  )
}

function DestructiveDialog({ type, droplet, busy, error, onClose, onConfirm }: { type: Destructive; droplet: Droplet; busy: boolean; error: unknown; onClose: () => void; onConfirm: (action: DropletAction, typed: string) => void }) {
  const [size, setSize] = useState('')
  const [disk, setDisk] = useState(false)
  const [newName, setNewName] = useState('')
  const text = copy[type]
  const fields = fieldErrors(error)
  const fieldError = (name: string) => (error && fields[name] ? <p className="field-error">{fields[name]}</p> : null)

  let extra: ReactNode = null
  let ready = true
  if (type === 'resize') {
    ready = size.trim().length > 0
    extra = (
      <>
        <div className="dialog-field">
          <label className="dialog-label" htmlFor="resize-size">
            New size slug <span className="faint">(now {droplet.sizeSlug})</span>
          </label>
          <input id="resize-size" className="input input-mono" placeholder="s-2vcpu-4gb" value={size} onChange={(e) => setSize(e.target.value)} autoFocus spellCheck={false} />
          {fieldError('action')}
        </div>
        <label className="checkbox-row">
          <input type="checkbox" checked={disk} onChange={(e) => setDisk(e.target.checked)} />
          Resize the disk too (permanent)
        </label>
      </>
    )
  } else if (type === 'rename') {
    ready = newName.trim().length > 0 && newName.trim() !== droplet.name
    extra = (
      <div className="dialog-field">
        <label className="dialog-label" htmlFor="rename-name">
          New name
        </label>
        <input id="rename-name" className="input input-mono" value={newName} onChange={(e) => setNewName(e.target.value)} autoFocus spellCheck={false} />
        {fieldError('action')}
      </div>
    )
  }

  const payload = (): DropletAction =>
    type === 'resize' ? { type, size: size.trim(), disk } : type === 'rename' ? { type, name: newName.trim() } : ({ type } as DropletAction)

  return (
    <TypedConfirmDialog
      open
      onOpenChange={(o) => !o && onClose()}
      title={`${text.title} ${droplet.name}?`}
      description={text.body(droplet.name)}
      expected={droplet.name}
      confirmLabel={text.button}
      busy={busy}
      ready={ready}
      onConfirm={(typed) => onConfirm(payload(), typed)}
      error={error && !fields.action ? <ErrorNotice error={error} /> : undefined}
    >
      {extra}
    </TypedConfirmDialog>
  )
}

function SnapshotDialog({ open, onOpenChange, droplet, busy, error, onSubmit }: { open: boolean; onOpenChange: (open: boolean) => void; droplet: Droplet; busy: boolean; error: unknown; onSubmit: (name: string) => void }) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        {open && <SnapshotForm droplet={droplet} busy={busy} error={error} onSubmit={onSubmit} />}
      </Dialog.Portal>
    </Dialog.Root>
  )
}

function SnapshotForm({ droplet, busy, error, onSubmit }: { droplet: Droplet; busy: boolean; error: unknown; onSubmit: (name: string) => void }) {
  const [name, setName] = useState(() => defaultSnapshotName(droplet.name))
  const fields = fieldErrors(error)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (name.trim() && !busy) onSubmit(name.trim())
  }
  return (
    <Dialog.Content className="dialog-content dialog-wide">
      <form onSubmit={submit} noValidate>
        <Dialog.Title className="dialog-title">Snapshot {droplet.name}</Dialog.Title>
        <Dialog.Description className="dialog-description">
          Takes a snapshot of the droplet’s disk. Snapshots of a running droplet may miss data still in memory; DigitalOcean bills snapshots by size.
        </Dialog.Description>
        <div className="dialog-field">
          <label className="dialog-label" htmlFor="snapshot-name">
            Snapshot name
          </label>
          <input id="snapshot-name" className="input input-mono" value={name} onChange={(e) => setName(e.target.value)} autoFocus spellCheck={false} aria-invalid={fields.action ? true : undefined} />
          {error && fields.action ? <p className="field-error">{fields.action}</p> : null}
        </div>
        {error && !fields.action ? (
          <div className="dialog-error">
            <ErrorNotice error={error} />
          </div>
        ) : null}
        <DialogActions label="Take snapshot" busyLabel="Sending…" busy={busy} disabled={!name.trim() || busy} />
      </form>
    </Dialog.Content>
  )
}
