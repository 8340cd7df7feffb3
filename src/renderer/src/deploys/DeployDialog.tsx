/**
 * Deploy a version of a service: pick a tag the host has (newest first) or type one to pull; says
 * what will change (the running version, the one it will run) and whether the switch leaves a gap.
 */
import * as Dialog from '@radix-ui/react-dialog'
import { useId, useState, type FormEvent } from 'react'
import { useApi } from '../rpc/api-context'
import { Callout } from '../ui/Callout'
import { DialogActions } from '../ui/DialogActions'
import { ErrorNotice } from '../ui/ErrorNotice'
import { isLockedRefusal, LockedRefusal } from '../ui/LockedRefusal'
import { formatAgo } from '../ui/format'
import type { Service } from './deploys-queries'

const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127}$/

export function DeployDialog({ hostId, service, open, onOpenChange, onStarted }: { hostId: string; service: Service | null; open: boolean; onOpenChange: (open: boolean) => void; onStarted: (deployId: string) => void }) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        {open && service && <DeployForm hostId={hostId} service={service} onStarted={onStarted} />}
      </Dialog.Portal>
    </Dialog.Root>
  )
}

function DeployForm({ hostId, service, onStarted }: { hostId: string; service: Service; onStarted: (deployId: string) => void }) {
  const api = useApi()
  const id = useId()
  const running = service.running?.tag ?? null
  const choices = service.retained.filter((r) => r.tag !== running)
  const [tag, setTag] = useState(choices[0]?.tag ?? '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const valid = TAG.test(tag) && tag !== running
  const onHost = service.retained.some((r) => r.tag === tag)
  // unlock: the operator's answer to the managed-tag refusal of a droplet host, for this one deploy.
  const start = (unlock?: boolean) => {
    if (!valid || busy) return
    setBusy(true)
    setError(null)
    api.call('deploys.start', { hostId, serviceId: service.id, tag, ...(unlock ? { unlock } : {}) }).then(
      ({ deployId }) => onStarted(deployId),
      (err: unknown) => {
        setError(err)
        setBusy(false)
      }
    )
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    start()
  }
  return (
    <Dialog.Content className="dialog-content dialog-wide" aria-describedby={`${id}-what`}>
      <form onSubmit={submit} noValidate>
        <Dialog.Title className="dialog-title">Deploy {service.name}</Dialog.Title>
        <Dialog.Description className="dialog-description" id={`${id}-what`}>
          {service.image} on {hostId}, now running <span className="mono">{running ?? 'nothing'}</span>. The new version must pass its health gate before the old one is stopped for good; if it fails, {service.name} is rolled back by itself.
        </Dialog.Description>
        <div className="dialog-fields">
          <div className="dialog-field">
            <label className="dialog-label" htmlFor={`${id}-tag`}>
              Version (tag)
            </label>
            <input id={`${id}-tag`} className="input input-mono" list={`${id}-tags`} value={tag} onChange={(e) => setTag(e.target.value.trim())} autoComplete="off" spellCheck={false} aria-invalid={tag !== '' && !valid} />
            <datalist id={`${id}-tags`}>
              {choices.map((r) => (
                <option key={r.tag} value={r.tag}>
                  built {formatAgo(r.createdAt)}
                </option>
              ))}
            </datalist>
            <div className="deploy-tag-choices" role="group" aria-label="Versions on the host">
              {choices.map((r) => (
                <button key={r.tag} type="button" className={`chip deploy-tag${r.tag === tag ? ' is-picked' : ''}`} aria-pressed={r.tag === tag} onClick={() => setTag(r.tag)}>
                  <span className="mono">{r.tag}</span> <span className="faint">{formatAgo(r.createdAt)}</span>
                </button>
              ))}
            </div>
            <p className="faint small">{tag && !onHost ? `${service.image}:${tag} is not on the host: it is pulled first (with the host's registry login), outside the lock.` : 'Versions on the host, newest first; or type a tag to pull.'}</p>
          </div>
          <p className="deploy-change">
            <span className="mono">{running ?? '—'}</span> → <span className="mono">{tag || '…'}</span>
          </p>
          {service.switchMode === 'stop-first' ? (
            <Callout tone="warning" title="Brief downtime while switching">
              The old version is stopped before the new one starts, because {service.gapReason}. The gap is measured and shown afterwards.
            </Callout>
          ) : (
            <Callout tone="info" title="No gap">
              No host port is bound: the new version starts beside the old one, which keeps serving until the new one is healthy.
            </Callout>
          )}
          {service.compose && (
            <p className="faint small">
              Compose pins the image in Dropdeck's override <span className="mono">{service.compose.overrideFile}</span>; your Compose files are not edited.
            </p>
          )}
        </div>
        {error !== null && (isLockedRefusal(error) ? <LockedRefusal error={error} busy={busy} onUnlock={() => start(true)} /> : <ErrorNotice error={error} title={`${service.name} could not be deployed`} />)}
        <DialogActions label={`Deploy ${tag || 'version'}`} busyLabel="Starting…" busy={busy} disabled={!valid || busy} />
      </form>
    </Dialog.Content>
  )
}
