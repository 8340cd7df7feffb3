/**
 * Deploy a version of a service, from one of three sources: a tag in a registry (the team's
 * DigitalOcean registry lists its tags newest first; any other registry takes a typed tag, pulled with
 * the host's own login or one typed here for this pull only), a version already on the host, or a git
 * ref built on the host (Compose services with `build:`). Says what will change (the running version,
 * the one it will run) and whether the switch leaves a gap; the service's deploy settings (health gate,
 * versions kept, pre/post-deploy commands) fold out below.
 */
import * as Dialog from '@radix-ui/react-dialog'
import { useId, useState, type FormEvent } from 'react'
import type { Params } from '../../../shared/contract'
import { useContractMutation, useContractQuery } from '../rpc/contract-queries'
import { Callout } from '../ui/Callout'
import { DialogActions } from '../ui/DialogActions'
import { ErrorNotice } from '../ui/ErrorNotice'
import { isLockedRefusal, LockedRefusal } from '../ui/LockedRefusal'
import { formatAgo, formatBytes } from '../ui/format'
import type { Service } from './deploys-queries'
import { DeploySettingsForm } from './DeploySettingsForm'
import { GitRefPicker, GIT_REF } from './GitRefPicker'
import { RegistryLogin, type Login } from './RegistryLogin'

const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127}$/

type Source = 'registry' | 'host' | 'git'

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
  const id = useId()
  const running = service.running?.tag ?? null
  const choices = service.retained.filter((r) => r.tag !== running)
  const [source, setSource] = useState<Source>(choices.length > 0 ? 'host' : 'registry')
  // The registry's tags when the image is in the team's DigitalOcean registry; none for a typed tag.
  const registry = useContractQuery('deploys.tags', { hostId, serviceId: service.id }, { staleTime: 30_000 })
  const docr = registry.data?.source === 'docr'
  const registryTags = docr ? registry.data!.tags.filter((t) => t.tag !== running) : []
  // The fields keep what was typed (a space typed between two characters stays, and shows as invalid);
  // the values used are trimmed, so a paste with blanks around it still works.
  const [tagText, setTag] = useState(choices[0]?.tag ?? '')
  const [gitRefText, setGitRef] = useState('')
  const tag = tagText.trim()
  const gitRef = gitRefText.trim()
  const [login, setLogin] = useState<Login | null>(null)
  const start = useContractMutation('deploys.start')

  const onHost = service.retained.some((r) => r.tag === tag)
  const validTag = TAG.test(tag) && tag !== running
  const loginComplete = source !== 'registry' || !login || Boolean(login.username && login.password)
  const valid = source === 'git' ? GIT_REF.test(gitRef) : validTag && (source === 'registry' || onHost) && loginComplete
  const target = source === 'git' ? (gitRef ? `git ${gitRef}` : '…') : tag || '…'

  // unlock: the operator's answer to the managed-tag refusal of a droplet host, for this one deploy.
  const go = (unlock?: boolean) => {
    if (!valid || start.isPending) return
    const base = { hostId, serviceId: service.id, ...(unlock ? { unlock } : {}) }
    const params: Params<'deploys.start'> = source === 'git' ? { ...base, gitRef } : { ...base, tag, ...(source === 'registry' && login ? { registry: login } : {}) }
    start.mutate(params, { onSuccess: ({ deployId }) => onStarted(deployId) })
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    go()
  }
  const pick = (s: Source) => {
    setSource(s)
    start.reset()
    if (s === 'host' && !onHost) setTag(choices[0]?.tag ?? '')
  }

  return (
    <Dialog.Content className="dialog-content dialog-wide deploy-dialog" aria-describedby={`${id}-what`}>
      <form onSubmit={submit} noValidate>
        <Dialog.Title className="dialog-title">Deploy {service.name}</Dialog.Title>
        <Dialog.Description className="dialog-description" id={`${id}-what`}>
          {service.image} on {hostId}, now running <span className="mono">{running ?? 'nothing'}</span>. The new version must pass its health gate before the old one is stopped for good; if it fails, {service.name} is rolled back by itself.
        </Dialog.Description>
        <div className="dialog-fields">
          <div className="segmented deploy-source" role="radiogroup" aria-label="Where the version comes from">
            {(
              [
                ['registry', docr ? 'Registry tag' : 'Tag to pull'],
                ['host', `On the host (${choices.length})`],
                ['git', 'Git ref']
              ] as const
            ).map(([value, label]) => (
              <label key={value} className="segmented-option">
                <input type="radio" name={`${id}-source`} value={value} checked={source === value} onChange={() => pick(value)} />
                {label}
              </label>
            ))}
          </div>

          {source === 'registry' && (
            <div className="dialog-field">
              <label className="dialog-label" htmlFor={`${id}-tag`}>
                Tag
              </label>
              <input id={`${id}-tag`} className="input input-mono" value={tagText} onChange={(e) => setTag(e.target.value)} autoComplete="off" spellCheck={false} aria-invalid={tag !== '' && !validTag} placeholder="e.g. deploy_1a2b3c4d" />
              {tag !== '' && !validTag && (
                <p className="field-error small" role="alert">
                  {tag === running ? `${tag} is the version running now.` : 'A tag is letters, digits, _ . and - (up to 128, not starting with . or -).'}
                </p>
              )}
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
              <p className="faint small">
                {docr
                  ? `Pulled first from the DigitalOcean registry ${registry.data?.registry ?? ''} with short-lived credentials held in memory, outside the lock.`
                  : onHost
                    ? `${service.image}:${tag} is already on the host: nothing to pull.`
                    : `${service.image}:${tag || '<tag>'} is pulled first, outside the lock, with the host's own registry login unless you give one below.`}
              </p>
              {!docr && <RegistryLogin image={service.image} value={login} onChange={setLogin} />}
            </div>
          )}

          {source === 'host' && (
            <div className="dialog-field">
              <span className="dialog-label">Version kept on the host</span>
              {choices.length > 0 ? (
                <div className="deploy-tag-choices" role="group" aria-label="Versions on the host">
                  {choices.map((r) => (
                    <button key={r.tag} type="button" className={`chip deploy-tag${r.tag === tag ? ' is-picked' : ''}`} aria-pressed={r.tag === tag} onClick={() => setTag(r.tag)}>
                      <span className="mono">{r.tag}</span> <span className="faint">{formatAgo(r.createdAt)}</span>
                    </button>
                  ))}
                </div>
              ) : (
                <p className="faint small">No other version of {service.image} is on the host; pull a tag or build a git ref.</p>
              )}
              <p className="faint small">Newest first. Nothing is pulled or built: the switch starts at once under the lock.</p>
            </div>
          )}

          {source === 'git' && <GitRefPicker hostId={hostId} service={service} value={gitRefText} onChange={setGitRef} />}

          <p className="deploy-change">
            <span className="mono">{running ?? '—'}</span> → <span className="mono">{target}</span>
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
          <DeploySettingsForm hostId={hostId} service={service} />
        </div>
        {start.error !== null && (isLockedRefusal(start.error) ? <LockedRefusal error={start.error} busy={start.isPending} onUnlock={() => go(true)} /> : <ErrorNotice error={start.error} title={`${service.name} could not be deployed`} />)}
        <DialogActions label={source === 'git' ? `Build and deploy ${gitRef || 'ref'}` : `Deploy ${tag || 'version'}`} busyLabel={source === 'git' ? 'Fetching…' : 'Starting…'} busy={start.isPending} disabled={!valid || start.isPending} />
      </form>
    </Dialog.Content>
  )
}
