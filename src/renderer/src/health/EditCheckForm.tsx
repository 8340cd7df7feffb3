/**
 * Edits what the operator tunes on a check: its name, interval, how many failures make it down and
 * successes make it up, whether it runs by itself, and for HTTP the URL, accepted statuses and keyword.
 * Used for a kept check (checks.update) and for a proposal before it is added.
 */
import { useState, type FormEvent } from 'react'
import type { CheckInput } from '../../../shared/contract'
import type { CheckRow } from './checks-queries'

type Spec = CheckRow['check'] | CheckInput

export function EditCheckForm({ check, busy, onSave, onCancel }: { check: Spec; busy?: boolean; onSave: (next: CheckInput) => void; onCancel: () => void }) {
  const [name, setName] = useState(check.name)
  const [interval, setInterval] = useState(String(check.intervalSeconds ?? 60))
  const [failures, setFailures] = useState(String(check.failuresToDown ?? 3))
  const [successes, setSuccesses] = useState(String(check.successesToUp ?? 2))
  const [enabled, setEnabled] = useState(check.enabled ?? true)
  const [url, setUrl] = useState(check.kind === 'http' ? check.url : '')
  const [expectStatus, setExpectStatus] = useState(check.kind === 'http' ? (check.expectStatus ?? '200-299') : '')
  const [keyword, setKeyword] = useState(check.kind === 'http' ? (check.keyword ?? '') : '')
  const submit = (e: FormEvent) => {
    e.preventDefault()
    // Only the definition's own fields go back (not id, createdAt).
    const { id: _id, createdAt: _createdAt, ...rest } = check as CheckRow['check']
    const base = { ...rest, name: name.trim(), intervalSeconds: Number(interval), failuresToDown: Number(failures), successesToUp: Number(successes), enabled }
    if (base.kind === 'http') {
      const { keyword: _k, ...http } = base
      onSave({ ...http, url: url.trim(), expectStatus: expectStatus.trim(), ...(keyword.trim() ? { keyword: keyword.trim() } : {}) } as CheckInput)
    } else onSave(base as CheckInput)
  }
  const num = (label: string, value: string, set: (v: string) => void, min: number, max: number) => (
    <label className="hedit-field">
      <span>{label}</span>
      <input className="input input-number" type="number" min={min} max={max} value={value} onChange={(e) => set(e.target.value)} required />
    </label>
  )
  return (
    <form className="hedit" aria-label={`Edit ${check.name}`} onSubmit={submit}>
      <label className="hedit-field hedit-wide">
        <span>Name</span>
        <input className="input" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
      </label>
      {check.kind === 'http' && (
        <>
          <label className="hedit-field hedit-wide">
            <span>URL</span>
            <input className="input input-mono" value={url} onChange={(e) => setUrl(e.target.value)} required />
          </label>
          <label className="hedit-field">
            <span>Statuses</span>
            <input className="input input-mono" value={expectStatus} onChange={(e) => setExpectStatus(e.target.value)} required />
          </label>
          <label className="hedit-field">
            <span>Keyword</span>
            <input className="input" value={keyword} onChange={(e) => setKeyword(e.target.value)} placeholder="optional" />
          </label>
        </>
      )}
      {num('Every (s)', interval, setInterval, 5, 86_400)}
      {num('Down after', failures, setFailures, 1, 20)}
      {num('Up after', successes, setSuccesses, 1, 20)}
      <label className="hedit-check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        Runs by itself
      </label>
      <span className="toolbar-spacer" />
      <button type="submit" className="button button-small button-primary" disabled={busy}>
        Save
      </button>
      <button type="button" className="button button-small" onClick={onCancel}>
        Cancel
      </button>
    </form>
  )
}
