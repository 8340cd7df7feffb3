/**
 * The dialogs useSshFlow opens when connecting stops on the operator: trust an unknown host key by
 * its fingerprint, refuse a changed one (with the command that removes the old entry), unlock a key
 * with its passphrase, or give the host's password. Each submits through the callback it is given
 * and shows that call's error in place.
 */
import * as Dialog from '@radix-ui/react-dialog'
import { KeyRound, LockKeyhole, ShieldAlert, ShieldQuestion } from 'lucide-react'
import { useId, useState, type FormEvent } from 'react'
import { DropdeckError } from '../../../shared/errors'
import { errorMessage } from '../rpc/errors'
import { DialogActions, DialogCancel } from '../ui/DialogActions'
import { ErrorNotice } from '../ui/ErrorNotice'

export type Retry = () => Promise<unknown>

export type Pending =
  /** knownTypes: keys of other types are on record for this host, and the server did not offer them. */
  | { kind: 'unknown'; hostId: string; fingerprint: string; keyType?: string; host?: string; knownTypes?: string[]; retry: Retry }
  | { kind: 'mismatch'; hostId: string; fingerprint?: string; file?: string; line?: number; removeCommand?: string }
  | { kind: 'passphrase'; hostId: string; keyPath: string; retry: Retry }
  | { kind: 'password'; hostId: string; user?: string; wrong: boolean; retry: Retry; asked: number }

function useSubmit(action: () => Promise<unknown>) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const submit = () => {
    setBusy(true)
    setError(null)
    action().then(
      () => setBusy(false),
      (e: unknown) => {
        setBusy(false)
        setError(e)
      }
    )
  }
  return { busy, error, submit }
}

export function TrustKeyDialog({ pending, address, onTrust, onCancel }: { pending: Extract<Pending, { kind: 'unknown' }>; address?: string; onTrust: (alsoKnownHosts: boolean) => Promise<unknown>; onCancel: () => void }) {
  const [alsoKnownHosts, setAlsoKnownHosts] = useState(false)
  const { busy, error, submit } = useSubmit(() => onTrust(alsoKnownHosts))
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onCancel()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog-content dialog-wide hostkey-dialog">
          <Dialog.Title className="dialog-title dialog-title-icon">
            <ShieldQuestion size={16} aria-hidden="true" />
            Trust the host key of {pending.hostId}?
          </Dialog.Title>
          {pending.knownTypes && (
            <div className="callout callout-warning" role="alert">
              <ShieldAlert size={16} className="callout-icon" aria-hidden="true" />
              <div className="callout-body">
                Only a {pending.knownTypes.join(', ')} key is on record for this host, and the server did not offer it. The server may have been rebuilt, or someone may be intercepting the connection.
              </div>
            </div>
          )}
          <Dialog.Description className="dialog-description">
            {pending.knownTypes ? 'This key is of another type than the one on record.' : 'Dropdeck has not seen this host’s key before.'} Compare the fingerprint with the one the server’s owner gives you (on the server: <code className="mono">ssh-keygen -lf /etc/ssh/ssh_host_{(pending.keyType ?? 'ed25519').replace(/^ssh-/, '')}_key.pub</code>) before trusting it.
          </Dialog.Description>
          <dl className="hostkey-facts">
            <dt>Host</dt>
            <dd className="mono">{address ? `${pending.hostId} (${address})` : pending.hostId}</dd>
            {pending.keyType && (
              <>
                <dt>Key type</dt>
                <dd className="mono">{pending.keyType}</dd>
              </>
            )}
            <dt>Fingerprint</dt>
            <dd className="mono hostkey-fingerprint" data-testid="host-key-fingerprint">
              {pending.fingerprint}
            </dd>
          </dl>
          <label className="checkbox-row hostkey-also">
            <input type="checkbox" checked={alsoKnownHosts} onChange={(e) => setAlsoKnownHosts(e.target.checked)} />
            <span>
              Also add it to your SSH known_hosts, so a plain <code className="mono">ssh</code> in a terminal trusts it too (hashed if that file uses hashes)
            </span>
          </label>
          {error !== null && (
            <div className="dialog-error">
              <ErrorNotice error={error} title="The key was not trusted" />
            </div>
          )}
          <DialogActions label="Trust and connect" busyLabel="Connecting…" busy={busy} disabled={busy} onConfirm={submit} />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}

export function MismatchDialog({ pending, address, onClose }: { pending: Extract<Pending, { kind: 'mismatch' }>; address?: string; onClose: () => void }) {
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog-content dialog-wide hostkey-mismatch" role="alertdialog">
          <Dialog.Title className="dialog-title dialog-title-icon hostkey-mismatch-title">
            <ShieldAlert size={18} aria-hidden="true" />
            The host key of {pending.hostId} has changed
          </Dialog.Title>
          <Dialog.Description className="dialog-description">
            {address ?? pending.hostId} presented a different key from the one on record. Someone may be intercepting the connection, or the server was reinstalled. Dropdeck will not connect to it.
          </Dialog.Description>
          <dl className="hostkey-facts">
            {pending.fingerprint && (
              <>
                <dt>Presented</dt>
                <dd className="mono hostkey-fingerprint">{pending.fingerprint}</dd>
              </>
            )}
            {pending.file && (
              <>
                <dt>Recorded in</dt>
                <dd className="mono">
                  {pending.file}
                  {pending.line !== undefined && `:${pending.line}`}
                </dd>
              </>
            )}
          </dl>
          <p className="hostkey-advice">
            If you know the server’s key really changed, remove the old entry, then connect again:
          </p>
          <pre className="mono hostkey-command" aria-label="Command that removes the old entry">{pending.removeCommand ?? `ssh-keygen -R ${pending.hostId}`}</pre>
          <p className="hostkey-advice faint small">
            Run it in a terminal on this machine: it removes every key recorded under that name in that file (a backup is kept as {pending.file ? `${pending.file}.old` : 'known_hosts.old'}).
          </p>
          <div className="dialog-actions">
            <DialogCancel label="Close" autoFocus />
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}

export function PassphraseDialog({ pending, onUnlock, onCancel }: { pending: Extract<Pending, { kind: 'passphrase' }>; onUnlock: (passphrase: string, remember: boolean) => Promise<unknown>; onCancel: () => void }) {
  const [passphrase, setPassphrase] = useState('')
  const [remember, setRemember] = useState(false)
  const { busy, error, submit } = useSubmit(() => onUnlock(passphrase, remember))
  const id = useId()
  const wrong = error instanceof DropdeckError && error.code === 'AUTH_FAILED'
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    if (passphrase && !busy) submit()
  }
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onCancel()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog-content dialog-form">
          <form onSubmit={onSubmit} noValidate>
            <Dialog.Title className="dialog-title dialog-title-icon">
              <KeyRound size={16} aria-hidden="true" />
              Unlock the key for {pending.hostId}
            </Dialog.Title>
            <Dialog.Description className="dialog-description">
              <span className="mono">{pending.keyPath}</span> is protected by a passphrase.
            </Dialog.Description>
            <div className="dialog-field">
              <label className="dialog-label" htmlFor={`${id}-pass`}>
                Passphrase
              </label>
              <input id={`${id}-pass`} className="input" type="password" autoComplete="off" autoFocus value={passphrase} onChange={(e) => setPassphrase(e.target.value)} aria-invalid={wrong || undefined} />
              {wrong && (
                <p className="field-error" role="alert">
                  That passphrase did not unlock the key.
                </p>
              )}
            </div>
            <label className="checkbox-row">
              <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
              Remember in the OS keychain
            </label>
            {error !== null && !wrong && (
              <div className="dialog-error">
                <p className="field-error" role="alert">
                  {errorMessage(error)}
                </p>
              </div>
            )}
            <DialogActions label="Unlock and connect" busyLabel="Unlocking…" busy={busy} disabled={busy || !passphrase} />
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}

export function PasswordDialog({ pending, address, onSubmit, onCancel }: { pending: Extract<Pending, { kind: 'password' }>; address?: string; onSubmit: (password: string, remember: boolean) => Promise<unknown>; onCancel: () => void }) {
  const [password, setPassword] = useState('')
  const [remember, setRemember] = useState(false)
  const { busy, error, submit } = useSubmit(() => onSubmit(password, remember))
  const id = useId()
  const onFormSubmit = (event: FormEvent) => {
    event.preventDefault()
    if (password && !busy) submit()
  }
  const who = pending.user ?? 'the user'
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onCancel()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog-content dialog-form">
          <form onSubmit={onFormSubmit} noValidate>
            <Dialog.Title className="dialog-title dialog-title-icon">
              <LockKeyhole size={16} aria-hidden="true" />
              Password for {pending.hostId}
            </Dialog.Title>
            <Dialog.Description className="dialog-description">
              {address ? <span className="mono">{address}</span> : pending.hostId} takes a password for {who}. Dropdeck keeps it for this session, so reconnects do not ask again.
            </Dialog.Description>
            <div className="dialog-field">
              <label className="dialog-label" htmlFor={`${id}-password`}>
                Password
              </label>
              <input id={`${id}-password`} className="input" type="password" autoComplete="off" autoFocus value={password} onChange={(e) => setPassword(e.target.value)} aria-invalid={pending.wrong || undefined} aria-describedby={pending.wrong ? `${id}-wrong` : undefined} />
              {pending.wrong && (
                <p className="field-error" role="alert" id={`${id}-wrong`}>
                  {pending.hostId} refused that password. A password kept in the keychain stays there until you save a new one.
                </p>
              )}
            </div>
            <label className="checkbox-row">
              <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
              Remember in the OS keychain
            </label>
            {error !== null && (
              <div className="dialog-error">
                <p className="field-error" role="alert">
                  {errorMessage(error)}
                </p>
              </div>
            )}
            <DialogActions label="Connect" busyLabel="Connecting…" busy={busy} disabled={busy || !password} />
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}
