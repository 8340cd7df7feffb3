/** Add a host by hand: alias, host name, port, user, identity files, ProxyJump, proxy. */
import * as Dialog from '@radix-ui/react-dialog'
import { useId, useState, type FormEvent } from 'react'
import type { Params } from '../../../shared/contract'
import { useContractMutation } from '../rpc/contract-queries'
import { fieldErrors } from '../rpc/errors'
import { DialogActions } from '../ui/DialogActions'

export function AddHostDialog({ onClose }: { onClose: () => void }) {
  const addHost = useContractMutation('hosts.add')
  const id = useId()
  const [draft, setDraft] = useState({ id: '', hostname: '', port: '22', user: 'root', identityFiles: '', proxyJump: '', proxy: '' })
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)
  const set = (key: keyof typeof draft, value: string) => setDraft((d) => ({ ...d, [key]: value }))

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    if (!/^\d+$/.test(draft.port.trim())) return setErrors({ port: 'Enter a port number.' })
    const params: Params<'hosts.add'> = {
      id: draft.id.trim(),
      hostname: draft.hostname.trim(),
      port: Number(draft.port.trim()),
      user: draft.user.trim(),
      identityFiles: draft.identityFiles.split(/[\n,]/).map((s) => s.trim()).filter(Boolean),
      ...(draft.proxyJump.trim() ? { proxyJump: draft.proxyJump.trim() } : {}),
      ...(draft.proxy.trim() ? { proxy: draft.proxy.trim() } : {})
    }
    setBusy(true)
    addHost.mutateAsync(params).then(
      () => onClose(),
      (error: unknown) => {
        setBusy(false)
        setErrors(fieldErrors(error))
      }
    )
  }

  const field = (name: keyof typeof draft, label: string, props: { placeholder?: string; hint?: string; mono?: boolean; autoFocus?: boolean } = {}) => (
    <div className={`form-field form-field-${name}`}>
      <label className="dialog-label" htmlFor={`${id}-${name}`}>
        {label}
        {props.hint && <span className="faint"> {props.hint}</span>}
      </label>
      <input
        id={`${id}-${name}`}
        className={`input${props.mono === false ? '' : ' input-mono'}`}
        value={draft[name]}
        placeholder={props.placeholder}
        autoFocus={props.autoFocus}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={errors[name] ? true : undefined}
        onChange={(e) => set(name, e.target.value)}
      />
      <p className="field-error" role="alert" hidden={!errors[name]}>
        {errors[name]}
      </p>
    </div>
  )

  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog-content dialog-form">
          <form onSubmit={onSubmit} noValidate>
            <Dialog.Title className="dialog-title">Add a host</Dialog.Title>
            <Dialog.Description className="dialog-description">A host that is neither in ~/.ssh/config nor a droplet. Options you leave out come from ssh_config (Host *).</Dialog.Description>
            <div className="form-grid form-grid-host">
              {field('id', 'Alias', { placeholder: 'staging-db', autoFocus: true })}
              {field('hostname', 'Host name or IP', { placeholder: '10.0.0.12' })}
              {field('user', 'User')}
              {field('port', 'Port')}
              {field('identityFiles', 'Identity files', { placeholder: '~/.ssh/id_ed25519', hint: '(comma-separated, optional)' })}
              {field('proxyJump', 'ProxyJump', { placeholder: 'bastion', hint: '(optional)' })}
              {field('proxy', 'Proxy', { placeholder: 'socks5://127.0.0.1:1080', hint: '(optional)' })}
            </div>
            {errors[''] && (
              <p className="field-error dialog-error" role="alert">
                {errors['']}
              </p>
            )}
            <DialogActions label="Add host" busyLabel="Adding…" busy={busy} disabled={busy || !draft.id.trim() || !draft.hostname.trim() || !draft.user.trim()} />
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}
