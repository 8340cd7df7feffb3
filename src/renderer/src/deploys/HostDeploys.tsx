/**
 * One host's deployable services, by Compose project: the running version and its health, the
 * versions kept on the host, the lock's holder (a stale one can be taken over after typing the name),
 * the last deploy; Deploy opens the dialog, History the host's record; a running deploy's timeline.
 */
import { History, Lock, Rocket } from 'lucide-react'
import { Fragment, useState } from 'react'
import { useHashPath } from '../navigation/use-hash-path'
import { useContractMutation } from '../rpc/contract-queries'
import { ErrorNotice } from '../ui/ErrorNotice'
import { HostGroup } from '../ui/HostGroup'
import { QueryState } from '../ui/QueryState'
import { TypedConfirmDialog } from '../ui/TypedConfirmDialog'
import { formatAgo } from '../ui/format'
import { DeployDialog } from './DeployDialog'
import { DeployHistory } from './DeployHistory'
import { DeployTimeline } from './DeployTimeline'
import { tagOf, useDeployServices, type Service } from './deploys-queries'

export function HostDeploys({ hostId }: { hostId: string }) {
  const { services, active } = useDeployServices(hostId)
  // Its success refetches the services and the history (method-options.ts).
  const takeoverCall = useContractMutation('deploys.takeover')
  const [deploying, setDeploying] = useState<Service | null>(null)
  const [historyOf, setHistoryOf] = useState<Set<string>>(() => new Set())
  const [watching, setWatching] = useState<Record<string, string>>({})
  const [takeover, setTakeover] = useState<Service | null>(null)
  const [failure, setFailure] = useState<unknown>(null)
  // #/deploys/<host>/<service> (the palette's "Deploy odoo", a container's row) opens that service's deploy dialog.
  const [path, setPath] = useHashPath('deploys')
  const wanted = path[0] === hostId ? path[1] : undefined
  const list = services.data?.services
  const linked = wanted && list ? (list.find((s) => s.id === wanted) ?? null) : null
  const dialogFor = deploying ?? linked
  const closeDialog = () => {
    setDeploying(null)
    if (wanted) setPath([])
  }

  // Deploys this app runs on the host (a reopened window finds them here), plus those started from this view.
  const runs: Record<string, string> = { ...watching }
  for (const r of active.data ?? []) if (r.phase === 'running' && !runs[r.serviceId]) runs[r.serviceId] = r.deployId
  const watch = (serviceId: string, deployId: string) => setWatching((w) => ({ ...w, [serviceId]: deployId }))
  const toggleHistory = (id: string) =>
    setHistoryOf((s) => {
      const next = new Set(s)
      if (!next.delete(id)) next.add(id)
      return next
    })
  const doTakeover = (s: Service, typed: string) =>
    takeoverCall.mutate({ hostId, serviceId: s.id, confirm: typed }, { onSuccess: () => setTakeover(null), onError: (err) => setFailure(err) })

  const groups = new Map<string, Service[]>()
  for (const s of services.data?.services ?? []) groups.set(s.project ?? '', [...(groups.get(s.project ?? '') ?? []), s])

  return (
    <HostGroup
      hostId={hostId}
      label={`Deploys on ${hostId}`}
      head={services.data && <span className="faint small">{services.data.compose ? `${services.data.compose.command} ${services.data.compose.version}` : 'no Compose on the host'}</span>}
    >
      {failure !== null && <ErrorNotice error={failure} title="That did not work" onDismiss={() => setFailure(null)} />}
      <QueryState
        query={services}
        loading="Finding services…"
        failed={`Services on ${hostId} could not be read`}
        isEmpty={(found) => found.services.length === 0}
        empty={<p className="faint small">No containers on {hostId}, so nothing to deploy yet.</p>}
      >
        {() => [...groups.entries()].map(([project, items]) => (
          <div key={project} role="group" aria-label={project ? `Project ${project}` : 'Plain containers'}>
            <h4>{project ? `Compose project ${project}` : 'Plain containers'}</h4>
            <table className="rtable dtable">
              <colgroup>
                <col className="dtable-name" />
                <col className="dtable-version" />
                <col className="dtable-kept" />
                <col className="dtable-last" />
                <col className="dtable-actions" />
              </colgroup>
              <tbody>
                {items.map((s) => (
                  <Fragment key={s.id}>
                    <tr data-service={s.id}>
                      <td>
                        <strong>{s.name}</strong>
                        <div className="faint small mono">{s.image}</div>
                      </td>
                      <td>
                        <span className="mono">{s.running?.tag ?? '—'}</span>{' '}
                        {s.running && <span className={`sstate sstate-h-${s.running.health}`}>{s.running.health}</span>}
                        {s.lock && (
                          <div className={`deploy-lock${s.lock.stale ? ' is-stale' : ''}`} role="status">
                            <Lock size={12} aria-hidden="true" /> {s.lock.stale ? 'Stale lock' : 'Locked'} by {s.lock.who} on {s.lock.machine}: {s.lock.what.replace(`${s.image}:`, '')}, {formatAgo(s.lock.since)}
                            {s.lock.stale && (
                              <button type="button" className="button button-small" onClick={() => setTakeover(s)}>
                                Take over
                              </button>
                            )}
                          </div>
                        )}
                      </td>
                      <td className="small">
                        {s.retained.length} version{s.retained.length === 1 ? '' : 's'} kept
                        <div className="faint small">{s.switchMode === 'gapless' ? 'switches without a gap' : 'stop-then-start'}</div>
                      </td>
                      <td className="small">
                        {s.lastDeploy ? (
                          <>
                            <span className={`dresult dresult-${s.lastDeploy.result}`}>{s.lastDeploy.result}</span> <span className="mono">{tagOf(s.lastDeploy.toImage)}</span>
                            <div className="faint small">
                              {s.lastDeploy.who}, {formatAgo(s.lastDeploy.finishedAt)}
                            </div>
                          </>
                        ) : (
                          <span className="faint">never deployed</span>
                        )}
                      </td>
                      <td className="row-actions">
                        <button type="button" className="button button-small" aria-expanded={historyOf.has(s.id)} onClick={() => toggleHistory(s.id)}>
                          <History size={13} aria-hidden="true" />
                          History
                        </button>
                        <button type="button" className="button button-small button-primary" disabled={Boolean(s.lock && !s.lock.stale)} onClick={() => setDeploying(s)}>
                          <Rocket size={13} aria-hidden="true" />
                          Deploy
                        </button>
                      </td>
                    </tr>
                    {runs[s.id] && (
                      <tr className="deploy-detail-row">
                        <td colSpan={5}>
                          <DeployTimeline
                            deployId={runs[s.id]}
                            serviceName={s.name}
                            onDone={() =>
                              setWatching((w) => {
                                const { [s.id]: _, ...rest } = w
                                return rest
                              })
                            }
                          />
                        </td>
                      </tr>
                    )}
                    {historyOf.has(s.id) && (
                      <tr className="deploy-detail-row">
                        <td colSpan={5}>
                          <DeployHistory hostId={hostId} service={s} onStarted={(id) => watch(s.id, id)} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </QueryState>
      <DeployDialog
        hostId={hostId}
        service={dialogFor}
        open={dialogFor !== null}
        onOpenChange={(open) => !open && closeDialog()}
        onStarted={(deployId) => {
          if (dialogFor) watch(dialogFor.id, deployId)
          closeDialog()
        }}
      />
      <TypedConfirmDialog
        open={takeover !== null}
        onOpenChange={(open) => !open && setTakeover(null)}
        title={`Take over the lock of ${takeover?.name ?? ''}`}
        description={`${takeover?.lock?.who ?? 'Someone'} on ${takeover?.lock?.machine ?? 'another machine'} took it ${takeover?.lock ? formatAgo(takeover.lock.since) : ''} and has not written to it for longer than its timeout. Taking over puts ${takeover?.name ?? 'the service'} back to one running version from the holder's journal and records it in the history.`}
        expected={takeover?.name ?? ''}
        confirmLabel="Take over and recover"
        busy={takeoverCall.isPending}
        onConfirm={(typed) => takeover && doTakeover(takeover, typed)}
      />
    </HostGroup>
  )
}
