/**
 * The git source of a deploy: the host's clone (fetched when this opens) offers its branches, tags and
 * recent commits, newest first, or a ref is typed. Says what the clone has checked out, refuses up
 * front when tracked files have local changes, and explains when the service cannot be built from git
 * (a plain container, or a Compose service without `build:`).
 */
import { useId } from 'react'
import type { GitRefs } from '../../../shared/contract/deploys'
import { useContractQuery } from '../rpc/contract-queries'
import { Callout } from '../ui/Callout'
import { ErrorNotice } from '../ui/ErrorNotice'
import { formatAgo } from '../ui/format'
import type { Service } from './deploys-queries'

/** As the contract's GitRefSchema: a single ref, never an option or a range. */
export const GIT_REF = /^(?!-)(?!.*\.\.)(?!.*@\{)[a-zA-Z0-9_][a-zA-Z0-9_./@^~+-]{0,199}$/

export function GitRefPicker({ hostId, service, value, onChange }: { hostId: string; service: Service; value: string; onChange: (ref: string) => void }) {
  const id = useId()
  const plain = service.kind !== 'compose'
  // Asked again each time the picker opens (a git fetch on the host): a commit pushed a minute ago must be offered.
  const refs = useContractQuery('deploys.refs', { hostId, serviceId: service.id }, { enabled: !plain, staleTime: 0 })
  if (plain) {
    return (
      <Callout tone="info" title="Git deploys need a Compose build:">
        {service.name} is a plain container. A git deploy builds a Compose service from its <span className="mono">build:</span> section in the clone on the host; deploy an image tag instead.
      </Callout>
    )
  }
  if (refs.isError) return <ErrorNotice error={refs.error} title={`${service.name} cannot be deployed from git`} />
  const data = refs.data
  return (
    <div className="dialog-field">
      <label className="dialog-label" htmlFor={`${id}-ref`}>
        Branch, tag or commit
      </label>
      <input id={`${id}-ref`} className="input input-mono" value={value} onChange={(e) => onChange(e.target.value)} autoComplete="off" spellCheck={false} aria-invalid={value.trim() !== '' && !GIT_REF.test(value.trim())} placeholder={data?.head.branch ?? 'main'} />
      {value.trim() !== '' && !GIT_REF.test(value.trim()) && (
        <p className="field-error small" role="alert">
          A branch, tag or commit name: letters, digits and _ . / @ ^ ~ + -, not starting with -, without .. or spaces.
        </p>
      )}
      {!data ? (
        <p className="fleet-loading small" role="status">
          Fetching in {service.compose?.workingDir ?? 'the clone'} on {hostId}…
        </p>
      ) : (
        <>
          <RefChoices label="Branches" refs={data.branches} value={value} onChange={onChange} />
          <RefChoices label="Tags" refs={data.tags} value={value} onChange={onChange} />
          <RefChoices label="Recent commits" refs={data.commits.slice(0, 8)} value={value} onChange={onChange} pick={(r) => r.commit} />
          <p className="faint small">
            The clone <span className="mono">{data.repoDir}</span> has {data.head.branch ? <span className="mono">{data.head.branch}</span> : 'a detached HEAD'} at <span className="mono">{data.head.commit.slice(0, 12)}</span> checked out
            {refs.isFetching ? ', fetching again now' : data.fetched ? ', fetched just now' : data.fetchError ? '' : ' (no remote to fetch from)'}. Built outside the lock as <span className="mono">deploy_&lt;commit&gt;</span> (a rollback needs no rebuild), then checked out under the lock; put back if the deploy does not stay.
          </p>
          {data.fetchError && (
            <Callout tone="warning" title="The fetch failed">
              <span className="mono">{data.fetchError}</span> — the refs below are what the clone had before.
            </Callout>
          )}
          {data.dirty.length > 0 && (
            <Callout tone="danger" title="Local changes on the host">
              Tracked files were changed in the clone (<span className="mono">{data.dirty.slice(0, 4).map((d) => d.trim()).join(', ')}</span>
              {data.dirty.length > 4 ? `, and ${data.dirty.length - 4} more` : ''}). A git deploy will not check out over them: commit, stash or discard them on the host first.
            </Callout>
          )}
        </>
      )}
    </div>
  )
}

function RefChoices({ label, refs, value, onChange, pick = (r) => r.name }: { label: string; refs: GitRefs['branches']; value: string; onChange: (ref: string) => void; pick?: (r: GitRefs['branches'][number]) => string }) {
  if (refs.length === 0) return null
  return (
    <div className="deploy-ref-group">
      <span className="faint small">{label}</span>
      <div className="deploy-tag-choices" role="group" aria-label={label}>
        {refs.slice(0, 12).map((r) => {
          const ref = pick(r)
          return (
            <button key={`${r.name}@${r.commit}`} type="button" className={`chip deploy-tag${ref === value ? ' is-picked' : ''}`} aria-pressed={ref === value} onClick={() => onChange(ref)} title={`${r.commit.slice(0, 12)} ${r.subject}`}>
              <span className="mono">{r.name}</span> <span className="faint">{r.subject.length > 40 ? `${r.subject.slice(0, 40)}…` : r.subject} · {formatAgo(r.date)}</span>
            </button>
          )
        })}
      </div>
    </div>
  )
}
