/**
 * A deploy's steps as they run: each with its state, what it did and how long it took, the pull's
 * bytes, a Cancel while the switch has not happened, and the result once it finished.
 */
import { Check, CircleDashed, Loader2, MinusCircle, X } from 'lucide-react'
import type { DeployStep } from '../../../shared/contract/deploys'
import { useContractMutation } from '../rpc/contract-queries'
import { Callout } from '../ui/Callout'
import { formatBytes } from '../ui/format'
import { tagOf, useDeployRun } from './deploys-queries'

const stepNames: Record<DeployStep['step'], string> = {
  pull: 'Pull',
  build: 'Build',
  checkout: 'Check out',
  'pre-deploy': 'Pre-deploy command',
  'post-deploy': 'Post-deploy command',
  lock: 'Lock',
  checks: 'Checks',
  tag: 'Tag',
  start: 'Start new version',
  health: 'Health gate',
  switch: 'Switch',
  prune: 'Keep versions',
  rollback: 'Roll back',
  release: 'Release lock',
  recover: 'Recover'
}

/** The latest event of each step, in the order the steps began. */
function latestSteps(steps: DeployStep[]): DeployStep[] {
  const out = new Map<string, DeployStep>()
  for (const s of steps) {
    const key = `${s.step}@${s.at}`
    out.set(key, s)
  }
  return [...out.values()]
}

export function DeployTimeline({ deployId, serviceName, onDone }: { deployId: string; serviceName: string; onDone?: () => void }) {
  const cancel = useContractMutation('deploys.cancel')
  const run = useDeployRun(deployId)
  if (!run) return <p className="fleet-loading" role="status">Opening the deploy…</p>
  const steps = latestSteps(run.steps)
  const entry = run.entry
  return (
    <div className="deploy-timeline" aria-label={`Deploy of ${serviceName}`}>
      <div className="deploy-timeline-head">
        <strong>
          {run.action === 'rollback' ? 'Rollback' : 'Deploy'} of {serviceName} to <span className="mono">{tagOf(run.toImage)}</span>
        </strong>
        <span className="toolbar-spacer" />
        {run.phase === 'running' && (
          <button type="button" className="button button-small" disabled={!run.cancellable} title={run.cancellable ? 'Stops before the switch; the running version stays' : 'Past the switch: it can no longer be cancelled'} onClick={() => cancel.mutate({ deployId })}>
            Cancel
          </button>
        )}
        {run.phase === 'finished' && onDone && (
          <button type="button" className="button button-small" onClick={onDone}>
            Close
          </button>
        )}
      </div>
      <ol className="deploy-steps">
        {steps.map((s) => (
          <li key={`${s.step}@${s.at}`} className={`deploy-step deploy-step-${s.status}`} data-step={s.step} data-status={s.status}>
            <StepIcon status={s.status} />
            <span className="deploy-step-name">{stepNames[s.step]}</span>
            <span className="deploy-step-detail">
              {s.detail}
              {s.bytes && s.bytes.total > 0 ? ` — ${formatBytes(s.bytes.current, 'docker')} of ${formatBytes(s.bytes.total, 'docker')}` : ''}
              {s.output && s.output.lines.length > 0 && (
                <pre className="deploy-pre deploy-step-output" aria-label={`${stepNames[s.step]} output, last ${s.output.lines.length} of ${s.output.total} lines`}>
                  {s.output.total > s.output.lines.length ? `… ${s.output.total - s.output.lines.length} earlier lines\n` : ''}
                  {s.output.lines.join('\n')}
                </pre>
              )}
            </span>
            <span className="deploy-step-time faint">{s.durationMs !== null ? `${(s.durationMs / 1000).toFixed(1)} s` : ''}</span>
          </li>
        ))}
      </ol>
      {entry && (
        <Callout tone={entry.result === 'succeeded' ? 'info' : entry.result === 'cancelled' ? 'warning' : 'danger'} title={resultTitle(entry.result, serviceName, entry.toImage)}>
          {entry.reason && <p>{entry.reason}</p>}
          {entry.git && (
            <p>
              Built from <span className="mono">{entry.git.ref}</span> at <span className="mono">{entry.git.commit.slice(0, 12)}</span> {entry.git.subject}
            </p>
          )}
          {entry.warnings?.map((w) => <p key={w}>Warning: {w}</p>)}
          {entry.gapMs !== null && <p>Gap while switching: {entry.gapMs === 0 ? 'none (the new version started beside the old one)' : `${(entry.gapMs / 1000).toFixed(1)} s`}.</p>}
          {entry.result !== 'succeeded' && entry.healthOutput.length > 0 && (
            <details>
              <summary>Health output</summary>
              <pre className="deploy-pre">{entry.healthOutput.join('\n')}</pre>
            </details>
          )}
          {entry.logTail.length > 0 && (
            <details>
              <summary>Last log lines of the new version</summary>
              <pre className="deploy-pre">{entry.logTail.join('\n')}</pre>
            </details>
          )}
        </Callout>
      )}
    </div>
  )
}

function resultTitle(result: string, service: string, image: string): string {
  if (result === 'succeeded') return `${service} runs ${tagOf(image)}`
  if (result === 'rolled-back') return `${tagOf(image)} was unhealthy: ${service} was rolled back by itself`
  if (result === 'cancelled') return 'Cancelled before the switch; the running version stayed'
  return `The deploy of ${tagOf(image)} failed`
}

function StepIcon({ status }: { status: DeployStep['status'] }) {
  if (status === 'running') return <Loader2 className="deploy-step-icon spin" size={14} aria-label="running" />
  if (status === 'ok') return <Check className="deploy-step-icon" size={14} aria-label="done" />
  if (status === 'failed') return <X className="deploy-step-icon" size={14} aria-label="failed" />
  if (status === 'skipped') return <MinusCircle className="deploy-step-icon" size={14} aria-label="skipped" />
  return <CircleDashed className="deploy-step-icon" size={14} aria-hidden="true" />
}
