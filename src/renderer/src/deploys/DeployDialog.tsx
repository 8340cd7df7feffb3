/**
 * Deploy a version of a service: pick a tag from the team's DigitalOcean registry (newest first, with
 * dates and sizes) when the image lives there, or one the host has, or type one to pull; says what will
 * change (the running version, the one it will run) and whether the switch leaves a gap.
 */
import * as Dialog from '@radix-ui/react-dialog'
import { useQuery } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { useApi } from '../rpc/api-context'
import { Callout } from '../ui/Callout'
import { DialogActions } from '../ui/DialogActions'
import { ErrorNotice } from '../ui/ErrorNotice'
import { isLockedRefusal, LockedRefusal } from '../ui/LockedRefusal'
import { formatAgo, formatBytes } from '../ui/format'
import { deploysKeys, type Service } from './deploys-queries'

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
  // The registry's tags when the image is in the team's DigitalOcean registry; none for a typed tag.
  const registry = useQuery({ queryKey: deploysKeys.tags(hostId, service.id), queryFn: () => api.call('deploys.tags', { hostId, serviceId: service.id }), staleTime: 30_000 })
  const registryTags = registry.data?.source === 'docr' ? registry.data.tags.filter((t) => t.tag !== running) : []
  const [tag, setTag] = useState(choices[0]?.tag ?? '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const valid = TAG.test(tag) && tag !== running
  const onHost = service.retained.some((r) => r.tag === tag)
  const inRegistry = registryTags.some((t) => t.tag === tag)
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
            {registryTags.length > 0 && (
              <div className="deploy-tag-choices" role="group" aria-label={`Tags in the registry ${registry.data?.registry ?? ''}`}>
                {registryTags.map((t) => (
                  <button key={t.tag} type="button" className={`chip deploy-tag${t.tag === tag ? ' is-picked' : ''}`} aria-pressed={t.tag === tag} onClick={() => setTag(t.tag)} title={t.digest}>
                    <span className="mono">{t.tag}</span> <span className="faint">{formatAgo(t.updatedAt)} · {formatBytes(t.compressedSizeBytes, 'si')}</span>
                  </button>
                ))}
              </div>
            )}
            {registry.isError && <p className="faint small">The registry's tags could not be listed; type a tag.</p>}
            <div className="deploy-tag-choices" role="group" aria-label="Versions on the host">
              {choices.map((r) => (
                <button key={r.tag} type="button" className={`chip deploy-tag${r.tag === tag ? ' is-picked' : ''}`} aria-pressed={r.tag === tag} onClick={() => setTag(r.tag)}>
                  <span className="mono">{r.tag}</span> <span className="faint">{formatAgo(r.createdAt)}</span>
                </button>
              ))}
            </div>
            <p className="faint small">
              {tag && !onHost
                ? inRegistry || registry.data?.source === 'docr'
                  ? `${service.image}:${tag} is pulled first from the DigitalOcean registry ${registry.data?.registry ?? ''}, with short-lived credentials held in memory, outside the lock.`
                  : `${service.image}:${tag} is not on the host: it is pulled first (with the host's registry login), outside the lock.`
                : registryTags.length > 0
                  ? "The registry's tags and the versions on the host, newest first; or type a tag."
                  : 'Versions on the host, newest first; or type a tag to pull.'}
            </p>
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
