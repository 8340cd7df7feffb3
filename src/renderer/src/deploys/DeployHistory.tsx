/**
 * A service's deploys from the host's history (every operator's), newest first, each with who, when,
 * from → to, the result and why; a deploy that went through can be undone in one click (back to the
 * version it replaced, if the host keeps it; the service's name typed), through the same lock and health gate.
 * A git deploy shows its ref and commit under the change (the subject on hover); warnings (a post-deploy
 * command that failed while the deploy stayed) are a small amber marker that opens to their text.
 */
import { useState } from 'react'
import { useContractMutation, useContractQuery } from '../rpc/contract-queries'
import { ErrorNotice } from '../ui/ErrorNotice'
import { isLockedRefusal, LockedRefusal } from '../ui/LockedRefusal'
import { TypedConfirmDialog } from '../ui/TypedConfirmDialog'
import { formatAgo } from '../ui/format'
import type { Result } from '../../../shared/contract'
import { tagOf, type Service } from './deploys-queries'

type GitOfEntry = NonNullable<Result<'deploys.history'>[number]['git']>

/** `main @ 1a2b3c4d`; a ref that is the commit itself shows once. */
function GitRef({ git }: { git: GitOfEntry }) {
  const short = git.commit.slice(0, 8)
  const refIsCommit = /^[0-9a-f]{7,64}$/.test(git.ref) && git.commit.startsWith(git.ref)
  return (
    <div className="dh-git faint" title={git.subject ? `${git.commit}\n${git.subject}` : git.commit}>
      {refIsCommit ? short : `${git.ref} @ ${short}`}
    </div>
  )
}

function Warnings({ warnings }: { warnings: string[] }) {
  const label = `${warnings.length} warning${warnings.length === 1 ? '' : 's'}`
  return (
    <details className="dh-warnings">
      <summary title={warnings.join('\n')}>⚠ {label}</summary>
      <ul>
        {warnings.map((w, i) => (
          <li key={i}>{w}</li>
        ))}
      </ul>
    </details>
  )
}

export function DeployHistory({ hostId, service, onStarted }: { hostId: string; service: Service; onStarted: (deployId: string) => void }) {
  const history = useContractQuery('deploys.history', { hostId, serviceId: service.id, limit: 50 })
  const rollbackCall = useContractMutation('deploys.rollback')
  const busy = rollbackCall.isPending
  const [target, setTarget] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [typedName, setTypedName] = useState('')
  const retained = new Set(service.retained.map((r) => r.tag))
  const running = service.running?.tag
  // unlock: the operator's answer to the managed-tag refusal of a droplet host, for this one rollback.
  const rollback = (typed: string, unlock?: boolean) => {
    if (!target) return
    setError(null)
    setTypedName(typed)
    rollbackCall.mutate(
      { hostId, serviceId: service.id, tag: target, confirm: typed, ...(unlock ? { unlock } : {}) },
      {
        onSuccess: ({ deployId }) => {
          setTarget(null)
          onStarted(deployId)
        },
        onError: (err) => setError(err)
      }
    )
  }
  if (!history.data) return history.isError ? <ErrorNotice error={history.error} title="The history could not be read" /> : <p className="fleet-loading" role="status">Reading the history…</p>
  if (history.data.length === 0) return <p className="faint small">No deploys of {service.name} yet.</p>
  return (
    <>
      <table className="rtable deploy-history" aria-label={`History of ${service.name}`}>
        <colgroup>
          <col className="dh-when" />
          <col className="dh-who" />
          <col className="dh-change" />
          <col />
          <col className="dh-actions" />
        </colgroup>
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Change</th>
            <th>Result</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {history.data.map((e) => {
            const to = tagOf(e.toImage)
            const from = tagOf(e.fromImage)
            // Undo a deploy that went through: back to the version it replaced, if the host still keeps it.
            const version = from
            const canRollBack = e.result === 'succeeded' && e.action !== 'recover' && version !== running && retained.has(version)
            return (
              <tr key={e.deployId} data-result={e.result}>
                <td title={e.finishedAt}>{formatAgo(e.finishedAt)}</td>
                <td title={e.machine}>{e.who}</td>
                <td className="mono small">
                  {e.action === 'rollback' ? 'rollback ' : e.action === 'recover' ? 'recover ' : ''}
                  {from} → {to}
                  {e.git && <GitRef git={e.git} />}
                </td>
                <td>
                  <span className={`dresult dresult-${e.result}`}>{e.result}</span>
                  {e.warnings && e.warnings.length > 0 && <Warnings warnings={e.warnings} />}
                  {e.reason && <div className="faint small deploy-reason">{e.reason}</div>}
                </td>
                <td className="row-actions">
                  {canRollBack && (
                    <button type="button" className="button button-small" onClick={() => setTarget(version)}>
                      Roll back to {version}
                    </button>
                  )}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      <TypedConfirmDialog
        open={target !== null}
        onOpenChange={(open) => {
          if (!open) {
            setTarget(null)
            setError(null)
          }
        }}
        title={`Roll ${service.name} back to ${target ?? ''}`}
        description={
          <>
            {service.name} runs <span className="mono">{running ?? 'nothing'}</span> now and will run <span className="mono">{target}</span>, the image retained on the host, with the current configuration (database migrations are not reversed). It goes through the same lock and health gate.
          </>
        }
        expected={service.name}
        confirmLabel="Roll back"
        busy={busy}
        onConfirm={rollback}
        error={
          error === null ? undefined : isLockedRefusal(error) ? (
            <LockedRefusal error={error} busy={busy} onUnlock={() => rollback(typedName, true)} />
          ) : (
            <ErrorNotice error={error} title="The rollback could not start" />
          )
        }
      />
    </>
  )
}
