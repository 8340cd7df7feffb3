/**
 * The checks: each with its state (up, down with severity, unknown, pending), since when, the last
 * result in words; run now or delete. "Propose checks" lists what Dropdeck found (records, containers,
 * hosts) to keep or drop before anything is saved; "Add check" makes one by hand.
 */
import { Pencil, Play, Plus, Sparkles, Trash2 } from 'lucide-react'
import { Fragment, useState, type FormEvent } from 'react'
import type { CheckInput } from '../../../shared/contract'
import { useContractMutation } from '../rpc/contract-queries'
import { ErrorNotice } from '../ui/ErrorNotice'
import { formatAgo } from '../ui/format'
import { KIND_LABEL, stateTone, targetOf } from './check-format'
import { useChecks, type CheckRow, type Proposal } from './checks-queries'
import { EditCheckForm } from './EditCheckForm'

export function ChecksPanel() {
  const checks = useChecks()
  const [proposals, setProposals] = useState<Proposal[] | null>(null)
  const [adding, setAdding] = useState(false)
  // each write refetches the checks list (method-options.ts); checks.changed usually updates it first
  const propose = useContractMutation('checks.propose', { onSuccess: setProposals })
  const run = useContractMutation('checks.run')
  const remove = useContractMutation('checks.delete')
  const [editing, setEditing] = useState<string | null>(null)
  const update = useContractMutation('checks.update', { onSuccess: () => setEditing(null) })
  const rows = checks.data ?? []

  return (
    <section className="hpanel" aria-label="Checks">
      <div className="hpanel-bar">
        <button type="button" className="button button-small" onClick={() => propose.mutate({})} disabled={propose.isPending}>
          <Sparkles size={13} aria-hidden="true" />
          {propose.isPending ? 'Looking…' : 'Propose checks'}
        </button>
        <button type="button" className="button button-small" onClick={() => setAdding((a) => !a)} aria-expanded={adding}>
          <Plus size={13} aria-hidden="true" />
          Add check
        </button>
        <span className="faint small">Down after 3 failures in a row, up after 2 successes; a host that is not connected makes its checks unknown.</span>
      </div>
      {propose.isError && <ErrorNotice error={propose.error} title="Checks could not be proposed" />}
      {proposals && <ProposalList proposals={proposals} onDone={() => setProposals(null)} />}
      {adding && <AddCheckForm onDone={() => setAdding(false)} />}
      {checks.isError && <ErrorNotice error={checks.error} title="Checks could not be loaded" />}
      {rows.length === 0 && checks.data ? (
        <p className="faint hpanel-empty">No checks yet. Propose checks to start from your DNS records, containers and hosts.</p>
      ) : (
        <table className="hchecks" aria-label="Checks list">
          <thead>
            <tr>
              <th>State</th>
              <th>Check</th>
              <th>Target</th>
              <th>Since</th>
              <th>Last result</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {rows.map(({ check, status }) => (
              <Fragment key={check.id}>
                <tr>
                  <td>
                    <StateChip status={status} failuresToDown={check.failuresToDown} />
                  </td>
                  <td>
                    <span className="nowrap">{check.name}</span> <span className="faint small">{KIND_LABEL[check.kind]}{check.enabled ? '' : ' · paused'}</span>
                  </td>
                  <td className="mono small truncate" title={targetOf(check)}>
                    {targetOf(check)}
                  </td>
                  <td className="small nowrap" title={status.since ?? undefined}>
                    {formatAgo(status.since, { pastADay: 'days' })}
                  </td>
                  <td className="small">
                    {status.message}
                    {status.detail && status.state === 'down' && <pre className="hdetail">{status.detail}</pre>}
                  </td>
                  <td className="nowrap">
                    <button type="button" className="button button-small" aria-label={`Run ${check.name} now`} onClick={() => run.mutate({ id: check.id })} disabled={run.isPending && run.variables?.id === check.id}>
                      <Play size={12} aria-hidden="true" />
                    </button>{' '}
                    <button type="button" className="button button-small" aria-label={`Edit ${check.name}`} onClick={() => setEditing(editing === check.id ? null : check.id)}>
                      <Pencil size={12} aria-hidden="true" />
                    </button>{' '}
                    <button type="button" className="button button-small" aria-label={`Delete ${check.name}`} onClick={() => remove.mutate({ id: check.id })}>
                      <Trash2 size={12} aria-hidden="true" />
                    </button>
                  </td>
                </tr>
                {editing === check.id && (
                  <tr>
                    <td colSpan={6}>
                      <EditCheckForm check={check} busy={update.isPending} onSave={(next) => update.mutate({ id: check.id, check: next })} onCancel={() => setEditing(null)} />
                      {update.isError && <ErrorNotice error={update.error} title="The check was not saved" />}
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

/** up, down (or warning), unknown; "failing 1/3" while failures count towards down. */
function StateChip({ status, failuresToDown }: { status: CheckRow['status']; failuresToDown: number }) {
  const counting = status.state !== 'down' && status.consecutiveFailures > 0
  const text = counting ? `failing ${status.consecutiveFailures}/${failuresToDown}` : status.state === 'down' && status.severity === 'warning' ? 'warning' : status.state
  return <span className={`hchip hchip-${counting ? 'warn' : stateTone(status.state, status.severity)}`}>{text}</span>
}

function ProposalList({ proposals, onDone }: { proposals: Proposal[]; onDone: () => void }) {
  const create = useContractMutation('checks.create')
  const [keep, setKeep] = useState(() => new Set(proposals.flatMap((p, i) => (p.exists ? [] : [i]))))
  const [edited, setEdited] = useState<Record<number, CheckInput>>({})
  const [editing, setEditing] = useState<number | null>(null)
  // one checks.create per kept proposal, in order; the first failure stops and is shown
  const [saving, setSaving] = useState(false)
  const [failure, setFailure] = useState<unknown>(null)
  const save = async () => {
    setSaving(true)
    setFailure(null)
    try {
      for (const i of keep) await create.mutateAsync({ check: edited[i] ?? proposals[i].check })
      onDone()
    } catch (error) {
      setFailure(error)
    } finally {
      setSaving(false)
    }
  }
  const toggle = (i: number) =>
    setKeep((k) => {
      const next = new Set(k)
      if (next.has(i)) next.delete(i)
      else next.add(i)
      return next
    })
  return (
    <div className="hproposals" role="group" aria-label="Proposed checks">
      {proposals.length === 0 ? (
        <p className="faint small">Nothing to propose: add DNS tokens, or connect a host.</p>
      ) : (
        <ul>
          {proposals.map((p, i) => (
            <li key={i}>
              <label>
                <input type="checkbox" checked={keep.has(i)} disabled={p.exists} onChange={() => toggle(i)} />
                <span className="nowrap">{(edited[i] ?? p.check).name}</span>
                <span className="faint small">{p.exists ? 'already a check' : p.reason}</span>
              </label>
              {!p.exists && (
                <button type="button" className="button button-small hproposal-edit" aria-label={`Edit proposal ${(edited[i] ?? p.check).name}`} onClick={() => setEditing(editing === i ? null : i)}>
                  <Pencil size={11} aria-hidden="true" />
                </button>
              )}
              {editing === i && (
                <EditCheckForm
                  check={edited[i] ?? p.check}
                  onSave={(next) => {
                    setEdited((e) => ({ ...e, [i]: next }))
                    setKeep((k) => new Set(k).add(i))
                    setEditing(null)
                  }}
                  onCancel={() => setEditing(null)}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {failure !== null && <ErrorNotice error={failure} title="A check could not be saved" />}
      <div className="hpanel-bar">
        <button type="button" className="button button-small button-primary" disabled={keep.size === 0 || saving} onClick={() => void save()}>
          {saving ? 'Adding…' : `Add ${keep.size} check${keep.size === 1 ? '' : 's'}`}
        </button>
        <button type="button" className="button button-small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </div>
  )
}

type AddKind = 'http' | 'tls' | 'dns' | 'tcp'

function AddCheckForm({ onDone }: { onDone: () => void }) {
  const [kind, setKind] = useState<AddKind>('http')
  const [target, setTarget] = useState('')
  const [fromHost, setFromHost] = useState('')
  const create = useContractMutation('checks.create', { onSuccess: onDone })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const t = target.trim()
    const host = fromHost.trim()
    const [h, p] = t.split(':')
    const check: CheckInput =
      kind === 'http'
        ? { kind, name: t, url: t, ...(host ? { runFrom: 'host' as const, hostId: host } : {}) }
        : kind === 'tls'
          ? { kind, name: `TLS ${t}`, host: h, ...(p ? { port: Number(p) } : {}) }
          : kind === 'dns'
            ? { kind, name: `DNS ${t}`, hostname: t }
            : { kind, name: `TCP ${t}`, host: h, port: Number(p), ...(host ? { runFrom: 'host' as const, hostId: host } : {}) }
    create.mutate({ check })
  }
  const placeholder = { http: 'https://app.example.com/health', tls: 'app.example.com[:443]', dns: 'app.example.com', tcp: '127.0.0.1:5432' }[kind]
  return (
    <form className="hadd" aria-label="Add a check" onSubmit={submit}>
      <select className="input" value={kind} onChange={(e) => setKind(e.target.value as AddKind)} aria-label="Kind">
        <option value="http">HTTP(S)</option>
        <option value="tls">TLS certificate</option>
        <option value="dns">DNS</option>
        <option value="tcp">TCP port</option>
      </select>
      <input className="input input-mono" value={target} onChange={(e) => setTarget(e.target.value)} placeholder={placeholder} aria-label="Target" required />
      {(kind === 'http' || kind === 'tcp') && <input className="input" value={fromHost} onChange={(e) => setFromHost(e.target.value)} placeholder="run from host (optional)" aria-label="Run from host" />}
      <button type="submit" className="button button-small button-primary" disabled={create.isPending}>
        Add
      </button>
      {create.isError && <ErrorNotice error={create.error} title="The check was not added" />}
    </form>
  )
}
