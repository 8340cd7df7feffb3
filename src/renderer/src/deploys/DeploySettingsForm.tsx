/**
 * A service's deploy settings, folded away in the deploy dialog (the defaults work without them): the
 * health gate (HTTP URL asked from the host when the image has no Docker health check, expected status,
 * timeout, consecutive successes), how many versions to keep, and the pre/post-deploy commands run on
 * the host in the project's folder, with their time limit. Saved for this machine (deploys.configure).
 */
import { useId, useState } from 'react'
import type { DeploySettings } from '../../../shared/contract/deploys'
import { useContractMutation, useContractQuery } from '../rpc/contract-queries'
import { ErrorNotice } from '../ui/ErrorNotice'
import type { Service } from './deploys-queries'

interface Draft {
  healthUrl: string
  expectStatus: string
  healthTimeoutS: string
  successes: string
  keep: string
  preDeploy: string
  postDeploy: string
  commandTimeoutS: string
}

const toDraft = (s: DeploySettings): Draft => ({
  healthUrl: s.healthUrl ?? '',
  expectStatus: String(s.expectStatus),
  healthTimeoutS: String(Math.round(s.healthTimeoutMs / 1000)),
  successes: String(s.successes),
  keep: String(s.keep),
  preDeploy: s.preDeploy ?? '',
  postDeploy: s.postDeploy ?? '',
  commandTimeoutS: String(Math.round(s.commandTimeoutMs / 1000))
})

const int = (text: string, min: number, max: number): number | null => {
  const n = Number(text)
  return Number.isInteger(n) && n >= min && n <= max ? n : null
}

function parse(d: Draft): { settings: Partial<DeploySettings>; problem: string | null } {
  const url = d.healthUrl.trim()
  if (url && !/^http:\/\/\S+$/i.test(url)) return { settings: {}, problem: 'The health URL must start with http://: it is requested from the host itself over plain HTTP, e.g. http://127.0.0.1:8080/health' }
  const expectStatus = int(d.expectStatus, 100, 599)
  const healthTimeout = int(d.healthTimeoutS, 1, 1800)
  const successes = int(d.successes, 1, 20)
  const keep = int(d.keep, 1, 50)
  const commandTimeout = int(d.commandTimeoutS, 1, 1800)
  if (expectStatus === null) return { settings: {}, problem: 'The expected status is an HTTP status, 100 to 599.' }
  if (healthTimeout === null) return { settings: {}, problem: 'The health timeout is 1 to 1800 seconds.' }
  if (successes === null) return { settings: {}, problem: 'Successes needed: 1 to 20.' }
  if (keep === null) return { settings: {}, problem: 'Versions kept: 1 to 50.' }
  if (commandTimeout === null) return { settings: {}, problem: 'The command time limit is 1 to 1800 seconds.' }
  return {
    settings: {
      healthUrl: url || null,
      expectStatus,
      healthTimeoutMs: healthTimeout * 1000,
      successes,
      keep,
      preDeploy: d.preDeploy.trim() || null,
      postDeploy: d.postDeploy.trim() || null,
      commandTimeoutMs: commandTimeout * 1000
    },
    problem: null
  }
}

export function DeploySettingsForm({ hostId, service }: { hostId: string; service: Service }) {
  const id = useId()
  const [open, setOpen] = useState(false)
  const saved = useContractQuery('deploys.settings', { hostId, serviceId: service.id }, { enabled: open })
  const configure = useContractMutation('deploys.configure', { onSuccess: () => void saved.refetch() })
  // The operator's edits; until the first one, the saved settings.
  const [edited, setEdited] = useState<Draft | null>(null)
  const draft = edited ?? (saved.data ? toDraft(saved.data) : null)
  const { settings, problem } = draft ? parse(draft) : { settings: {}, problem: null }
  const changed = Boolean(draft && saved.data && JSON.stringify(toDraft(saved.data)) !== JSON.stringify(draft))
  const field = (key: keyof Draft) => ({
    id: `${id}-${key}`,
    value: draft?.[key] ?? '',
    onChange: (e: { target: { value: string } }) => draft && setEdited({ ...draft, [key]: e.target.value })
  })
  const where = service.compose ? service.compose.workingDir : "the SSH login's home folder"

  return (
    <details className="deploy-fold" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Deploy settings for {service.name}</summary>
      {!draft ? (
        open && (saved.isError ? <ErrorNotice error={saved.error} title="The settings could not be read" /> : <p className="fleet-loading small">Reading the settings…</p>)
      ) : (
        <div className="deploy-fold-body deploy-settings">
          <div className="deploy-settings-grid">
            <div className="dialog-field deploy-settings-wide">
              <label className="dialog-label" htmlFor={`${id}-healthUrl`}>
                Health URL (when the image has no Docker health check)
              </label>
              <input className="input input-mono" {...field('healthUrl')} placeholder="http://127.0.0.1:8080/health" spellCheck={false} />
            </div>
            <div className="dialog-field">
              <label className="dialog-label" htmlFor={`${id}-expectStatus`}>
                Expected status
              </label>
              <input className="input" inputMode="numeric" {...field('expectStatus')} />
            </div>
            <div className="dialog-field">
              <label className="dialog-label" htmlFor={`${id}-healthTimeoutS`}>
                Health timeout (s)
              </label>
              <input className="input" inputMode="numeric" {...field('healthTimeoutS')} />
            </div>
            <div className="dialog-field">
              <label className="dialog-label" htmlFor={`${id}-successes`}>
                Successes needed
              </label>
              <input className="input" inputMode="numeric" {...field('successes')} />
            </div>
            <div className="dialog-field">
              <label className="dialog-label" htmlFor={`${id}-keep`}>
                Versions kept
              </label>
              <input className="input" inputMode="numeric" {...field('keep')} />
            </div>
            <div className="dialog-field deploy-settings-wide">
              <label className="dialog-label" htmlFor={`${id}-preDeploy`}>
                Pre-deploy command
              </label>
              <textarea className="input input-mono" rows={2} {...field('preDeploy')} placeholder="e.g. ./scripts/check-migrations.sh" spellCheck={false} />
              <p className="faint small">Runs on the host in {where} under the lock, before anything changes; a non-zero exit stops the deploy.</p>
            </div>
            <div className="dialog-field deploy-settings-wide">
              <label className="dialog-label" htmlFor={`${id}-postDeploy`}>
                Post-deploy command
              </label>
              <textarea className="input input-mono" rows={2} {...field('postDeploy')} placeholder="e.g. docker compose exec -T web ./manage.py warm_cache" spellCheck={false} />
              <p className="faint small">Runs once the new version is switched in; a non-zero exit is a warning in the history, the deploy stays.</p>
            </div>
            <div className="dialog-field deploy-settings-half">
              <label className="dialog-label" htmlFor={`${id}-commandTimeoutS`}>
                Time limit per command (s)
              </label>
              <input className="input" inputMode="numeric" {...field('commandTimeoutS')} />
            </div>
          </div>
          <p className="faint small">
            The commands see <span className="mono">DROPDECK_SERVICE</span>, <span className="mono">DROPDECK_FROM_IMAGE</span>, <span className="mono">DROPDECK_TO_IMAGE</span>, <span className="mono">DROPDECK_DEPLOY_ID</span> and, for a git deploy, <span className="mono">DROPDECK_GIT_COMMIT</span>. Their output shows in the deploy's steps.
          </p>
          {problem && <p className="field-error small">{problem}</p>}
          {configure.error && <ErrorNotice error={configure.error} title="The settings were not saved" />}
          <div className="deploy-settings-actions">
            {configure.isSuccess && !changed && <span className="faint small">Saved.</span>}
            <button type="button" className="button button-small" disabled={!changed || problem !== null || configure.isPending} onClick={() => configure.mutate({ hostId, serviceId: service.id, settings })}>
              {configure.isPending ? 'Saving…' : 'Save settings'}
            </button>
          </div>
        </div>
      )}
    </details>
  )
}
